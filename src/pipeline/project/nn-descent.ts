/**
 * Approximate cosine kNN by NN-descent (Dong, Moses & Li 2011, as in pynndescent): start from random
 * neighbours, then repeatedly compare the neighbours of each point's neighbours (forward and reverse,
 * sampled to `maxCandidates`, new against new and new against old) until few updates remain.
 *
 * Every step of a round works on a range of rows and writes only those rows' heaps or candidate
 * lists, as pynndescent's parallel mode partitions its updates by row. Threads sharing the arrays
 * split each step by rows, with nothing written by two threads and nothing read while it is written;
 * and because each row sees its candidates and its updates in the same order however the rows are
 * split, the graph is the same, bit for bit, on any number of threads.
 */
import { hashedInt } from '../../lib/random.ts';
import { createYielder, rateAndEta } from '../../lib/scheduling.ts';
import type { RunOptions } from '../types.ts';
import type { KnnGraph } from './knn.ts';
import { NeighbourHeaps, type HeapArrays } from './neighbour-heap.ts';
import type { ComputeHelpers } from './parallel.ts';
import { unitRows } from './unit-rows.ts';
import { checkNeighbourCount, rowCount } from './vectors.ts';

/** Options of the approximate search. */
export interface ApproximateKnnOptions extends RunOptions {
  seed?: number;
  /** Rounds of NN-descent at most; by default max(5, round(log2 n)), as in pynndescent. */
  maxIterations?: number;
  /** Stop once a round improves fewer than this share of the n × k entries. */
  delta?: number;
  /** Candidates sampled per point and round, forward and reverse each (default max(k, 30)). */
  maxCandidates?: number;
  /** Helper threads: every step of every round is split across them by rows. */
  helpers?: ComputeHelpers;
}

/** NN-descent's candidates per point and round (pynndescent, as UMAP calls it, uses up to 60). */
const DEFAULT_MAX_CANDIDATES = 30;

/**
 * Rows per chunk of the local join: a chunk's pairs are applied to the heaps before the next chunk is
 * joined, so later chunks are filtered by tighter thresholds; with helpers, a chunk's pairs wait in
 * buffers of about 16 MB in all (1,335 pairs a row at most with 30 candidates).
 */
const JOIN_CHUNK_ROWS = 1024;

/** NN-descent's sampled candidates of one round: per row, up to `maxCandidates` new and old ones. */
export interface CandidateLists {
  maxCandidates: number;
  newCandidates: Int32Array;
  oldCandidates: Int32Array;
  /** Per row, how many were offered (more than `maxCandidates` where the reservoir overflowed). */
  newSeen: Int32Array;
  oldSeen: Int32Array;
}

/** Pairs found by one share of a chunk's local join: rows (p, q) and their distance. */
export interface JoinPairs {
  rows: Int32Array;
  distances: Float32Array;
}

/**
 * The arrays of one search that every thread taking part works on (in SharedArrayBuffers when
 * helpers take part): the heaps being refined, the round's candidate lists and, with helpers, one
 * pair buffer per share of the join.
 */
export interface DescentArrays {
  seed: number;
  k: number;
  heaps: HeapArrays;
  lists: CandidateLists;
  pairs: JoinPairs[];
}

/**
 * One step of a round over rows [start, end):
 * - `seed`: fill the rows' heaps with random neighbours;
 * - `sample`: the rows' candidate lists for round `iteration`;
 * - `mark`: the rows' neighbours sampled as new candidates become old (they are joined this round);
 * - `join`: the local join of the rows into share `share`'s pair buffer; returns the pair count;
 * - `apply`: every share's pairs, in share order, to the rows' heaps (`counts` pairs per share);
 *   returns the number of updates.
 */
export type DescentStep =
  | { kind: 'seed'; start: number; end: number }
  | { kind: 'sample'; iteration: number; start: number; end: number }
  | { kind: 'mark'; start: number; end: number }
  | { kind: 'join'; share: number; start: number; end: number }
  | { kind: 'apply'; counts: number[]; start: number; end: number };

