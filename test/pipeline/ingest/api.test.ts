import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeText, detectFormat, parseCorpusFiles } from '../../../src/pipeline/ingest/index.ts';
import { abstractAbout, expectParseError, textFile } from './helpers.ts';

describe('decodeText', () => {
  it('decodes UTF-8 without its BOM, UTF-16 by BOM, Windows-1252, and gzip', async () => {
    expect(await decodeText(Uint8Array.from([0xef, 0xbb, 0xbf, 0x68, 0xc3, 0xa9]))).toBe('hé');
    expect(await decodeText(Uint8Array.from([0xff, 0xfe, 0x68, 0, 0xe9, 0]))).toBe('hé');
    expect(await decodeText(Uint8Array.from([0xfe, 0xff, 0, 0x68, 0, 0xe9]))).toBe('hé');
    expect(await decodeText(Uint8Array.from([0x93, 0x68, 0xe9, 0x94, 0x80]))).toBe('“hé”€');
    expect(await decodeText(gzipSync(Buffer.from('hé, gzipped')))).toBe('hé, gzipped');
  });
});

describe('detectFormat', () => {
  const abstract = abstractAbout('detection');
  const cases: [string, string, string][] = [
    ['JSON named .txt', 'a.txt', `[{"title": "T", "abstract": "${abstract}"}]`],
    ['JSONL named .json', 'a.json', `{"a": 1}\n{"a": 2}`],
    ['BibTeX named .txt', 'a.txt', `% refs\n@Article{k, title={T}}`],
    ['TSV named .csv', 'a.csv', 'Title\tAbstract\nT\tA\n'],
    ['CSV named .dat', 'a.dat', 'paper_id,Title,Summary\n1,T,A\n'],
    ['listing chrome', 'a', `Get trending papers in your email inbox!\nT\n${abstract}`],
    ['plain text', 'a.txt', `${abstract}\n\n${abstract}`],
  ];
  const expected = ['json', 'jsonl', 'bibtex', 'tsv', 'csv', 'listing-text', 'plain-text'];
  cases.forEach(([label, name, text], i) => {
    it(`reads ${label} as ${expected[i]}`, () => {
      expect(detectFormat(text, name)).toBe(expected[i]);
    });
  });
});

describe('parseCorpusFiles', () => {
  const csv = textFile('a.csv', `id,title,abstract\n1,Shared,"${abstractAbout('shared')}"\n`);
  const jsonl = textFile(
    'b.jsonl',
    [
      { id: 'x', title: 'Shared', abstract: abstractAbout('shared') },
      { id: 'y', title: 'Own', abstract: abstractAbout('own') },
    ]
      .map((row) => JSON.stringify(row))
      .join('\n'),
  );

  it('keeps a paper found in two files once, from the first, and names each source', async () => {
    const result = await parseCorpusFiles([csv, jsonl]);
    expect(result.papers.map((paper) => [paper.id, paper.source])).toEqual([
      ['1', 'a.csv'],
      ['y', 'b.jsonl'],
    ]);
    expect(result.format).toBe('csv');
    expect(result.files).toEqual([
      { name: 'a.csv', format: 'csv', papers: 1, skipped: { count: 0, reasons: {} } },
      {
        name: 'b.jsonl',
        format: 'jsonl',
        papers: 1,
        skipped: { count: 1, reasons: { duplicate: 1 } },
      },
    ]);
  });

  it('loads the good files and reports the bad one in the warnings', async () => {
    const allSkipped = textFile('nothing.csv', 'title,abstract\nA,\nB,\n');
    const result = await parseCorpusFiles([textFile('empty.csv', ''), allSkipped, jsonl]);
    expect(result.papers).toHaveLength(2);
    expect(result.skipped.count).toBe(0);
    expect(result.warnings[1]).toMatch(/^nothing\.csv was not loaded: No papers found/);
    expect(result.warnings[0]).toMatch(/^empty\.csv was not loaded: empty\.csv is empty/);
  });

  it('throws the first error when no file loads, and refuses an empty list', async () => {
    await expectParseError(
      parseCorpusFiles([textFile('empty.csv', ''), textFile('blank.txt', ' ')]),
      'empty-file',
      /empty\.csv/,
    );
    await expectParseError(parseCorpusFiles([]), 'no-files');
  });
});

describe('damaged and unusual input', () => {
  it('keeps UTF-8 with one damaged byte as UTF-8 and counts the damage', async () => {
    const good = new TextEncoder().encode(
      `title,abstract\nCafé naïve,"${abstractAbout('résumé')}"\n`,
    );
    const cut = good.length - 4;
    const bytes = Uint8Array.from([...good.subarray(0, cut), 0xff, ...good.subarray(cut)]);
    const result = await parseCorpusFiles([{ name: 'damaged.csv', bytes }]);
    expect(result.papers[0]!.title).toBe('Café naïve');
    expect(result.papers[0]!.abstract).toContain('\uFFFD');
    expect(result.warnings.join(' ')).toMatch(/UTF-8 with 1 damaged character/);
  });

  it('reads a JSON list of bare strings as abstracts', async () => {
    const text = JSON.stringify([abstractAbout('one'), abstractAbout('two')]);
    const result = await parseCorpusFiles([textFile('strings.json', text)]);
    expect(result.papers.map((paper) => paper.title)).toEqual([
      'We study one in depth.',
      'We study two in depth.',
    ]);
  });
});
