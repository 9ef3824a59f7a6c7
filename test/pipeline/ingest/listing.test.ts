import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCorpus, parseCorpusFiles } from '../../../src/pipeline/ingest/index.ts';
import { abstractAbout, textFile } from './helpers.ts';

const corpusDir = new URL('../../../public/corpus/', import.meta.url);
const page000 = {
  name: '000_fb52ed483ac48457.txt',
  bytes: readFileSync(new URL('000_fb52ed483ac48457.txt', corpusDir)),
};
const page003 = {
  name: '003_33f3c3e9fbea1a2f.txt',
  bytes: readFileSync(new URL('003_33f3c3e9fbea1a2f.txt', corpusDir)),
};

describe('bundled listing pages', () => {
  it('reads 57 papers from page 000 (blank-line layout) with its chrome removed', async () => {
    const result = await parseCorpus(page000);
    expect(result.format).toBe('listing-text');
    expect(result.papers).toHaveLength(57);
    expect(result.skipped.count).toBe(0);
    expect(result.warnings).toEqual([]);
    const titles = result.papers.map((paper) => paper.title);
    expect(titles[0]).toBe(
      'Relation DETR: Exploring Explicit Position Relation Prior for Object Detection',
    );
    expect(titles.at(-1)).toMatch(/^Paraformer: Fast and Accurate Parallel Transformer/);
    for (const chrome of ['new', 'Subscribe', 'Mar 12', 'byAK and the research community']) {
      expect(titles).not.toContain(chrome);
    }
    for (const paper of result.papers) {
      expect(paper.abstract.length).toBeGreaterThan(1000);
      expect(paper.title.length).toBeLessThan(200);
      expect(paper.id).toMatch(/^[0-9a-f]{16}$/);
      expect(paper.source).toBe(page000.name);
    }
  });

  it('reads 119 papers from page 003 (one line each) and splits the title glued to "Subscribe"', async () => {
    const result = await parseCorpus(page003);
    expect(result.format).toBe('listing-text');
    expect(result.papers).toHaveLength(119);
    expect(result.skipped.count).toBe(0);
    expect(result.papers[0]!.title).toBe(
      'Layer-stacked Attention for Heterogeneous Network Embedding',
    );
    expect(result.papers.at(-1)!.title).toBe(
      'Joint Extraction of Entities and Relations Based on a Novel Decomposition Strategy',
    );
    expect(result.papers.some((paper) => /trending papers/i.test(paper.title))).toBe(false);
  });

  it('merges both pages into 172 papers, keeping the 4 papers listed on both once', async () => {
    const result = await parseCorpusFiles([page000, page003]);
    expect(result.papers).toHaveLength(172);
    expect(result.skipped).toEqual({ count: 4, reasons: { duplicate: 4 } });
    expect(new Set(result.papers.map((paper) => paper.id)).size).toBe(172);
    const shared = result.papers.find((paper) => paper.title.startsWith('ARM-Net'));
    expect(shared?.source).toBe(page000.name);
    expect(result.files.map((file) => [file.name, file.papers])).toEqual([
      [page000.name, 57],
      [page003.name, 115],
    ]);
  });

  it('gives the same ids whichever file a paper is read from', async () => {
    const [a, b] = await Promise.all([parseCorpus(page000), parseCorpus(page003)]);
    const idOf = (papers: typeof a.papers, title: string) =>
      papers.find((paper) => paper.title === title)?.id;
    const title = 'Heterogeneous Graph Representation Learning with Relation Awareness';
    expect(idOf(a.papers, title)).toBeDefined();
    expect(idOf(a.papers, title)).toBe(idOf(b.papers, title));
  });
});

describe('listing text layouts', () => {
  const papers = ['graph neural networks', 'speech recognition', 'protein folding'];
  const titles = ['Graphs All the Way Down', 'Listening Machines', 'Folding at Home Again'];

  it('reads the one-line-each layout with dates and chrome between papers', async () => {
    const text = [
      'Get trending papers in your email inbox!',
      `Subscribe${titles[0]}`,
      abstractAbout(papers[0]!),
      'Mar 12',
      titles[1],
      abstractAbout(papers[1]!),
      '42',
      titles[2],
      abstractAbout(papers[2]!),
    ].join('\n');
    const result = await parseCorpus(textFile('page.txt', text));
    expect(result.papers.map((paper) => paper.title)).toEqual(titles);
    expect(result.papers[1]!.abstract).toBe(abstractAbout(papers[1]!));
  });

  it('reads the blank-line layout with CRLF line ends, and reports a title without abstract', async () => {
    const text = [
      'new',
      'Subscribe',
      titles[0],
      abstractAbout(papers[0]!),
      'A Title Whose Abstract Went Missing',
      titles[1],
      abstractAbout(papers[1]!),
    ].join('\r\n\r\n');
    const result = await parseCorpus(textFile('page.txt', text));
    expect(result.format).toBe('listing-text');
    expect(result.papers.map((paper) => paper.title)).toEqual(titles.slice(0, 2));
    expect(result.skipped).toEqual({ count: 1, reasons: { 'missing abstract': 1 } });
    expect(result.warnings.join(' ')).toMatch(/1 row was skipped: 1 missing abstract/);
  });

  it('detects a listing without chrome by its title/abstract rhythm', async () => {
    const text = titles.map((title, i) => `${title}\n${abstractAbout(papers[i]!)}`).join('\n');
    const result = await parseCorpus(textFile('notes.txt', text));
    expect(result.format).toBe('listing-text');
    expect(result.papers).toHaveLength(3);
  });

  it('reads prose whose short paragraphs end a sentence as plain text, one paper per paragraph', async () => {
    // A one-sentence paragraph followed by a long one is two documents, not a title and its abstract.
    const text = [
      'We note one finding about the first topic in a sentence.',
      abstractAbout(papers[0]!),
      'We note another finding about the second topic here.',
      abstractAbout(papers[1]!),
    ].join('\n\n');
    const result = await parseCorpus(textFile('notes.txt', text));
    expect(result.format).toBe('plain-text');
    expect(result.papers).toHaveLength(4);
    expect(result.skipped.count).toBe(0);
  });
});