/** A search as one thread sees it: the shared arrays, its view of the heaps and its distance. */
export interface DescentSearch {
  arrays: DescentArrays;
  heaps: NeighbourHeaps;
  distance: (a: number, b: number) => number;
}

/** The cosine distance of two unit rows from their dot product, as a float32 (as graphs store it). */
export function rowDistance(
  dot: (a: number, b: number) => number,
): (a: number, b: number) => number {
  return (a, b) => Math.fround(Math.max(0, 1 - dot(a, b)));
}

/** A search over `arrays` on this thread, with `dot` over the same unit rows as every other thread. */
export function descentSearch(
  arrays: DescentArrays,
  dot: (a: number, b: number) => number,
): DescentSearch {
  return {
    arrays,
    heaps: new NeighbourHeaps(arrays.k, arrays.heaps),
    distance: rowDistance(dot),
  };
}

/** Runs one step on this thread; returns its count (pairs for `join`, updates for `apply`, else 0). */
export function runDescentStep(search: DescentSearch, step: DescentStep): number {
  switch (step.kind) {
    case 'seed':
      seedNeighbours(search, step.start, step.end);
      return 0;
    case 'sample':
      sampleCandidates(search.arrays, step.iteration, step.start, step.end);
      return 0;
    case 'mark':
      markJoined(search.arrays, step.start, step.end);
      return 0;
    case 'join':
      return joinPairs(search, search.arrays.pairs[step.share]!, step.start, step.end);
    case 'apply':
      return applyPairs(search, step.counts, step.start, step.end);
  }
}

/** Each row's first k neighbours: distinct random points, drawn per row from the seed. */
function seedNeighbours({ arrays, heaps, distance }: DescentSearch, start: number, end: number) {
  const n = arrays.lists.newSeen.length;
  for (let row = start; row < end; row++) {
    let admitted = 0;
    for (let draw = 0; admitted < arrays.k; draw++) {
      const other = hashedInt(arrays.seed, row, draw, n);
      if (other !== row && heaps.push(row, distance(row, other), other, true)) admitted++;
    }
  }
}

/**
 * Rows [start, end)'s candidates: each heap entry (row, neighbour) offers the neighbour to the row and
 * the row to the neighbour, into the new lists if the entry is new and the old ones if not. Every
 * thread reads all entries in the same order, keeping the offers to its own rows. A reservoir keeps
 * a uniform sample of at most `maxCandidates` per list, its draws fixed by (round, row, offer).
 */
function sampleCandidates(arrays: DescentArrays, iteration: number, start: number, end: number) {
  const { k, lists, heaps } = arrays;
  const { maxCandidates, newCandidates, oldCandidates, newSeen, oldSeen } = lists;
  const n = newSeen.length;
  const roundSeed = hashedInt(arrays.seed, iteration, -1, 2 ** 32);
  newSeen.fill(0, start, end);
  oldSeen.fill(0, start, end);
  const offer = (list: Int32Array, seen: Int32Array, row: number, candidate: number): void => {
    const base = row * maxCandidates;
    const offered = seen[row]!;
    const count = Math.min(offered, maxCandidates);
    for (let slot = 0; slot < count; slot++) if (list[base + slot] === candidate) return;
    seen[row] = offered + 1;
    const position =
      offered < maxCandidates ? offered : hashedInt(roundSeed, row, offered, offered + 1);
    if (position < maxCandidates) list[base + position] = candidate;
  };
  for (let row = 0; row < n; row++) {
    const ownRow = row >= start && row < end;
    for (let slot = row * k; slot < (row + 1) * k; slot++) {
      const neighbour = heaps.indices[slot]!;
      const ownNeighbour = neighbour >= start && neighbour < end;
      if (!ownRow && !ownNeighbour) continue;
      if (heaps.isNew[slot]) {
        if (ownRow) offer(newCandidates, newSeen, row, neighbour);
        if (ownNeighbour) offer(newCandidates, newSeen, neighbour, row);
      } else {
        if (ownRow) offer(oldCandidates, oldSeen, row, neighbour);
        if (ownNeighbour) offer(oldCandidates, oldSeen, neighbour, row);
      }
    }
  }
}

