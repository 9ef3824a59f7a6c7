import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { isCancelled } from '../../../src/lib/errors.ts';
import {
  MAX_CORPUS_BYTES,
  parseCorpus,
  type CorpusFile,
} from '../../../src/pipeline/ingest/index.ts';
import { abstractAbout, expectParseError, textFile } from './helpers.ts';

const PNG_HEADER = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48];

function utf16(text: string, littleEndian: boolean, bom: boolean): Uint8Array {
  const body = bom ? `\uFEFF${text}` : text;
  const bytes = new Uint8Array(body.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < body.length; i++) view.setUint16(i * 2, body.charCodeAt(i), littleEndian);
  return bytes;
}

/** Windows-1252 bytes for text whose characters all exist in that code page. */
function windows1252(text: string): Uint8Array {
  const high: Record<string, number> = {
    '\u201C': 0x93,
    '\u201D': 0x94,
    '\u2013': 0x96,
    '€': 0x80,
  };
  return Uint8Array.from(text, (char) => high[char] ?? char.charCodeAt(0));
}

const csvRows = (rows: [string, string][]): string =>
  `title,abstract\n${rows.map(([title, abstract]) => `"${title}","${abstract}"`).join('\n')}\n`;

describe('files that are not usable text', () => {
  it('refuses an empty file', async () => {
    await expectParseError(
      parseCorpus(textFile('empty.csv', '')),
      'empty-file',
      /empty\.csv is empty/,
    );
  });

  it('refuses a file of whitespace only', async () => {
    await expectParseError(
      parseCorpus(textFile('blank.txt', ' \n\t\r\n  ')),
      'empty-file',
      /only whitespace/,
    );
  });

  it('names a PNG image that was given a .csv name', async () => {
    const file = { name: 'papers.csv', bytes: Uint8Array.from([...PNG_HEADER, 1, 2, 3]) };
    const error = await expectParseError(
      parseCorpus(file),
      'not-text',
      /papers\.csv is a PNG image/,
    );
    expect(error.hint).toMatch(/CSV, TSV, JSON/);
  });

  it('refuses binary bytes of no known kind', async () => {
    const bytes = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256);
    await expectParseError(parseCorpus({ name: 'blob.txt', bytes }), 'not-text', /binary/);
  });

  it('refuses text with NUL bytes in it', async () => {
    await expectParseError(parseCorpus(textFile('nul.txt', `title\u0000abstract`)), 'not-text');
  });

  it('says a truncated gzip file ends early', async () => {
    const whole = gzipSync(Buffer.from(csvRows([['A', abstractAbout('a')]]).repeat(50)));
    const file = { name: 'papers.csv.gz', bytes: whole.subarray(0, whole.length - 30) };
    await expectParseError(parseCorpus(file), 'gzip-truncated', /ends early/);
  });

  it('says a gzip file with a corrupt body cannot be decompressed', async () => {
    const bytes = Uint8Array.from([
      0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0x03, 0xff, 0xff, 0xff, 0xff,
    ]);
    const error = await expectParseError(parseCorpus({ name: 'x.gz', bytes }), 'gzip-corrupt');
    expect(error.message).toMatch(/x\.gz/);
  });

  it('refuses a file over the size limit and says the limit', async () => {
    await expectParseError(
      parseCorpus(textFile('big.csv', 'x'.repeat(2048)), { maxBytes: 1024 }),
      'too-large',
      /big\.csv is 2\.0 KB; the limit is 1\.0 KB/,
    );
    expect(MAX_CORPUS_BYTES).toBe(200 * 1024 * 1024);
  });

  it('refuses gzip content that unpacks beyond the limit', async () => {
    const bytes = gzipSync(Buffer.alloc(1_000_000, 0x61));
    await expectParseError(
      parseCorpus({ name: 'bomb.txt.gz', bytes }, { maxBytes: 100_000 }),
      'too-large',
      /unpacks to more than/,
    );
  });
});

describe('encodings', () => {
  const rows: [string, string][] = [['Café “quoted” – €5', abstractAbout('naïve résumé')]];
  const expectedTitle = 'Café “quoted” – €5';

  it('reads Windows-1252 / Latin-1 bytes and says so', async () => {
    const result = await parseCorpus({ name: 'latin.csv', bytes: windows1252(csvRows(rows)) });
    expect(result.papers[0]!.title).toBe(expectedTitle);
    expect(result.warnings.join(' ')).toMatch(/not valid UTF-8; it was read as Windows-1252/);
  });

  for (const [label, littleEndian, bom] of [
    ['UTF-16 LE with BOM', true, true],
    ['UTF-16 BE with BOM', false, true],
    ['UTF-16 LE without BOM', true, false],
    ['UTF-16 BE without BOM', false, false],
  ] as const) {
    it(`reads ${label}`, async () => {
      const bytes = utf16(csvRows(rows), littleEndian, bom);
      const result = await parseCorpus({ name: 'wide.csv', bytes });
      expect(result.papers.map((paper) => paper.title)).toEqual([expectedTitle]);
    });
  }

  it('strips a UTF-8 BOM before JSON', async () => {
    const json = `\uFEFF${JSON.stringify([{ title: 'T', abstract: abstractAbout('t') }])}`;
    const result = await parseCorpus(textFile('bom.json', json));
    expect(result.format).toBe('json');
    expect(result.papers).toHaveLength(1);
  });

  it('reads JSONL with CRLF line ends', async () => {
    const lines = ['a', 'b', 'c'].map((t) =>
      JSON.stringify({ title: t, abstract: abstractAbout(t) }),
    );
    const result = await parseCorpus(textFile('crlf.jsonl', lines.join('\r\n') + '\r\n'));
    expect(result.papers).toHaveLength(3);
  });
});

