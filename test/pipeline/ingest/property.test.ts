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
