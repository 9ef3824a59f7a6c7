import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Paper } from '../../../src/pipeline/types.ts';
import {
  buildFacetIndex,
  crossfilter,
  facetIndexSteps,
  type FacetFilter,
  FacetScratch,
  facetOf,
  OTHER_LABEL,
  papersInTimeRange,
  timeSteps,
  datedUnit,
  TOP_VALUES,
  type ValueFacet,
} from '../../../src/view/model/facets.ts';
import {
  decodeFacetFilters,
  encodeFacetFilters,
  timeKeyLabel,
} from '../../../src/view/model/facet-links.ts';

function paper(i: number, extra: Partial<Paper>): Paper {
  return { id: `p${i}`, title: `Paper ${i}`, abstract: 'text', ...extra };
}

const papers: Paper[] = [
  paper(0, { year: 2024, month: 1, categories: ['cs.CL', 'cs.LG'], source: 'a.csv' }),
  paper(1, { year: 2024, month: 6, categories: ['cs.CL'], source: 'a.csv' }),
  paper(2, { year: 2025, month: 2, categories: ['cs.CV'], source: 'b.csv' }),
  paper(3, { year: 2025, month: 3, categories: ['cs.LG'], source: 'b.csv' }),
  paper(4, { categories: ['cs.LG'], source: 'b.csv' }),
];

describe('facet index', () => {
  const index = buildFacetIndex(papers);

  it('indexes only the fields the corpus has, time first, to the month where dates have months', () => {
    expect(index.facets.map((facet) => facet.field)).toEqual(['time', 'category', 'source']);
    const time = facetOf(index, 'time');
    expect(time?.field === 'time' && time.unit).toBe('month');
    if (time?.field !== 'time') throw new Error('no time facet');
    expect(timeKeyLabel('month', time.firstKey)).toBe('2024-01');
    expect(time.binCount).toBe(15);
    expect([...time.binOf]).toEqual([0, 5, 13, 14, -1]);
    expect(time.totals.reduce((a, b) => a + b, 0)).toBe(4);
  });

  it('falls back to years when some dates lack a month', () => {
    const mixed = buildFacetIndex([paper(0, { year: 2020 }), paper(1, { year: 2022, month: 5 })]);
    const time = facetOf(mixed, 'time');
    expect(time?.field === 'time' && time.unit).toBe('year');
    expect(time?.field === 'time' && [...time.totals]).toEqual([1, 0, 1]);
  });

  it('keeps the top values and folds the rest into Other', () => {
    const many = Array.from({ length: 30 }, (_, i) =>
      paper(i, { categories: [`c${String(i).padStart(2, '0')}`, 'common'] }),
    );
    const facet = facetOf(buildFacetIndex(many), 'category') as ValueFacet;
    expect(facet.values).toHaveLength(TOP_VALUES + 1);
    expect(facet.values[0]).toBe('common');
    expect(facet.values.at(-1)).toBe(OTHER_LABEL);
    expect(facet.totals[0]).toBe(30);
    expect(facet.totals[facet.otherCode]).toBe(30 - (TOP_VALUES - 1));
  });

  it('counts a paper once per value even when a value repeats', () => {
    const facet = facetOf(
      buildFacetIndex([paper(0, { categories: ['x', 'x', 'y'] })]),
      'category',
    ) as ValueFacet;
    expect([...facet.totals]).toEqual([1, 1]);
  });

  it('builds a step at a time: a large index in many bounded steps, equal to the whole build', () => {
    const large = Array.from({ length: 20_000 }, (_, i) =>
      paper(i, {
        year: 2000 + (i % 25),
        categories: [`c${i % 40}`],
        authors: [`Author ${i % 3000}`, `Writer ${i % 7}`],
        source: `s${i % 3}.csv`,
      }),
    );
    const steps = facetIndexSteps(large);
    let pauses = 0;
    let step = steps.next();
    for (; !step.done; step = steps.next()) pauses++;
    // Four facets, each pausing every 4,096 papers of a pass (one pass for time, two for each value
    // facet), and around the ranking of each value facet's values.
    expect(pauses).toBeGreaterThanOrEqual(4 + 3 * 8);
    expect(step.value).toEqual(buildFacetIndex(large));
  });
});

