import { describe, expect, it } from 'vitest';
import { Highlight } from '../../../src/view/model/highlight.ts';

const even = (i: number) => i % 2 === 0;

describe('Highlight', () => {
  it('highlights nothing (null, not an empty set) without clauses', () => {
    const highlight = Highlight.intersect();
    expect(highlight.active).toBe(false);
    expect(highlight.resolve(10)).toBeNull();
  });

  it('intersects listed and tested clauses, in the order of the first listed one', () => {
    const highlight = Highlight.intersect()
      .with({ source: 'search', indices: [8, 3, 4, 6, 1] })
      .with({ source: 'area', indices: Int32Array.from([1, 4, 6, 8, 9]) })
      .with({ source: 'legend', accepts: even });
    expect(Array.from(highlight.resolve(10)!)).toEqual([8, 4, 6]);
  });

  it('tests every paper in index order when no clause lists papers', () => {
    const highlight = Highlight.intersect().with({ source: 'legend', accepts: even });
    expect(Array.from(highlight.resolve(7)!)).toEqual([0, 2, 4, 6]);
  });

  it('keeps one clause per source: a new clause replaces the old one', () => {
    const first = Highlight.intersect().with({ source: 'search', indices: [1, 2] });
    const second = first.with({ source: 'search', indices: [5] });
    expect(second.clauses).toHaveLength(1);
    expect(Array.from(second.resolve(10)!)).toEqual([5]);
    expect(Array.from(first.resolve(10)!)).toEqual([1, 2]);
  });

  it('drops a source with without, leaving the others', () => {
    const highlight = Highlight.intersect()
      .with({ source: 'search', indices: [1, 2, 3] })
      .with({ source: 'area', indices: [2] })
      .without('area');
    expect(highlight.clause('area')).toBeUndefined();
    expect(Array.from(highlight.resolve(5)!)).toEqual([1, 2, 3]);
    expect(highlight.without('legend')).toBe(highlight);
  });

  it('keeps an empty result distinct from no highlight', () => {
    const highlight = Highlight.intersect()
      .with({ source: 'search', indices: [1] })
      .with({ source: 'area', indices: [2] });
    expect(Array.from(highlight.resolve(5)!)).toEqual([]);
  });

  it('unites clauses under union', () => {
    const highlight = Highlight.union()
      .with({ source: 'search', indices: [7, 1] })
      .with({ source: 'legend', accepts: (i) => i === 3 });
    expect(Array.from(highlight.resolve(10)!)).toEqual([1, 3, 7]);
  });

  it('leaves out the asking source’s own clause under crossfilter', () => {
    const highlight = Highlight.crossfilter()
      .with({ source: 'facet:year', accepts: (i) => i < 5 })
      .with({ source: 'legend', accepts: even });
    expect(Array.from(highlight.resolve(10)!)).toEqual([0, 2, 4]);
    expect(Array.from(highlight.resolve(10, 'facet:year')!)).toEqual([0, 2, 4, 6, 8]);
    expect(Array.from(highlight.resolve(10, 'legend')!)).toEqual([0, 1, 2, 3, 4]);
    expect(
      Highlight.crossfilter().with({ source: 'legend', accepts: even }).resolve(4, 'legend'),
    ).toBeNull();
    // Intersect ignores who asks.
    const intersect = Highlight.intersect().with({ source: 'legend', accepts: even });
    expect(Array.from(intersect.resolve(4, 'legend')!)).toEqual([0, 2]);
  });
});
