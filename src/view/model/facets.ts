/**
 * Facets: per-field indexes over a map's papers (time, categories, sources, authors) and the
 * crossfilter that counts each facet's values under every other facet's filter. DOM-free and
 * typed-array based, so a brush move over 100,000 papers is a few linear passes over byte masks, with
 * no object per paper.
 */
import type { Paper } from '../../pipeline/types.ts';

export const VALUE_FACET_FIELDS = ['category', 'source', 'author'] as const;
export type ValueFacetField = (typeof VALUE_FACET_FIELDS)[number];
export type FacetField = 'time' | ValueFacetField;

/** Bars a value facet draws before folding the rest into "Other". */
export const TOP_VALUES = 20;

/** Dates to the year, or to the month where every dated paper has one. */
export interface TimeFacet {
  field: 'time';
  unit: 'year' | 'month';
  /** Key of the first bin: a year, or `year × 12 + month − 1`. */
  firstKey: number;
  binCount: number;
  /** Bin of each paper, -1 for papers without a date. */
  binOf: Int32Array;
  /** Papers per bin over the whole map. */
  totals: Uint32Array;
}

export interface ValueFacet {
  field: ValueFacetField;
  /** The most frequent values, most frequent first; `OTHER_LABEL` last where rarer values exist. */
  values: string[];
  /** Code of the "Other" bar, or -1 when every value has its own. */
  otherCode: number;
  /** Codes of paper i's values: `codes[offsets[i] .. offsets[i + 1])`, each code once. */
  offsets: Uint32Array;
  codes: Uint16Array;
  totals: Uint32Array;
}

export type Facet = TimeFacet | ValueFacet;

export interface FacetIndex {
  paperCount: number;
  /** Only the fields this corpus has (at least one paper with a value); `time` first when present. */
  facets: Facet[];
}

export const OTHER_LABEL = 'Other';

/** A facet's filter: a range of time keys (inclusive) or a set of values. */
export type FacetFilter =
  | { field: 'time'; from: number; to: number }
  | { field: ValueFacetField; values: readonly string[] };

/** What the crossfilter gives the map and the charts. */
export interface FacetCounts {
  /** 1 where a paper passes every filter. */
  passes: Uint8Array;
  passCount: number;
  /** Per facet, its bars' counts over papers that pass every OTHER facet's filter. */
  counts: Map<FacetField, Uint32Array>;
}

/** Papers an incremental build indexes between pauses (about 10 ms of work at 100,000 papers). */
const PAPERS_PER_STEP = 4096;

/**
 * Builds the facet index a bounded slice at a time: each `next()` indexes at most PAPERS_PER_STEP
 * papers of one facet (or ranks one facet's values), so the page can build a large map's index in idle
 * moments without a long task. `buildFacetIndex` runs it to the end.
 */
export function* facetIndexSteps(papers: readonly Paper[]): Generator<void, FacetIndex, void> {
  const facets: Facet[] = [];
  const time = yield* timeFacet(papers);
  if (time) facets.push(time);
  const valuesOf: Record<ValueFacetField, (paper: Paper) => readonly string[] | undefined> = {
    category: (paper) => paper.categories,
    source: (paper) => (paper.source ? [paper.source] : undefined),
    author: (paper) => paper.authors,
  };
  for (const field of VALUE_FACET_FIELDS) {
    const facet = yield* valueFacet(papers, field, valuesOf[field]);
    if (facet) facets.push(facet);
  }
  return { paperCount: papers.length, facets };
}

export function buildFacetIndex(papers: readonly Paper[]): FacetIndex {
  return finishSteps(facetIndexSteps(papers));
}

/** Runs an incremental build's remaining steps at once. */
export function finishSteps<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Whether the loop at paper `i` has done a step's worth since its last pause. */
const stepEnds = (i: number) => i % PAPERS_PER_STEP === PAPERS_PER_STEP - 1;

export function facetOf(index: FacetIndex, field: FacetField): Facet | undefined {
  return index.facets.find((facet) => facet.field === field);
}

/**
 * The unit papers are dated to: months where every dated paper has one, else years (null: no dates).
 * One pass over the papers, cheap enough for the page to ask before any index is built.
 */
export function datedUnit(papers: readonly Paper[]): 'year' | 'month' | null {
  let dated = 0;
  let withMonth = 0;
  for (const paper of papers) {
    if (paper.year === undefined) continue;
    dated++;
    if (paper.month !== undefined) withMonth++;
  }
  if (dated === 0) return null;
  return withMonth === dated ? 'month' : 'year';
}