describe('crossfilter', () => {
  const index = buildFacetIndex(papers);

  it('with no filter passes every paper and counts the whole distribution', () => {
    const result = crossfilter(index, []);
    expect(result.passCount).toBe(5);
    const category = facetOf(index, 'category') as ValueFacet;
    expect([...result.counts.get('category')!]).toEqual([...category.totals]);
  });

  it('counts each facet under the other facets’ filters only', () => {
    const filters: FacetFilter[] = [
      { field: 'category', values: ['cs.LG'] },
      { field: 'time', from: 2025 * 12, to: 2025 * 12 + 11 },
    ];
    const result = crossfilter(index, filters);
    expect([...result.passes]).toEqual([0, 0, 0, 1, 0]);
    // Categories under the time filter alone: papers 2 (cs.CV) and 3 (cs.LG).
    const category = facetOf(index, 'category') as ValueFacet;
    const counts = result.counts.get('category')!;
    expect(counts[category.values.indexOf('cs.LG')]).toBe(1);
    expect(counts[category.values.indexOf('cs.CV')]).toBe(1);
    expect(counts[category.values.indexOf('cs.CL')]).toBe(0);
    // Time under the category filter alone: papers 0 and 3 (paper 4 has no date).
    const time = result.counts.get('time')!;
    expect(time.reduce((a, b) => a + b, 0)).toBe(2);
  });

  it('agrees with a naive per-paper evaluation on random corpora and filters', () => {
    const values = ['a', 'b', 'c', 'd'];
    const paperArb = fc.record({
      year: fc.option(fc.integer({ min: 2019, max: 2022 }), { nil: undefined }),
      categories: fc.option(fc.subarray(values, { minLength: 1 }), { nil: undefined }),
      source: fc.option(fc.constantFrom('s1', 's2', 's3'), { nil: undefined }),
    });
    const filterArb = fc.record({
      time: fc.option(
        fc.tuple(fc.integer({ min: 2019, max: 2022 }), fc.integer({ min: 0, max: 3 })),
        { nil: undefined },
      ),
      category: fc.option(fc.subarray(values, { minLength: 1 }), { nil: undefined }),
      source: fc.option(fc.subarray(['s1', 's2', 's3'], { minLength: 1 }), { nil: undefined }),
    });
    let runs = 0;
    fc.assert(
      fc.property(fc.array(paperArb, { minLength: 1, maxLength: 40 }), filterArb, (rows, f) => {
        runs++;
        const corpus = rows.map((row, i) => {
          const p = paper(i, {});
          if (row.year !== undefined) p.year = row.year;
          if (row.categories !== undefined) p.categories = row.categories;
          if (row.source !== undefined) p.source = row.source;
          return p;
        });
        const filters: FacetFilter[] = [];
        if (f.time) filters.push({ field: 'time', from: f.time[0], to: f.time[0] + f.time[1] });
        if (f.category) filters.push({ field: 'category', values: f.category });
        if (f.source) filters.push({ field: 'source', values: f.source });
        const idx = buildFacetIndex(corpus);
        const result = crossfilter(idx, filters, new FacetScratch(idx));

        const passesFilter = (p: Paper, filter: FacetFilter): boolean => {
          if (filter.field === 'time')
            return p.year !== undefined && p.year >= filter.from && p.year <= filter.to;
          const own = filter.field === 'category' ? p.categories : p.source ? [p.source] : [];
          return (own ?? []).some((v) => filter.values.includes(v));
        };
        const present = filters.filter((filter) => facetOf(idx, filter.field));
        const naivePasses = corpus.map((p) => present.every((filter) => passesFilter(p, filter)));
        expect([...result.passes]).toEqual(naivePasses.map(Number));
        for (const facet of idx.facets) {
          const others = present.filter((filter) => filter.field !== facet.field);
          const expected = new Array<number>(facet.totals.length).fill(0);
          corpus.forEach((p, i) => {
            if (!others.every((filter) => passesFilter(p, filter))) return;
            if (facet.field === 'time') {
              if (facet.binOf[i]! >= 0) expected[facet.binOf[i]!]!++;
            } else {
              for (let c = facet.offsets[i]!; c < facet.offsets[i + 1]!; c++)
                expected[facet.codes[c]!]!++;
            }
          });
          expect([...result.counts.get(facet.field)!]).toEqual(expected);
        }
      }),
      { numRuns: 200, seed: 15 },
    );
    expect(runs).toBe(200);
  });
});

describe('time steps', () => {
  const index = buildFacetIndex(papers);
  const time = facetOf(index, 'time');
  if (time?.field !== 'time') throw new Error('no time facet');

  it('moves a window of six months a month at a time, from the first month to the last', () => {
    const steps = timeSteps(time, 6);
    expect(steps).toHaveLength(time.binCount);
    expect(steps[0]!.filter).toEqual({ field: 'time', from: time.firstKey, to: time.firstKey });
    const last = steps.at(-1)!;
    expect(timeKeyLabel('month', last.filter.from)).toBe('2024-10');
    expect(timeKeyLabel('month', last.filter.to)).toBe('2025-03');
    expect(last.newFrom).toBe(last.filter.to);
  });

  it('marks the papers new in a step', () => {
    const last = timeSteps(time, 6).at(-1)!;
    expect([...papersInTimeRange(time, last.newFrom, last.filter.to)]).toEqual([0, 0, 0, 1, 0]);
  });
});

describe('filters in links', () => {
  it('round-trip, values with separators included', () => {
    const filters: FacetFilter[] = [
      { field: 'time', from: 2024 * 12 + 5, to: 2025 * 12 + 1 },
      { field: 'category', values: ['cs.CL', 'a|b', '100%'] },
    ];
    const encoded = encodeFacetFilters(filters, datedUnit(papers) ?? 'year');
    expect(encoded[0]).toBe('time:2024-06..2025-02');
    const decoded = decodeFacetFilters(encoded, 'month');
    expect(decoded.warnings).toEqual([]);
    expect(decoded.filters).toEqual(filters);
  });

  it('reads whole years on a monthly map and drops what it cannot read, with a warning', () => {
    const { filters, warnings } = decodeFacetFilters(
      ['time:2024..2025', 'colour:red', 'time:2026..2020', 'source:'],
      'month',
    );
    expect(filters).toEqual([{ field: 'time', from: 2024 * 12, to: 2025 * 12 + 11 }]);
    expect(warnings).toHaveLength(3);
  });
});
