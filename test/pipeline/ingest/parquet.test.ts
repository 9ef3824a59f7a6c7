import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { AtlasError } from '../../../src/lib/errors.ts';
import type { StageProgress } from '../../../src/pipeline/types.ts';
import { parseCorpus, parseCorpusFiles } from '../../../src/pipeline/ingest/index.ts';
import { abstractAbout, expectParseError } from './helpers.ts';

type WriteOptions = Parameters<typeof parquetWriteBuffer>[0];

function parquetFile(name: string, options: WriteOptions) {
  return { name, bytes: new Uint8Array(parquetWriteBuffer(options)) };
}

/** A string column that may hold nulls, as pandas and `datasets` write them. */
const text = (name: string) =>
  ({ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' }) as const;

/** A Parquet LIST of strings (three schema levels), as `datasets` writes `authors: list<string>`. */
const stringList = (name: string) =>
  [
    { name, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
    { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
    text('element'),
  ] as const;

/** A Hugging Face arXiv-style table: id, title, abstract, authors (list), categories, update_date, label. */
function huggingFaceTable(rows: number, codec: WriteOptions['codec'] = 'SNAPPY') {
  const schema = [
    { name: 'root', num_children: 7 },
    text('id'),
    text('title'),
    text('abstract'),
    ...stringList('authors'),
    text('categories'),
    { name: 'update_date', type: 'INT32', converted_type: 'DATE', repetition_type: 'OPTIONAL' },
    { name: 'label', type: 'INT64', repetition_type: 'OPTIONAL' },
  ] as WriteOptions['schema'];
  const index = Array.from({ length: rows }, (_, i) => i);
  return parquetFile('train-00000-of-00001.parquet', {
    schema,
    codec,
    compressors: { GZIP: (bytes: Uint8Array) => new Uint8Array(gzipSync(bytes)) },
    columnData: [
      { name: 'id', data: index.map((i) => `2401.${String(i).padStart(5, '0')}`) },
      { name: 'title', data: index.map((i) => `Paper ${i}`) },
      { name: 'abstract', data: index.map((i) => abstractAbout(`topic ${i}`)) },
      { name: 'authors', data: index.map((i) => [`Ada Lovelace ${i}`, 'Alan Turing']) },
      { name: 'categories', data: index.map(() => 'cs.CL cs.LG') },
      { name: 'update_date', data: index.map(() => new Date('2024-03-05')) },
      { name: 'label', data: index.map((i) => BigInt(i % 2)) },
    ],
    kvMetadata: [
      {
        key: 'huggingface',
        value: JSON.stringify({
          info: { features: { label: { _type: 'ClassLabel', names: ['cs.CL', 'cs.LG'] } } },
        }),
      },
    ],
  });
}

describe('Parquet', () => {
  it('reads a Hugging Face datasets table: lists, dates, 64-bit integers and ClassLabel names', async () => {
    const result = await parseCorpus(huggingFaceTable(3));
    expect(result.format).toBe('parquet');
    expect(result.papers).toHaveLength(3);
    expect(result.papers[1]).toEqual({
      id: '2401.00001',
      title: 'Paper 1',
      abstract: abstractAbout('topic 1'),
      authors: ['Ada Lovelace 1', 'Alan Turing'],
      year: 2024,
      month: 3,
      url: 'https://arxiv.org/abs/2401.00001',
      categories: ['cs.CL', 'cs.LG'],
      source: 'train-00000-of-00001.parquet',
    });
    expect(result.warnings).toEqual([]);
  });

  it('is recognised by its magic bytes whatever it is called, and reads gzip-compressed pages', async () => {
    const file = huggingFaceTable(2, 'GZIP');
    const result = await parseCorpus({ name: 'data.csv', bytes: file.bytes });
    expect(result.format).toBe('parquet');
    expect(result.papers).toHaveLength(2);
    expect(result.warnings.join(' ')).toMatch(/named like CSV but its content reads as Parquet/);
  });

  it('reads a {text} dataset in batches, more rows than one batch', async () => {
    const rows = 10_000;
    const file = parquetFile('big.parquet', {
      columnData: [
        { name: 'text', data: Array.from({ length: rows }, (_, i) => abstractAbout(`row ${i}`)) },
      ],
    });
    const progress: StageProgress[] = [];
    const result = await parseCorpus(file, { onProgress: (p) => progress.push(p) });
    expect(result.papers).toHaveLength(rows);
    expect(result.papers[rows - 1]!.abstract).toBe(abstractAbout(`row ${rows - 1}`));
    expect(result.warnings.join(' ')).toMatch(/no title column/);
    // Each batch reports before it is read, so a watchdog can tell a long file from a stuck decoder.
    expect(progress.map(({ stage, done, total, file }) => ({ stage, done, total, file }))).toEqual([
      { stage: 'parsing', done: 0, total: 0, file: 'big.parquet' },
      { stage: 'parsing', done: 0, total: rows, file: 'big.parquet' },
      { stage: 'parsing', done: 8_192, total: rows, file: 'big.parquet' },
    ]);
  });

  it('counts every row: papers plus skipped equals rows, with reasons and row numbers', async () => {
    const abstracts = [abstractAbout('a'), null, abstractAbout('a'), '', abstractAbout('b')];
    const file = parquetFile('rows.parquet', {
      schema: [{ name: 'root', num_children: 2 }, text('title'), text('abstract')],
      columnData: [
        { name: 'title', data: ['A', 'Empty', 'A', 'Blank', 'B'] },
        { name: 'abstract', data: abstracts },
      ],
    });
    const result = await parseCorpus(file);
    expect(result.papers.map((paper) => paper.title)).toEqual(['A', 'B']);
    expect(result.papers.length + result.skipped.count).toBe(abstracts.length);
    expect(result.warnings).toContain(
      'rows.parquet: 3 rows were skipped: 2 missing abstract (rows 2, 4); 1 duplicate (row 3).',
    );
  });

  it('names a compression codec it cannot read, and how to save the file instead', async () => {
    const file = parquetFile('brotli.parquet', {
      codec: 'BROTLI',
      // The pages are never decompressed: the codec is refused from the footer.
      compressors: { BROTLI: (bytes: Uint8Array) => bytes },
      columnData: [{ name: 'abstract', data: [abstractAbout('a')] }],
    });
    const error = await expectParseError(
      parseCorpus(file),
      'parquet-codec',
      /brotli\.parquet is compressed with BROTLI, which this app cannot decompress/,
    );
    expect(error.hint).toMatch(/Snappy/);
  });

  it('names the columns when none holds abstracts', async () => {
    const file = parquetFile('x.parquet', {
      columnData: [
        { name: 'question', data: ['q'] },
        { name: 'answer', data: ['a'] },
      ],
    });
    await expectParseError(
      parseCorpus(file),
      'missing-abstract-column',
      /x\.parquet has no abstract column\. Columns found: "question", "answer"/,
    );
  });

  it('says a cut-off file was not fully downloaded, and a broken one cannot be read', async () => {
    const { bytes } = huggingFaceTable(5);
    await expectParseError(
      parseCorpus({ name: 'cut.parquet', bytes: bytes.subarray(0, bytes.length - 100) }),
      'parquet-truncated',
      /does not end like one/,
    );
    const broken = bytes.slice();
    broken.fill(0xff, 4, Math.min(broken.length - 8, 600));
    const error = await parseCorpus({ name: 'broken.parquet', bytes: broken }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AtlasError);
    expect((error as AtlasError).code).toMatch(/^parquet-corrupt$|^no-papers$/);
  });

  it('loads beside a text file, and a broken Parquet file does not stop the others', async () => {
    const csv = {
      name: 'more.csv',
      bytes: new TextEncoder().encode(`title,abstract\nC,"${abstractAbout('c')}"\n`),
    };
    const { bytes } = huggingFaceTable(2);
    const result = await parseCorpusFiles([
      huggingFaceTable(2),
      csv,
      { name: 'cut.parquet', bytes: bytes.subarray(0, 40) },
    ]);
    expect(result.papers).toHaveLength(3);
    expect(result.files.map((file) => file.format)).toEqual(['parquet', 'csv']);
    expect(result.warnings.join(' ')).toMatch(/cut\.parquet was not loaded/);
  });

  it('answers a damaged footer or a cut-off file with papers or an AtlasError, never a crash', async () => {
    const { bytes } = huggingFaceTable(4);
    // The footer: the Thrift metadata, its 4-byte length and the closing "PAR1".
    const metadataLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(
      bytes.length - 8,
      true,
    );
    const footerStart = bytes.length - 8 - metadataLength;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            at: fc.integer({ min: footerStart, max: bytes.length - 9 }),
            value: fc.integer({ min: 0, max: 255 }),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        fc.option(fc.nat(bytes.length - 1)),
        async (edits, cutAt) => {
          let mutated = bytes.slice();
          for (const edit of edits) mutated[edit.at] = edit.value;
          if (cutAt !== null) mutated = bytes.subarray(0, cutAt);
          try {
            const result = await parseCorpus({ name: 'm.parquet', bytes: mutated });
            expect(result.papers.length + result.skipped.count).toBeLessThanOrEqual(4);
          } catch (error) {
            if (!(error instanceof AtlasError)) throw error;
            expect(error.code).not.toBe('failed');
          }
        },
      ),
      { numRuns: 300, seed: 16 },
    );
  });
});