function* timeFacet(papers: readonly Paper[]): Generator<void, TimeFacet | null, void> {
  const n = papers.length;
  const unit = datedUnit(papers);
  if (unit === null) return null;
  const keys = new Int32Array(n).fill(-1);
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < n; i++) {
    const key = timeKey(papers[i]!, unit);
    if (key === undefined) continue;
    keys[i] = key;
    if (key < first) first = key;
    if (key > last) last = key;
    if (stepEnds(i)) yield;
  }
  const binCount = last - first + 1;
  const totals = new Uint32Array(binCount);
  for (let i = 0; i < n; i++) {
    if (keys[i]! < 0) continue;
    keys[i] = keys[i]! - first;
    totals[keys[i]!]!++;
  }
  return { field: 'time', unit, firstKey: first, binCount, binOf: keys, totals };
}

function timeKey(paper: Paper, unit: 'year' | 'month'): number | undefined {
  if (paper.year === undefined) return undefined;
  if (unit === 'year') return paper.year;
  return paper.year * 12 + (paper.month ?? 1) - 1;
}

function* valueFacet(
  papers: readonly Paper[],
  field: ValueFacetField,
  valuesOf: (paper: Paper) => readonly string[] | undefined,
): Generator<void, ValueFacet | null, void> {
  // One pass interns each value once (a Map lookup per value, no Set per paper) into CSR arrays of
  // raw ids; ranking then renumbers the raw ids into bar codes.
  const n = papers.length;
  const rawIdOf = new Map<string, number>();
  const names: string[] = [];
  let frequency = new Uint32Array(1024);
  const offsets = new Uint32Array(n + 1);
  let raw = new Int32Array(Math.max(16, n));
  let length = 0;
  for (let i = 0; i < n; i++) {
    offsets[i] = length;
    for (const value of valuesOf(papers[i]!) ?? []) {
      let id = rawIdOf.get(value);
      if (id === undefined) {
        id = names.length;
        rawIdOf.set(value, id);
        names.push(value);
        if (id >= frequency.length) frequency = grow(frequency, frequency.length * 2);
      }
      let repeated = false;
      for (let c = offsets[i]!; c < length && !repeated; c++) repeated = raw[c] === id;
      if (repeated) continue;
      if (length === raw.length) raw = grow(raw, raw.length * 2);
      raw[length++] = id;
      frequency[id]!++;
    }
    if (stepEnds(i)) yield;
  }
  offsets[n] = length;
  if (names.length === 0) return null;
  yield;

  const ranked = names.map((_, id) => id);
  ranked.sort((a, b) => frequency[b]! - frequency[a]! || (names[a]! < names[b]! ? -1 : 1));
  const keptCount = Math.min(TOP_VALUES, ranked.length);
  const hasOther = ranked.length > keptCount;
  const values = ranked.slice(0, keptCount).map((id) => names[id]!);
  if (hasOther) values.push(OTHER_LABEL);
  const otherCode = hasOther ? keptCount : -1;
  const codeOfRaw = new Uint16Array(names.length).fill(otherCode);
  ranked.slice(0, keptCount).forEach((id, code) => (codeOfRaw[id] = code));
  yield;

  // Rare values fold into one "Other" code, which a paper then holds once.
  const codes = new Uint16Array(length);
  const totals = new Uint32Array(values.length);
  let written = 0;
  for (let i = 0; i < n; i++) {
    const from = offsets[i]!;
    const to = offsets[i + 1]!;
    offsets[i] = written;
    let hasOtherCode = false;
    for (let c = from; c < to; c++) {
      const code = codeOfRaw[raw[c]!]!;
      if (code === otherCode) {
        if (hasOtherCode) continue;
        hasOtherCode = true;
      }
      codes[written++] = code;
      totals[code]!++;
    }
    if (stepEnds(i)) yield;
  }
  offsets[n] = written;
  return { field, values, otherCode, offsets, codes: codes.slice(0, written), totals };
}

function grow<T extends Uint32Array | Int32Array>(array: T, size: number): T {
  const bigger = new (array.constructor as new (size: number) => T)(size);
  bigger.set(array);
  return bigger;
}

/**
 * Reusable working buffers for `crossfilter`, so a brush that moves every frame allocates only its
 * results. One per index; not shared between concurrent callers.
 */
export class FacetScratch {
  readonly failures: Uint8Array;
  readonly masks = new Map<FacetField, Uint8Array>();

  constructor(readonly index: FacetIndex) {
    this.failures = new Uint8Array(index.paperCount);
    for (const facet of index.facets) {
      this.masks.set(facet.field, new Uint8Array(index.paperCount));
    }
  }
}

