import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AtlasError, isCancelled } from '../../../src/lib/errors.ts';
import { parseBibtex } from '../../../src/pipeline/ingest/bibtex.ts';
import { PaperCollector, type ParseSteps } from '../../../src/pipeline/ingest/collect.ts';
import { parseDelimited } from '../../../src/pipeline/ingest/delimited.ts';
import { parseCorpus } from '../../../src/pipeline/ingest/index.ts';
import { parseJsonDocument, parseJsonLines } from '../../../src/pipeline/ingest/json.ts';
import { parseListing } from '../../../src/pipeline/ingest/listing.ts';
import { parsePlainText } from '../../../src/pipeline/ingest/plain.ts';
import { abstractAbout } from './helpers.ts';

const RUNS = 150;

/** Valid examples of every format, the seeds that mutations start from. */
const SEEDS: Record<string, string> = {
  'seed.csv': `id,title,abstract,authors\n1,"Graphs, again","${abstractAbout('graphs')}",A. B; C. D\n2,Speech,"${abstractAbout('speech')}",E\n`,
  'seed.tsv': `title\tabstract\tyear\nGraphs\t${abstractAbout('graphs')}\t2020\n`,
  'seed.json': JSON.stringify({
    papers: [
      { id: 'a', title: 'A', abstract: abstractAbout('a'), categories: ['cs.CL'] },
      { id: 'b', title: 'B', summary: abstractAbout('b') },
    ],
  }),
  'seed.jsonl': ['a', 'b', 'c']
    .map((topic) => JSON.stringify({ id: topic, title: topic, abstract: abstractAbout(topic) }))
    .join('\n'),
  'seed.bib': `@string{v = "Venue"}\n@article{k1, title = {{BERT} and {\\"o}}, author = {Doe, J. and Roe, R.}, abstract = "${abstractAbout('bib')} {nested {x}}", journal = v # " 2020"}\n% comment\n@misc{k2, title={T}, abstract={${abstractAbout('misc')}}}\n`,
  'seed.txt': `Get trending papers in your email inbox!\n\nSubscribe\n\nMar 12\n\nA Title\n\n${abstractAbout('listing')}\n\nAnother Title\n\n${abstractAbout('more')}\n`,
  'notes.txt': `First Document\n${abstractAbout('plain')}\n\n${abstractAbout('second')}\n`,
};

const NOISE = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.constantFrom(
    '"',
    "'",
    '{',
    '}',
    '[',
    ']',
    ',',
    '\t',
    '\n',
    '\r\n',
    '@',
    '\\',
    '#',
    '=',
    '$',
    '\u200B',
    '\uFEFF',
    '\u0000',
  ),
);

const MUTATIONS = fc.array(
  fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), remove: fc.nat(30), insert: NOISE }),
  { minLength: 1, maxLength: 6 },
);

function mutate(text: string, edits: { at: number; remove: number; insert: string }[]): string {
  let out = text;
  for (const edit of edits) {
    const position = Math.floor(edit.at * out.length);
    out = out.slice(0, position) + edit.insert + out.slice(position + edit.remove);
  }
  return out;
}

/** The one contract: papers with content, or an AtlasError that says what is wrong. Never a bare crash. */
async function expectPapersOrAtlasError(
  run: () => Promise<{ papers: { id: string; title: string; abstract: string }[] }>,
) {
  try {
    const result = await run();
    expect(result.papers.length).toBeGreaterThan(0);
    for (const paper of result.papers) {
      expect(paper.id.length).toBeGreaterThan(0);
      expect(paper.title.length).toBeGreaterThan(0);
      expect(paper.abstract.length).toBeGreaterThan(0);
    }
    expect(new Set(result.papers.map((paper) => paper.id)).size).toBe(result.papers.length);
  } catch (error) {
    if (!(error instanceof AtlasError)) throw error;
    expect(error.stage).toBe('parse');
    // 'failed' is the code toAtlasError gives an unexpected exception: a bug, not a reader's problem.
    expect(error.code).not.toBe('failed');
    expect(error.message.length).toBeGreaterThan(10);
  }
}

const encoder = new TextEncoder();

