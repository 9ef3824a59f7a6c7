import { describe, expect, it } from 'vitest';
import { isCslItem } from '../../../src/pipeline/ingest/csl-json.ts';
import { parseCorpus } from '../../../src/pipeline/ingest/index.ts';
import { abstractAbout, expectParseError, textFile } from './helpers.ts';

/** Items as Zotero's "Export Collection… → CSL JSON" writes them. */
const ZOTERO_CSL = [
  {
    id: 'http://zotero.org/users/local/abc/items/QW3RTY',
    type: 'article-journal',
    title: 'Attention Is All You Need',
    'container-title': 'Advances in Neural Information Processing Systems',
    abstract: abstractAbout('attention'),
    author: [
      { family: 'Vaswani', given: 'Ashish' },
      { family: 'Gomez', given: 'Aidan N.' },
      { literal: 'Google Brain' },
    ],
    issued: { 'date-parts': [[2017, 6, 12]] },
    DOI: '10.48550/arXiv.1706.03762',
    keyword: 'transformers, attention',
    note: 'Week 3',
  },
  {
    id: 'beethoven2020',
    type: 'paper-conference',
    title: 'Musical Graphs',
    abstract: abstractAbout('music'),
    author: [{ family: 'Beethoven', given: 'Ludwig', 'non-dropping-particle': 'van' }],
    issued: { raw: '2020-05-01' },
    URL: 'https://example.org/graphs',
  },
  {
    id: 'noabstract',
    type: 'book',
    title: 'A Book Without Abstract',
    issued: { 'date-parts': [[1999]] },
  },
];

describe('CSL-JSON', () => {
  it('recognises CSL items by their own keys, not ordinary JSON rows', () => {
    expect(isCslItem(ZOTERO_CSL[0]!)).toBe(true);
    expect(isCslItem({ type: 'article', author: [{ family: 'X' }] })).toBe(true);
    expect(isCslItem({ title: 'T', abstract: 'A', type: 'preprint' })).toBe(false);
    expect(isCslItem({ title: 'T', issued: 2020 })).toBe(false);
  });

  it('reads names, date parts, DOI links, keywords and notes from a Zotero export', async () => {
    const result = await parseCorpus(
      textFile('My Library.json', JSON.stringify(ZOTERO_CSL, null, 2)),
    );
    expect(result.format).toBe('json');
    expect(result.papers).toHaveLength(2);
    expect(result.papers[0]).toEqual({
      id: 'http://zotero.org/users/local/abc/items/QW3RTY',
      title: 'Attention Is All You Need',
      abstract: abstractAbout('attention'),
      authors: ['Ashish Vaswani', 'Aidan N. Gomez', 'Google Brain'],
      year: 2017,
      url: 'https://doi.org/10.48550/arXiv.1706.03762',
      categories: ['transformers', 'attention'],
      note: 'Week 3',
      source: 'My Library.json',
    });
    expect(result.papers[1]).toMatchObject({
      authors: ['Ludwig van Beethoven'],
      year: 2020,
      url: 'https://example.org/graphs',
    });
    // The book without an abstract is counted, not lost.
    expect(result.papers.length + result.skipped.count).toBe(ZOTERO_CSL.length);
    expect(result.skipped.reasons).toEqual({ 'missing abstract': 1 });
  });

  it('reads CSL-JSON as JSON Lines too', async () => {
    const lines = ZOTERO_CSL.slice(0, 2)
      .map((item) => JSON.stringify(item))
      .join('\n');
    const result = await parseCorpus(textFile('items.jsonl', lines));
    expect(result.papers.map((paper) => paper.year)).toEqual([2017, 2020]);
  });

  it('explains a CSL export without abstracts', async () => {
    await expectParseError(
      parseCorpus(textFile('books.json', JSON.stringify([ZOTERO_CSL[2]]))),
      'no-papers',
      /all 1 entry was skipped \(1 missing abstract\)/,
    );
  });
});