/**
 * Applies `filters` (one per field; a later one for the same field wins): which papers pass all, and
 * each facet's counts under the filters of the others, as a crossfilter shows them. Filters on fields
 * the index lacks are ignored.
 */
export function crossfilter(
  index: FacetIndex,
  filters: readonly FacetFilter[],
  scratch: FacetScratch = new FacetScratch(index),
): FacetCounts {
  const n = index.paperCount;
  const { failures, masks } = scratch;
  const passes = new Uint8Array(n);
  const counts = new Map<FacetField, Uint32Array>();
  failures.fill(0);
  const active = new Map<FacetField, FacetFilter>();
  for (const filter of filters) active.set(filter.field, filter);
  const filtered: FacetField[] = [];
  for (const facet of index.facets) {
    const filter = active.get(facet.field);
    if (!filter) continue;
    const mask = masks.get(facet.field)!;
    fillMask(facet, filter, mask);
    for (let i = 0; i < n; i++) failures[i] = failures[i]! + (mask[i]! ^ 1);
    filtered.push(facet.field);
  }
  let passCount = 0;
  for (let i = 0; i < n; i++) {
    const ok = failures[i] === 0 ? 1 : 0;
    passes[i] = ok;
    passCount += ok;
  }
  for (const facet of index.facets) {
    const count = new Uint32Array(facet.totals.length);
    counts.set(facet.field, count);
    // A paper counts for a facet when it fails no filter but, at most, that facet's own.
    const own = filtered.includes(facet.field) ? masks.get(facet.field)! : null;
    if (facet.field === 'time') {
      const { binOf } = facet;
      for (let i = 0; i < n; i++) {
        if (failures[i]! - (own ? own[i]! ^ 1 : 0) !== 0) continue;
        const bin = binOf[i]!;
        if (bin >= 0) count[bin]!++;
      }
    } else {
      const { offsets, codes } = facet;
      for (let i = 0; i < n; i++) {
        if (failures[i]! - (own ? own[i]! ^ 1 : 0) !== 0) continue;
        for (let c = offsets[i]!; c < offsets[i + 1]!; c++) count[codes[c]!]!++;
      }
    }
  }
  return { passes, passCount, counts };
}

function fillMask(facet: Facet, filter: FacetFilter, mask: Uint8Array): void {
  if (facet.field === 'time') {
    if (filter.field !== 'time') return;
    const from = filter.from - facet.firstKey;
    const to = filter.to - facet.firstKey;
    for (let i = 0; i < mask.length; i++) {
      const bin = facet.binOf[i]!;
      mask[i] = bin >= from && bin <= to && bin >= 0 ? 1 : 0;
    }
    return;
  }
  if (filter.field === 'time') return;
  const chosen = new Uint8Array(facet.values.length);
  for (const value of filter.values) {
    const code = facet.values.indexOf(value);
    if (code >= 0) chosen[code] = 1;
  }
  for (let i = 0; i < mask.length; i++) {
    let hit = 0;
    for (let c = facet.offsets[i]!; c < facet.offsets[i + 1]! && !hit; c++) {
      hit = chosen[facet.codes[c]!]!;
    }
    mask[i] = hit;
  }
}

/** One step of playing through time: the window's filter and its papers new in this step. */
export interface TimeStep {
  filter: { field: 'time'; from: number; to: number };
  /** Keys of the step's newest bins (the part of the window that was not in the previous step). */
  newFrom: number;
}

/**
 * The steps of a moving window of `width` bins advancing by `stride` bins over the facet's range,
 * from the first window that ends on the first bin to the one that ends on the last.
 */
export function timeSteps(facet: TimeFacet, width: number, stride = 1): TimeStep[] {
  const steps: TimeStep[] = [];
  const last = facet.firstKey + facet.binCount - 1;
  for (let end = facet.firstKey; ; end += stride) {
    const to = Math.min(end, last);
    steps.push({
      filter: { field: 'time', from: Math.max(facet.firstKey, to - width + 1), to },
      newFrom: Math.max(facet.firstKey, to - stride + 1),
    });
    if (to === last) break;
  }
  return steps;
}

/** 1 where a paper's date falls in `[fromKey, toKey]` (the papers a time step shows as new). */
export function papersInTimeRange(
  facet: TimeFacet,
  fromKey: number,
  toKey: number,
  out = new Uint8Array(facet.binOf.length),
): Uint8Array {
  const from = fromKey - facet.firstKey;
  const to = toKey - facet.firstKey;
  for (let i = 0; i < out.length; i++) {
    const bin = facet.binOf[i]!;
    out[i] = bin >= 0 && bin >= from && bin <= to ? 1 : 0;
  }
  return out;
}
