import { describe, expect, it } from 'vitest';
import { packPapers, packTexts, unpackPapers, unpackTexts } from '../../src/lib/packed-papers.ts';
import type { Paper } from '../../src/pipeline/types.ts';

describe('packed papers', () => {
  it('round-trips papers with and without optional fields, in chunks', async () => {
    const papers: Paper[] = [
      { id: 'a', title: 'First', abstract: 'One.' },
      {
        id: 'b',
        title: 'Second <b>',
        abstract: 'Two,\nlines.',
        authors: ['X Y'],
        year: 2024,
        categories: ['cs.CL'],
      },
      { id: 'c', title: '', abstract: 'Empty title.', url: 'https://example.org', source: 'f.csv' },
    ];
    let pauses = 0;
    const back = await unpackPapers(packPapers(papers), async () => void pauses++, 2);
    expect(back).toEqual(papers);
    expect(pauses).toBe(1);
  });

  it('round-trips texts, dropping the separator character from them', () => {
    expect(unpackTexts(packTexts(['a', 'b\u0000c', '']))).toEqual(['a', 'bc', '']);
    expect(unpackTexts(packTexts([]))).toEqual([]);
  });
});