describe('parseCorpus on random and mutated input', () => {
  it('answers random bytes with papers or an AtlasError', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 512 }),
        fc.constantFrom('x.csv', 'x.json', 'x.jsonl', 'x.bib', 'x.txt', 'x.gz'),
        async (bytes, name) => expectPapersOrAtlasError(() => parseCorpus({ name, bytes })),
      ),
      { numRuns: RUNS, seed: 42 },
    );
  });

  it('answers random text with papers or an AtlasError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 400 }), async (text) =>
        expectPapersOrAtlasError(() => parseCorpus({ name: 'x.txt', bytes: encoder.encode(text) })),
      ),
      { numRuns: RUNS, seed: 7 },
    );
  });

  for (const [name, seed] of Object.entries(SEEDS)) {
    it(`answers mutations of ${name} with papers or an AtlasError`, async () => {
      await expectPapersOrAtlasError(() => parseCorpus({ name, bytes: encoder.encode(seed) }));
      await fc.assert(
        fc.asyncProperty(MUTATIONS, fc.boolean(), async (edits, keepName) =>
          expectPapersOrAtlasError(() =>
            parseCorpus({
              name: keepName ? name : 'unnamed',
              bytes: encoder.encode(mutate(seed, edits)),
            }),
          ),
        ),
        { numRuns: RUNS, seed: name.length },
      );
    });
  }
});

describe('each parser on mutated input of every format', () => {
  const parsers: Record<string, (text: string, collector: PaperCollector) => ParseSteps> = {
    delimited: (text, collector) =>
      parseDelimited(text, ',', { fileName: 'f', collector, warnings: [] }),
    json: (text, collector) => parseJsonDocument(text, { fileName: 'f', collector, warnings: [] }),
    jsonl: (text, collector) => parseJsonLines(text, { fileName: 'f', collector, warnings: [] }),
    bibtex: (text, collector) => parseBibtex(text, { fileName: 'f', collector, warnings: [] }),
    listing: (text, collector) => parseListing(text, { fileName: 'f', collector }),
    plain: (text, collector) => parsePlainText(text, { fileName: 'f', collector }),
  };
  const seeds = Object.values(SEEDS);

  for (const [name, parse] of Object.entries(parsers)) {
    it(`${name}: completes or throws an AtlasError`, () => {
      fc.assert(
        fc.property(fc.nat(seeds.length - 1), MUTATIONS, (seedIndex, edits) => {
          const collector = new PaperCollector();
          try {
            Array.from(parse(mutate(seeds[seedIndex]!, edits), collector));
          } catch (error) {
            if (!(error instanceof AtlasError) && !isCancelled(error)) throw error;
          }
          for (const paper of collector.papers) expect(paper.abstract.length).toBeGreaterThan(0);
        }),
        { numRuns: RUNS, seed: name.length },
      );
    });
  }
});

/** One generated record: what its row holds, and how its row is damaged. */
interface GeneratedRecord {
  /** A fresh abstract, none (a placeholder or nothing), or a copy of an earlier record (a duplicate). */
  abstract: 'fresh' | 'missing' | 'repeat';
  /** Its own id, none, or an earlier record's id (a duplicate id). */
  id: 'own' | 'none' | 'repeat';
  /** CSV/TSV: one field short, one field too many, empty fields past the header, or whole. */
  shape: 'whole' | 'short' | 'long' | 'trailing-empty';
  /** The line ending after the row, and inside its abstract when it has a line break. */
  ending: '\n' | '\r\n' | '\r';
  brokenAbstract: boolean;
}

const RECORD = fc.record<GeneratedRecord>({
  abstract: fc.constantFrom('fresh', 'fresh', 'fresh', 'missing', 'repeat'),
  id: fc.constantFrom('own', 'own', 'none', 'repeat'),
  shape: fc.constantFrom('whole', 'whole', 'whole', 'short', 'long', 'trailing-empty'),
  ending: fc.constantFrom('\n', '\r\n', '\r'),
  brokenAbstract: fc.boolean(),
});
/** The first record is fresh and whole, so every file has a paper and the parse never fails as a whole. */
const RECORDS = fc.tuple(
  RECORD.map((record): GeneratedRecord => ({ ...record, abstract: 'fresh', shape: 'whole' })),
  fc.array(RECORD, { maxLength: 30 }),
);
const COLUMN_ORDER = fc.shuffledSubarray(['id', 'title', 'abstract', 'year'], { minLength: 4 });

/** The record's fields: a copy of an earlier one for duplicates, empty where it has none. */
function fieldsOf(records: readonly GeneratedRecord[], i: number) {
  const record = records[i]!;
  const source = record.abstract === 'repeat' && i > 0 ? Math.floor(i / 2) : i;
  const topic = `topic ${source}`;
  const abstract =
    record.abstract === 'missing'
      ? i % 2 === 0
        ? ''
        : 'n/a'
      : record.brokenAbstract
        ? `${abstractAbout(topic)}${record.ending}It goes on, over a line break.`
        : abstractAbout(topic);
  return {
    id: record.id === 'own' ? `p${i}` : record.id === 'repeat' && i > 0 ? `p${i - 1}` : '',
    title: `Study of ${topic}`,
    abstract,
    year: String(2000 + (i % 20)),
  };
}

