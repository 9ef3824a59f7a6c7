import { describe, expect, it } from 'vitest';
import { TextSearch } from '../../../src/view/model/text-search.ts';
import type { Paper } from '../../../src/pipeline/types.ts';

describe('text search', () => {
  const papers: Paper[] = [
    {
      id: 'a',
      title: 'Graph neural networks',
      abstract: 'Message passing on graphs.',
      authors: ['Ada Lovelace'],
    },
    { id: 'b', title: 'Protein folding', abstract: 'We predict structures with graph models.' },
    {
      id: 'c',
      title: 'Galaxy surveys',
      abstract: 'Redshift estimation.',
      authors: ['Grace Hopper'],
    },
  ];

  it('finds title, abstract and author matches, title first, by prefix', async () => {
    const search = await TextSearch.build(papers, { sliceSize: 2 });
    expect(search.query('graph').map((h) => h.index)).toEqual([0, 1]);
    expect(search.query('hopp').map((h) => h.index)).toEqual([2]);
    expect(search.query('graph protein').map((h) => h.index)).toEqual([1]);
    expect(search.query('   ')).toEqual([]);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(TextSearch.build(papers, { signal: controller.signal })).rejects.toThrow(
      /Cancelled/,
    );
  });
});
