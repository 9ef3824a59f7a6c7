import { describe, expect, it } from 'vitest';
import type { AtlasMap } from '../../../src/pipeline/atlas-map.ts';
import type { Paper } from '../../../src/pipeline/types.ts';
import { ExplorerDerived } from '../../../src/view/explorer/derived.ts';
import { buildFacetIndex } from '../../../src/view/model/facets.ts';

/** A map as far as the facet index reads it: its papers. */
function mapOf(count: number): AtlasMap {
  const papers: Paper[] = Array.from({ length: count }, (_, i) => ({
    id: `p${i}`,
    title: `Paper ${i}`,
    abstract: 'text',
    year: 2010 + (i % 15),
    categories: [`c${i % 30}`],
    authors: [`Author ${i % 2000}`],
  }));
  return { papers } as unknown as AtlasMap;
}

describe('ExplorerDerived facets', () => {
  it('builds the index ahead of need across tasks, and the filters then use that very index', async () => {
    const derived = new ExplorerDerived();
    const map = mapOf(30_000);
    const prepared = derived.prepareFacets(map);
    // Nothing is built in the task that asked: the build starts in a later one.
    let tasks = 0;
    const counting = (async () => {
      while (tasks < 1_000) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        tasks++;
      }
    })();
    await prepared;
    expect(tasks).toBeGreaterThan(0);
    const { index } = derived.facets(map);
    expect(index).toEqual(buildFacetIndex(map.papers));
    expect(derived.facets(map).index).toBe(index);
    tasks = 1_000;
    await counting;
  });

  it('finishes a build under way at once when the filters are opened before it is done', () => {
    const derived = new ExplorerDerived();
    const map = mapOf(20_000);
    void derived.prepareFacets(map);
    expect(derived.facets(map).index).toEqual(buildFacetIndex(map.papers));
  });
});