function delimitedFile(
  records: readonly GeneratedRecord[],
  columns: readonly string[],
  delimiter: ',' | '\t',
  headerEnding: string,
): string {
  const quote = (value: string) =>
    /["\r\n,\t]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
  let text = columns.join(delimiter) + headerEnding;
  records.forEach((record, i) => {
    const fields = fieldsOf(records, i);
    let row = columns.map((column) => quote(fields[column as keyof typeof fields]));
    if (record.shape === 'short') row = row.slice(0, -1);
    if (record.shape === 'long') row = [...row, 'extra field'];
    if (record.shape === 'trailing-empty') row = [...row, '', ''];
    text += row.join(delimiter) + record.ending;
    // Blank lines between rows are no records.
    if (i % 7 === 3) text += record.ending;
  });
  return text;
}

/** Every format's file for the same records, and the number of records in it. */
const FILES: Record<
  string,
  (records: GeneratedRecord[], columns: string[], headerEnding: string) => string
> = {
  'x.csv': (records, columns, headerEnding) => delimitedFile(records, columns, ',', headerEnding),
  'x.tsv': (records, columns, headerEnding) => delimitedFile(records, columns, '\t', headerEnding),
  'x.json': (records) =>
    JSON.stringify(
      records.map((record, i) => {
        const { id, title, abstract } = fieldsOf(records, i);
        // A record that is no object at all stands for a damaged one.
        if (record.shape === 'long') return 42;
        return { ...(id ? { id } : {}), title, ...(abstract ? { abstract } : {}) };
      }),
      null,
      1,
    ).replaceAll('\n', records[0]!.ending),
  'x.jsonl': (records) =>
    records
      .map((record, i) => {
        const { id, title, abstract } = fieldsOf(records, i);
        if (record.shape === 'long') return `{"title": "cut off${record.ending}`;
        return JSON.stringify({ id, title, abstract }) + record.ending;
      })
      .join(''),
  'x.bib': (records) =>
    records
      .map((record, i) => {
        const { id, title, abstract } = fieldsOf(records, i);
        const key = id || `k${i}`;
        if (record.shape === 'long') return `@article{${key}, title = }${record.ending}`;
        const abstractField = abstract ? `,${record.ending}  abstract = {${abstract}}` : '';
        return `@article{${key},${record.ending}  title = {${title}}${abstractField}${record.ending}}${record.ending}`;
      })
      .join(''),
};

describe('no silent loss: papers + skipped rows = records, for every format', () => {
  for (const [name, makeFile] of Object.entries(FILES)) {
    it(`${name}, with mixed line endings, ragged rows, duplicates and missing abstracts`, async () => {
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(
          RECORDS,
          COLUMN_ORDER,
          fc.constantFrom('\n', '\r\n', '\r'),
          async ([first, rest], columns, headerEnding) => {
            runs++;
            const records = [first, ...rest];
            const text = makeFile(records, columns, headerEnding);
            const result = await parseCorpus({ name, bytes: encoder.encode(text) });
            expect(result.papers.length + result.skipped.count).toBe(records.length);
            if (result.skipped.count > 0) {
              expect(result.warnings.join('\n')).toMatch(/skipped/);
            }
          },
        ),
        { numRuns: RUNS, seed: name.length * 31 },
      );
      console.info(`${name}: papers + skipped = records held in ${runs} generated files`);
      expect(runs).toBe(RUNS);
    });
  }

  // Plain text goes through detection too: paragraphs of varied length must not be read as a
  // listing page's title and abstract pairs, which would merge two documents into one paper.
  it('plain text, one paper per paragraph, with mixed line endings and short paragraphs', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(RECORDS, async ([first, rest]) => {
        runs++;
        const records = [first, ...rest];
        const text = records
          .map((record, i) => {
            const { abstract } = fieldsOf(records, i);
            // A paragraph too short to be a document is counted, not dropped; a one-sentence
            // paragraph is a document of its own.
            const paragraph =
              record.shape === 'long' || !abstract
                ? 'Too short.'
                : record.shape === 'short'
                  ? `We note one finding about topic ${i} in a sentence.`
                  : abstract;
            return paragraph + record.ending + record.ending;
          })
          .join('');
        const result = await parseCorpus({ name: 'notes.txt', bytes: encoder.encode(text) });
        expect(result.format).toBe('plain-text');
        expect(result.papers.length + result.skipped.count).toBe(records.length);
      }),
      { numRuns: RUNS, seed: 11 },
    );
    console.info(`plain text: papers + skipped = records held in ${runs} generated files`);
    expect(runs).toBe(RUNS);
  });
});