describe('broken structure', () => {
  it('gives the line and column of invalid JSON', async () => {
    const text = '[\n  {"title": "A", "abstract": "x"},\n  {"title": "B" "abstract": "y"}\n]';
    await expectParseError(
      parseCorpus(textFile('bad.json', text)),
      'invalid-json',
      /bad\.json is not valid JSON at line 3, column 17: Expected ',' or '}' after property value/,
    );
  });

  it('gives the position of a JSON file that stops early', async () => {
    await expectParseError(
      parseCorpus(textFile('cut.json', '[{"title": "A",\n "abstract": "some')),
      'invalid-json',
      /line 2, column \d+/,
    );
  });

  it('skips JSONL lines that are not JSON and lists their numbers', async () => {
    const good = JSON.stringify({ title: 'A', abstract: abstractAbout('a') });
    const result = await parseCorpus(textFile('mixed.jsonl', `${good}\n{oops\n\n[1,\n`));
    expect(result.papers).toHaveLength(1);
    expect(result.skipped.reasons).toEqual({ 'invalid JSON line': 2 });
    expect(result.warnings.join(' ')).toMatch(/2 lines are not valid JSON \(line 2, 4\)/);
  });

  it('reads deeply nested JSON without a crash and says no row is a paper', async () => {
    const depth = 100_000;
    const text = '['.repeat(depth) + ']'.repeat(depth);
    await expectParseError(
      parseCorpus(textFile('deep.json', text)),
      'no-papers',
      /all 1 entry was skipped \(1 not an object\)/,
    );
  });

  it('warns about JSON objects with repeated keys and uses the last value', async () => {
    const text = `[{"title": "First", "title": "Second", "abstract": "${abstractAbout('k')}"}]`;
    const result = await parseCorpus(textFile('dupkeys.json', text));
    expect(result.papers[0]!.title).toBe('Second');
    expect(result.warnings.join(' ')).toMatch(/1 object repeats a key \(e\.g\. "title"\)/);
  });

  it('names a JSON scalar instead of papers', async () => {
    await expectParseError(
      parseCorpus(textFile('s.json', '"hello"')),
      'json-no-papers',
      /single JSON string/,
    );
  });

  it('warns about a CSV quote that is never closed and keeps the rows before it', async () => {
    const text = `title,abstract\nGood,"${abstractAbout('good')}"\nBad,"${abstractAbout('bad')}\nNext,row\n`;
    const result = await parseCorpus(textFile('quotes.csv', text));
    expect(result.papers[0]!.title).toBe('Good');
    expect(result.warnings.join(' ')).toMatch(/quoted field opened in row 3 is never closed/);
  });

  it('names the columns found when no column holds abstracts', async () => {
    const error = await expectParseError(
      parseCorpus(textFile('cols.csv', 'Title,Venue,Pages\nA,NeurIPS,12\n')),
      'missing-abstract-column',
      /Columns found: "Title", "Venue", "Pages"/,
    );
    expect(error.hint).toMatch(/abstract, summary, text, description/);
  });

  it('names the keys found when no JSON key holds abstracts', async () => {
    await expectParseError(
      parseCorpus(
        textFile('keys.jsonl', '{"name": "A", "venue": "X"}\n{"name": "B", "venue": "Y"}\n'),
      ),
      'missing-abstract-column',
      /Keys found: "name", "venue"/,
    );
  });

  it('reports a CSV with a header and no rows', async () => {
    await expectParseError(
      parseCorpus(textFile('header.csv', 'title,abstract\n')),
      'no-papers',
      /no entries were found/,
    );
  });

  it('skips a BibTeX file whose only entry is never closed, naming the line', async () => {
    const error = await expectParseError(
      parseCorpus(textFile('open.bib', '\n@article{key,\n title = {Open,\n abstract = {x}\n')),
      'no-papers',
      /1 malformed entry/,
    );
    expect(error.message).toMatch(/open\.bib/);
  });

  it('reports a .bib file without entries', async () => {
    await expectParseError(
      parseCorpus(textFile('none.bib', '% only a comment\n')),
      'no-papers',
      /no entries were found in it as BibTeX/,
    );
  });
});