/** A neighbour sampled into its row's new candidates is joined this round, so it is old afterwards. */
function markJoined({ k, lists, heaps }: DescentArrays, start: number, end: number) {
  const { maxCandidates, newCandidates, newSeen } = lists;
  for (let row = start; row < end; row++) {
    const base = row * maxCandidates;
    const count = Math.min(newSeen[row]!, maxCandidates);
    for (let slot = row * k; slot < (row + 1) * k; slot++) {
      if (!heaps.isNew[slot]) continue;
      const neighbour = heaps.indices[slot]!;
      for (let c = 0; c < count; c++) {
        if (newCandidates[base + c] === neighbour) {
          heaps.isNew[slot] = 0;
          break;
        }
      }
    }
  }
}

/**
 * NN-descent's local join over rows [start, end): for each row, every pair of its new candidates and
 * every new candidate with every old one, passed to `emit` with their distance.
 */
function localJoin(
  { arrays: { lists }, distance }: DescentSearch,
  start: number,
  end: number,
  emit: (p: number, q: number, d: number) => void,
): void {
  const { maxCandidates, newCandidates, oldCandidates, newSeen, oldSeen } = lists;
  for (let row = start; row < end; row++) {
    const base = row * maxCandidates;
    const newCount = Math.min(newSeen[row]!, maxCandidates);
    const oldCount = Math.min(oldSeen[row]!, maxCandidates);
    for (let i = 0; i < newCount; i++) {
      const p = newCandidates[base + i]!;
      for (let j = i + 1; j < newCount; j++) {
        const q = newCandidates[base + j]!;
        if (p !== q) emit(p, q, distance(p, q));
      }
      for (let j = 0; j < oldCount; j++) {
        const q = oldCandidates[base + j]!;
        if (p !== q) emit(p, q, distance(p, q));
      }
    }
  }
}

/**
 * The local join of rows [start, end) into `out`, keeping only the pairs that beat either row's
 * threshold (no other can enter a heap: thresholds only fall). Returns how many pairs it kept.
 */
function joinPairs(search: DescentSearch, out: JoinPairs, start: number, end: number): number {
  const { heaps } = search;
  let count = 0;
  localJoin(search, start, end, (p, q, d) => {
    if (!(d < heaps.threshold(p) || d < heaps.threshold(q))) return;
    out.rows[2 * count] = p;
    out.rows[2 * count + 1] = q;
    out.distances[count++] = d;
  });
  return count;
}

/** Offers every share's pairs, in share order, to the heaps of rows [start, end); counts updates. */
function applyPairs(
  { arrays, heaps }: DescentSearch,
  counts: number[],
  start: number,
  end: number,
): number {
  let updates = 0;
  counts.forEach((count, share) => {
    const { rows, distances } = arrays.pairs[share]!;
    for (let i = 0; i < count; i++) {
      const p = rows[2 * i]!;
      const q = rows[2 * i + 1]!;
      const d = distances[i]!;
      if (p >= start && p < end && heaps.push(p, d, q, true)) updates++;
      if (q >= start && q < end && heaps.push(q, d, p, true)) updates++;
    }
  });
  return updates;
}

/** Ids of parallel searches, so helper threads can tell one run's shared arrays from another's. */
let nextSession = 1;

/**
 * Approximate cosine kNN by NN-descent; see the module comment. Seeded: the same vectors, k and
 * options give the same graph, on one thread or many.
 */
