import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toBibtex } from '../../../src/pipeline/export/bibtex.ts';
import type { BibliographyEntry } from '../../../src/pipeline/export/bibliography.ts';
import { citationKeys } from '../../../src/pipeline/export/citation-key.ts';
import { toRis } from '../../../src/pipeline/export/ris.ts';
import { parseCorpus } from '../../../src/pipeline/ingest/index.ts';
import { isPlaceholder, normalizeText } from '../../../src/pipeline/ingest/normalize.ts';
import type { Paper } from '../../../src/pipeline/types.ts';
import { papersToCsv } from '../../../src/view/model/csv.ts';
import { syntheticMap } from '../../../src/view/synthetic/synthetic-map.ts';

const encoder = new TextEncoder();

/** Pieces of real abstracts that trip writers up: LaTeX, math, BibTeX's special characters, accents, quotes. */
const TOKENS = [
  'graph',
  'Networks',
  'Müller',
  'naïve',
  'Ångström',
  '東京',
  'Ωmega',
  '$x^2$',
  '$\\{a_i\\}_{i=1}^n$',
  '$\\alpha$-divergence',
  '\\emph{robust}',
  '\\cite',
  '~30%',
  'a--b',
  '---',
  'R&D',
  '#1',
  'snake_case',
  '{',
  '}',
  '\\',
  '$',
  '^',
  '"quoted"',
  "it's",
  '@misc{x,',
  'ER  -',
  '=SUM(A1)',
  'x,',
  'y;',
  '\\"o',
  '(1)',
  '100%',
];

/** Text as the app holds it after import: normalised, never a placeholder, not starting like a spreadsheet formula. */
const text = (maxTokens: number) =>
  fc
    .array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: maxTokens })
    .chain((tokens) =>
      fc
        .array(fc.constantFrom(' ', '', ' ', ', '), {
          minLength: tokens.length,
          maxLength: tokens.length,
        })
        .map((glue) => normalizeText(tokens.map((token, i) => token + glue[i]!).join(''))),
    )
    .filter((value) => value.length > 0 && !isPlaceholder(value) && !/^[=+\-@]/.test(value));

const NAME_WORDS = [
  'Ada',
  'Lovelace',
  'Jean-Luc',
  'van',
  'der',
  'Berg',
  'Zoë',
  'O’Neil',
  'Li',
  'Ng',
];
const name = fc
  .tuple(
    fc.array(fc.constantFrom(...NAME_WORDS), { minLength: 1, maxLength: 4 }),
    fc.constantFrom('', '', '', ', Jr.'),
  )
  .map(([words, suffix]) => `${words.join(' ')}${words.length > 1 ? suffix : ''}`);

const category = fc
  .array(fc.constantFrom('cs.CL', 'machine', 'learning', 'hep-th', 'Graphs', 'NLP'), {
    minLength: 1,
    maxLength: 2,
  })
  .map((words) => words.join(' '));

const url = fc.oneof(
  fc.constantFrom('https://arxiv.org/abs/2401.01234', 'https://doi.org/10.1000/xyz_123'),
  fc.stringMatching(/^[a-z0-9/._%-]{1,20}$/).map((path) => `https://example.org/${path}`),
);

function paperArbitrary(): fc.Arbitrary<Omit<Paper, 'id'>> {
  return fc.record(
    {
      title: text(6),
      abstract: text(30),
      authors: fc.array(name, { minLength: 1, maxLength: 4 }),
      year: fc.integer({ min: 1600, max: 2100 }),
      url,
      categories: fc.uniqueArray(category, { minLength: 1, maxLength: 3 }),
      note: text(8),
    },
    { requiredKeys: ['title', 'abstract'] },
  );
}