describe('rows without papers', () => {
  it('says why when every row is invalid', async () => {
    await expectParseError(
      parseCorpus(textFile('empty-abstracts.csv', 'title,abstract\nA,\nB,N/A\nC,  \n')),
      'no-papers',
      /all 3 entries were skipped \(3 missing abstract\)/,
    );
  });

  it('skips titles without abstracts and counts them', async () => {
    const text = csvRows([
      ['A', abstractAbout('a')],
      ['B', ''],
      ['C', 'null'],
    ]);
    const result = await parseCorpus(textFile('some.csv', text));
    expect(result.papers).toHaveLength(1);
    expect(result.skipped).toEqual({ count: 2, reasons: { 'missing abstract': 2 } });
  });

  it('keeps the first of rows that share an id', async () => {
    const text = `id,title,abstract\nx1,A,"${abstractAbout('a')}"\nx1,B,"${abstractAbout('b')}"\nx2,C,"${abstractAbout('c')}"\n`;
    const result = await parseCorpus(textFile('ids.csv', text));
    expect(result.papers.map((paper) => paper.title)).toEqual(['A', 'C']);
    expect(result.skipped.reasons).toEqual({ 'duplicate id': 1 });
  });

  it('keeps one of 50,000 copies of a paper', async () => {
    const line = JSON.stringify({ title: 'Same', abstract: abstractAbout('copies') });
    const text = `${line}\n`.repeat(50_000);
    const result = await parseCorpus(textFile('copies.jsonl', text));
    expect(result.papers).toHaveLength(1);
    expect(result.skipped).toEqual({ count: 49_999, reasons: { duplicate: 49_999 } });
    expect(result.warnings.join(' ')).toMatch(/49,999 rows were skipped: 49,999 duplicate/);
  }, 10_000);

  it('cuts a 5 MB single-line document to the abstract limit and says so', async () => {
    const text = `${abstractAbout('size')} ${'word '.repeat(1_000_000)}`;
    const result = await parseCorpus(textFile('huge.txt', text));
    expect(result.papers).toHaveLength(1);
    expect(result.papers[0]!.title).toBe('We study size in depth.');
    expect(result.papers[0]!.abstract.length).toBe(20_000);
    expect(result.warnings.join(' ')).toMatch(/1 abstract was longer than 20,000 characters/);
  }, 10_000);

  it('stops mid-parse when cancelled while parsing a large file', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) =>
      JSON.stringify({ id: `p${i}`, title: `Paper ${i}`, abstract: abstractAbout(`topic ${i}`) }),
    );
    const controller = new AbortController();
    const parsing = parseCorpus(textFile('many.jsonl', lines.join('\n')), {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 0);
    const error = await parsing.catch((caught: unknown) => caught);
    expect(isCancelled(error)).toBe(true);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await parseCorpus(textFile('a.csv', csvRows([['A', 'b']])), {
      signal: controller.signal,
    }).catch((caught: unknown) => caught);
    expect(isCancelled(error)).toBe(true);
  });
});

describe('scripts and invisible characters', () => {
  async function single(
    title: string,
    abstract: string,
  ): Promise<{ title: string; abstract: string }> {
    const file: CorpusFile = textFile('x.json', JSON.stringify([{ title, abstract }]));
    const [paper] = (await parseCorpus(file)).papers;
    return { title: paper!.title, abstract: paper!.abstract };
  }

  it('keeps non-English text, normalised to NFC', async () => {
    const paper = await single(
      'Cafe\u0301 和 Тест',
      '这是一个关于图神经网络的摘要。 Это аннотация статьи.',
    );
    expect(paper.title).toBe('Café 和 Тест');
    expect(paper.title.normalize('NFC')).toBe(paper.title);
    expect(paper.abstract).toBe('这是一个关于图神经网络的摘要。 Это аннотация статьи.');
  });

  it('keeps right-to-left text as written', async () => {
    const paper = await single('تعلم الآلة', 'هذا ملخص عن الشبكات العصبية. זהו תקציר בעברית.');
    expect(paper).toEqual({
      title: 'تعلم الآلة',
      abstract: 'هذا ملخص عن الشبكات العصبية. זהו תקציר בעברית.',
    });
  });

  it('keeps emoji, including joined sequences', async () => {
    const paper = await single('Emoji 🚀 and 👩‍🔬', 'We map 👨‍👩‍👧 families 🎉 of emoji.');
    expect(paper.title).toBe('Emoji 🚀 and 👩‍🔬');
    expect(paper.abstract).toContain('👨‍👩‍👧');
  });

  it('removes zero-width characters and collapses whitespace', async () => {
    const paper = await single(
      'Gra\u200Bph\u2060 \u200DNetworks\uFEFF',
      'An\u00A0abstract \t with\n\n gaps\u200C.',
    );
    expect(paper).toEqual({ title: 'Graph Networks', abstract: 'An abstract with gaps.' });
  });
});