export async function approximateKnn(
  vectors: Float32Array,
  dim: number,
  k: number,
  options: ApproximateKnnOptions = {},
): Promise<KnnGraph> {
  const n = rowCount(vectors, dim);
  checkNeighbourCount(k, n);
  const helpers = options.helpers && options.helpers.size > 0 ? options.helpers : undefined;
  const shares = helpers ? helpers.size + 1 : 1;
  const shared = helpers !== undefined;
  const rows = unitRows(vectors, dim, 64, { shared });
  const pause = createYielder(options.signal);
  const maxIterations = options.maxIterations ?? Math.max(5, Math.round(Math.log2(n)));
  const delta = options.delta ?? 0.001;
  const maxCandidates = options.maxCandidates ?? Math.max(k, DEFAULT_MAX_CANDIDATES);
  const buffer = (bytes: number) =>
    shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
  const int32s = (length: number) => new Int32Array(buffer(length * 4));
  // With helpers, each share's join keeps its pairs until every thread has applied them.
  const pairsPerRow = (maxCandidates * (maxCandidates - 1)) / 2 + maxCandidates * maxCandidates;
  const pairCapacity = Math.ceil(JOIN_CHUNK_ROWS / shares) * pairsPerRow;
  const arrays: DescentArrays = {
    seed: options.seed ?? 42,
    k,
    heaps: NeighbourHeaps.allocate(n, k, shared).arrays,
    lists: {
      maxCandidates,
      newCandidates: int32s(n * maxCandidates),
      oldCandidates: int32s(n * maxCandidates),
      newSeen: int32s(n),
      oldSeen: int32s(n),
    },
    pairs: helpers
      ? Array.from({ length: shares }, () => ({
          rows: int32s(2 * pairCapacity),
          distances: new Float32Array(buffer(4 * pairCapacity)),
        }))
      : [],
  };
  const search = descentSearch(arrays, rows.dot);
  const session = nextSession++;
  /** Runs `step(share)` on every share at once, share 0 here; resolves with their counts. */
  const everyShare = async (step: (share: number) => DescentStep): Promise<number[]> => {
    if (!helpers) return [runDescentStep(search, step(0))];
    const others = helpers.callEach(
      'knnStep',
      (helper) => ({ session, step: step(helper + 1) }),
      options.signal,
    );
    others.catch(() => undefined);
    const own = runDescentStep(search, step(0));
    return [own, ...(await others)];
  };
  /** Share `share`'s rows of [from, to). */
  const rowsOf = (share: number, from = 0, to = n) => ({
    start: from + Math.floor(((to - from) * share) / shares),
    end: from + Math.floor(((to - from) * (share + 1)) / shares),
  });
  const sum = (counts: number[]) => counts.reduce((total, count) => total + count, 0);

  try {
    if (helpers) {
      const { memory, stride } = rows;
      await helpers.callEach(
        'attachKnn',
        () => ({ session, memory, stride, arrays }),
        options.signal,
      );
    }
    await everyShare((share) => ({ kind: 'seed', ...rowsOf(share) }));
    const startedAt = performance.now();
    for (let iteration = 0; iteration < maxIterations; iteration++) {
      await everyShare((share) => ({ kind: 'sample', iteration, ...rowsOf(share) }));
      await everyShare((share) => ({ kind: 'mark', ...rowsOf(share) }));
      let updates = 0;
      for (let from = 0; from < n; from += JOIN_CHUNK_ROWS) {
        const to = Math.min(from + JOIN_CHUNK_ROWS, n);
        if (helpers) {
          const counts = await everyShare((share) => ({
            kind: 'join',
            share,
            ...rowsOf(share, from, to),
          }));
          updates += sum(
            await everyShare((share) => ({ kind: 'apply', counts, ...rowsOf(share) })),
          );
        } else {
          // One thread applies each pair as it is found: the same order of offers to every row.
          localJoin(search, from, to, (p, q, d) => {
            if (search.heaps.push(p, d, q, true)) updates++;
            if (search.heaps.push(q, d, p, true)) updates++;
          });
        }
        await pause();
      }
      options.onProgress?.({
        stage: 'projecting',
        done: iteration + 1,
        total: maxIterations,
        message: 'Finding nearest neighbours (NN-descent)',
        ...rateAndEta(iteration + 1, maxIterations, startedAt),
      });
      await pause();
      if (updates <= delta * n * k) break;
    }
  } finally {
    if (helpers) void helpers.callEach('detachKnn', () => ({ session })).catch(() => undefined);
  }
  search.heaps.sortRows();
  const { indices, distances } = search.heaps;
  // Arrays in a SharedArrayBuffer could not be transferred between threads: copy them out.
  return helpers
    ? { k, indices: Int32Array.from(indices), distances: Float32Array.from(distances) }
    : { k, indices, distances };
}