/** Papers with distinct ids and contents (the reader keeps one of two identical papers, and says so). */
const papers = fc
  .uniqueArray(paperArbitrary(), {
    minLength: 1,
    maxLength: 6,
    selector: (paper) => `${paper.title.toLowerCase()}\n${paper.abstract.toLowerCase()}`,
  })
  .map((list) => list.map((paper, i): Paper => ({ id: `paper-${i}`, ...paper })));

/** A paper's fields as a reader would compare them (its note is written out from the entry). */
function fields(paper: Paper) {
  const { id: _id, source: _source, ...rest } = paper;
  return rest;
}

async function reimport(name: string, content: string): Promise<Paper[]> {
  const result = await parseCorpus({ name, bytes: encoder.encode(content) });
  expect(result.skipped.count).toBe(0);
  return result.papers;
}

const RUNS = 120;

describe('bibliography round trips: export, then import, keeps every paper and field', () => {
  it('BibTeX', async () => {
    await fc.assert(
      fc.asyncProperty(papers, async (list) => {
        const entries: BibliographyEntry[] = list.map((paper) => ({ paper }));
        const back = await reimport('list.bib', toBibtex(entries));
        expect(back.map(fields)).toEqual(list.map(fields));
        // The citation keys are the entries' keys, so they come back as the papers' ids.
        expect(back.map((paper) => paper.id)).toEqual(citationKeys(list));
      }),
      { numRuns: RUNS, seed: 161 },
    );
  });

  it('RIS', async () => {
    await fc.assert(
      fc.asyncProperty(papers, async (list) => {
        const entries: BibliographyEntry[] = list.map((paper) => ({ paper }));
        const back = await reimport('list.ris', toRis(entries));
        expect(back.map(fields)).toEqual(list.map(fields));
        expect(back.map((paper) => paper.id)).toEqual(citationKeys(list));
      }),
      { numRuns: RUNS, seed: 162 },
    );
  });

  it('CSV (the selection export), ids included', async () => {
    await fc.assert(
      fc.asyncProperty(papers, async (list) => {
        const map = syntheticMap({ count: list.length, seed: 3, vectorDim: 0 });
        const withSource = list.map((paper) => ({ ...paper, source: 'corpus.csv' }));
        const csv = papersToCsv({ ...map, papers: withSource }, Array.from(list.keys()));
        const back = await reimport('selection.csv', csv);
        expect(back.map(({ source: _source, ...paper }) => paper)).toEqual(list);
      }),
      { numRuns: RUNS, seed: 163 },
    );
  });

  it('a reading-list note takes the place of the paper’s own note, in every format', async () => {
    const paper: Paper = {
      id: 'p1',
      title: 'Graph Networks',
      abstract: 'We study graph networks in depth and improve them.',
      note: 'From the file',
    };
    const entry = { paper, note: 'Discuss   in week 2' };
    const map = syntheticMap({ count: 1, seed: 3, vectorDim: 0 });
    const csv = papersToCsv({ ...map, papers: [paper] }, [0], new Map([['p1', entry.note]]));
    for (const [name, content] of [
      ['n.bib', toBibtex([entry])],
      ['n.ris', toRis([entry])],
      ['n.csv', csv],
    ] as const) {
      const [back] = await reimport(name, content);
      expect(back!.note).toBe('Discuss in week 2');
    }
    const [kept] = await reimport('k.bib', toBibtex([{ paper }]));
    expect(kept!.note).toBe('From the file');
  });

  it('exporting what was imported gives the same file again', async () => {
    await fc.assert(
      fc.asyncProperty(papers, async (list) => {
        const entries = list.map((paper) => ({ paper }));
        const bibtex = toBibtex(entries);
        const again = (await reimport('a.bib', bibtex)).map((paper) => ({ paper }));
        expect(toBibtex(again)).toBe(bibtex);
        const ris = toRis(entries);
        const risAgain = (await reimport('a.ris', ris)).map((paper) => ({ paper }));
        expect(toRis(risAgain)).toBe(ris);
      }),
      { numRuns: 60, seed: 164 },
    );
  });
});
