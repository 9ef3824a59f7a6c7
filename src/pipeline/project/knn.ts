import { AtlasError } from '../../lib/errors.ts';
import { createRandom, randomInt } from '../../lib/random.ts';
import type { RunOptions } from '../types.ts';
import { createYielder, rateAndEta } from '../../lib/scheduling.ts';
import { exactKnnWebGpu, MAX_GPU_K, webGpuForKnn } from './knn-webgpu.ts';
import { NeighbourHeaps } from './neighbour-heap.ts';
import type { ComputeHelpers } from './parallel.ts';
import { unitRows, type UnitRows } from './unit-rows.ts';
import { checkNeighbourCount, rowCount } from './vectors.ts';

/**
 * The k nearest neighbours of every point: `indices` and `distances` are n × k row-major, the point
 * itself excluded, each row in ascending cosine distance (1 − cosine similarity).
 */
export interface KnnGraph {
  k: number;
  indices: Int32Array;
  distances: Float32Array;
}

/**
 * Up to this many points, `computeKnn` searches exactly; beyond it, with NN-descent. The exact search
 * costs n²·dim/2 multiply-adds (20,000 × 384: about 4 s with the SIMD kernel on one core), NN-descent
 * grows about linearly, and they cross near here.
 */
export const EXACT_KNN_LIMIT = 20_000;

/** NN-descent's candidates per point and round (pynndescent, as UMAP calls it, uses up to 60). */
const DEFAULT_MAX_CANDIDATES = 30;

/** Rows per block of the exact search: two blocks of 384-dimensional rows fit in a core's L2 cache. */
const BLOCK_ROWS = 64;

/**
 * Exact cosine kNN by blocked matrix products over unit-length rows. Each pair of row blocks is
 * multiplied once (the product is symmetric) and every dot product is offered to both rows' top-k heaps.
 */
export async function exactKnn(
  vectors: Float32Array,
  dim: number,
  k: number,
  options: RunOptions = {},
): Promise<KnnGraph> {
  const n = rowCount(vectors, dim);
  checkNeighbourCount(k, n);
  const blockCount = Math.ceil(n / BLOCK_ROWS);
  const rows = unitRows(vectors, dim, BLOCK_ROWS);
  const heaps = new NeighbourHeaps(n, k);
  // Per row, the similarity a candidate must beat (1 − the largest kept distance): most of the n²/2
  // dot products fail this one comparison and cost nothing more.
  const admitAbove = new Float64Array(n).fill(-Infinity);
  const offer = (row: number, similarity: number, column: number): void => {
    heaps.push(row, Math.fround(Math.max(0, 1 - similarity)), column, false);
    admitAbove[row] = 1 - heaps.threshold(row);
  };
  const pause = createYielder(options.signal);
  const totalPairs = (blockCount * (blockCount + 1)) / 2;
  const startedAt = performance.now();
  let pairsDone = 0;

  for (let rowBlock = 0; rowBlock < blockCount; rowBlock++) {
    const rowStart = rowBlock * BLOCK_ROWS;
    const rowEnd = Math.min(rowStart + BLOCK_ROWS, n);
    for (let columnBlock = rowBlock; columnBlock < blockCount; columnBlock++) {
      const columnStart = columnBlock * BLOCK_ROWS;
      const columnEnd = Math.min(columnStart + BLOCK_ROWS, n);
      const dots = rows.blockDots(rowStart, columnStart);
      for (let row = rowStart; row < rowEnd; row++) {
        const dotsOffset = (row - rowStart) * BLOCK_ROWS - columnStart;
        const firstColumn = columnBlock === rowBlock ? row + 1 : columnStart;
        for (let column = firstColumn; column < columnEnd; column++) {
          const similarity = dots[dotsOffset + column]!;
          if (similarity > admitAbove[row]!) offer(row, similarity, column);
          if (similarity > admitAbove[column]!) offer(column, similarity, row);
        }
      }
    }
    pairsDone += blockCount - rowBlock;
    options.onProgress?.({
      stage: 'projecting',
      done: pairsDone,
      total: totalPairs,
      message: 'Finding nearest neighbours (exact)',
      ...rateAndEta(pairsDone, totalPairs, startedAt),
    });
    await pause();
  }
  heaps.sortRows();
  return { k, indices: heaps.indices, distances: heaps.distances };
}

/** Options of the approximate search. */
export interface ApproximateKnnOptions extends RunOptions {
  seed?: number;
  /** Rounds of NN-descent at most; by default max(5, round(log2 n)), as in pynndescent. */
  maxIterations?: number;
  /** Stop once a round improves fewer than this share of the n × k entries. */
  delta?: number;
  /** Candidates sampled per point and round, forward and reverse each (default max(k, 30)). */
  maxCandidates?: number;
  /**
   * Helper threads: each round's local join (the distances, nearly all of the work) is split across
   * them by rows, the updates applied here in a fixed order. Without them, one thread joins and updates
   * as it goes.
   */
  helpers?: ComputeHelpers;
}

/** NN-descent's sampled candidates of one round: per row, up to `maxCandidates` new and old ones. */
export interface CandidateLists {
  maxCandidates: number;
  newCandidates: Int32Array;
  oldCandidates: Int32Array;
  /** Per row, how many were offered (more than `maxCandidates` where the reservoir overflowed). */
  newSeen: Int32Array;
  oldSeen: Int32Array;
}

/**
 * NN-descent's local join over rows [start, end): for each row, every pair of its new candidates and
 * every new candidate with every old one, passed to `emit` with their distance.
 */
export function localJoin(
  lists: CandidateLists,
  start: number,
  end: number,
  distance: (a: number, b: number) => number,
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
 * Rows per chunk of the parallel local join: the chunk is split across the threads and its updates
 * applied before the next; small enough that a chunk's pairs (up to ~1,300 a row in the first round)
 * stay within about 16 MB per thread.
 */
const JOIN_CHUNK_ROWS = 1024;

/** The cosine distance of two unit rows from their dot product, as a float32 (as graphs store it). */
export function rowDistance(
  dot: (a: number, b: number) => number,
): (a: number, b: number) => number {
  return (a, b) => Math.fround(Math.max(0, 1 - dot(a, b)));
}

/**
 * Approximate cosine kNN by NN-descent (Dong, Moses & Li 2011, as in pynndescent): start from random
 * neighbours, then repeatedly compare the neighbours of each point's neighbours (forward and reverse,
 * sampled to k candidates, new against new and new against old) until few updates remain. Seeded.
 */
export async function approximateKnn(
  vectors: Float32Array,
  dim: number,
  k: number,
  options: ApproximateKnnOptions = {},
): Promise<KnnGraph> {
  const n = rowCount(vectors, dim);
  checkNeighbourCount(k, n);
  const random = createRandom(options.seed ?? 42);
  const helpers = options.helpers && options.helpers.size > 0 ? options.helpers : undefined;
  const rows = unitRows(vectors, dim, 64, { shared: helpers !== undefined });
  const pause = createYielder(options.signal);
  const heaps = new NeighbourHeaps(n, k, helpers !== undefined);
  const maxIterations = options.maxIterations ?? Math.max(5, Math.round(Math.log2(n)));
  const delta = options.delta ?? 0.001;
  const distance = rowDistance(rows.dot);

  for (let row = 0; row < n; row++) {
    let admitted = 0;
    while (admitted < k) {
      const other = randomInt(random, n);
      if (other !== row && heaps.push(row, distance(row, other), other, true)) admitted++;
    }
  }

  const maxCandidates = options.maxCandidates ?? Math.max(k, DEFAULT_MAX_CANDIDATES);
  const int32s = (length: number) =>
    new Int32Array(helpers ? new SharedArrayBuffer(length * 4) : new ArrayBuffer(length * 4));
  const lists: CandidateLists = {
    maxCandidates,
    newCandidates: int32s(n * maxCandidates),
    oldCandidates: int32s(n * maxCandidates),
    newSeen: int32s(n),
    oldSeen: int32s(n),
  };
  const { newCandidates, oldCandidates, newSeen, oldSeen } = lists;
  const session = helpers ? await attachKnn(helpers, rows, heaps, lists, options.signal) : 0;
  const startedAt = performance.now();
  // Reservoir sampling keeps a uniform sample of at most maxCandidates per list, deterministically.
  const offer = (lists: Int32Array, seen: Int32Array, row: number, candidate: number): void => {
    const base = row * maxCandidates;
    const count = Math.min(seen[row]!, maxCandidates);
    for (let slot = 0; slot < count; slot++) if (lists[base + slot] === candidate) return;
    const position = seen[row]! < maxCandidates ? seen[row]! : randomInt(random, seen[row]! + 1);
    seen[row]!++;
    if (position < maxCandidates) lists[base + position] = candidate;
  };

  for (let iteration = 0; iteration < maxIterations; iteration++) {
    newSeen.fill(0);
    oldSeen.fill(0);
    for (let row = 0; row < n; row++) {
      for (let slot = row * k; slot < (row + 1) * k; slot++) {
        const neighbour = heaps.indices[slot]!;
        if (heaps.isNew[slot]) {
          offer(newCandidates, newSeen, row, neighbour);
          offer(newCandidates, newSeen, neighbour, row);
        } else {
          offer(oldCandidates, oldSeen, row, neighbour);
          offer(oldCandidates, oldSeen, neighbour, row);
        }
      }
    }
    // A neighbour sampled into its row's new candidates is joined this round, so it is old afterwards.
    for (let row = 0; row < n; row++) {
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

    let updates = 0;
    const update = (p: number, q: number, d: number): void => {
      if (d < heaps.threshold(p) && heaps.push(p, d, q, true)) updates++;
      if (d < heaps.threshold(q) && heaps.push(q, d, p, true)) updates++;
    };
    if (helpers) {
      for (let start = 0; start < n; start += JOIN_CHUNK_ROWS) {
        await joinInParallel(
          helpers,
          session,
          lists,
          start,
          Math.min(start + JOIN_CHUNK_ROWS, n),
          distance,
          update,
          options.signal,
        );
        await pause();
      }
    } else {
      for (let start = 0; start < n; start += 1024) {
        localJoin(lists, start, Math.min(start + 1024, n), distance, update);
        await pause();
      }
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
  if (helpers) void helpers.callEach('detachKnn', () => ({ session })).catch(() => undefined);
  heaps.sortRows();
  // A graph in a SharedArrayBuffer could not be transferred between threads: copy it out.
  const distances = helpers ? Float32Array.from(heaps.distances) : heaps.distances;
  return { k, indices: heaps.indices, distances };
}

/** Ids of parallel neighbour searches, so helper threads can tell one run's shared arrays from another's. */
let nextKnnSession = 1;

async function attachKnn(
  helpers: ComputeHelpers,
  rows: UnitRows,
  heaps: NeighbourHeaps,
  lists: CandidateLists,
  signal: AbortSignal | undefined,
): Promise<number> {
  const session = nextKnnSession++;
  const { memory, stride } = rows;
  const thresholds = { k: heaps.k, distances: heaps.distances };
  await helpers.callEach(
    'attachKnn',
    () => ({ session, memory, stride, thresholds, lists }),
    signal,
  );
  return session;
}

/**
 * The local join of rows [start, end), split into `helpers.size + 1` shares: this thread joins the first
 * while the helpers join theirs, each keeping only the pairs that may enter a heap; then every share's
 * pairs are applied in share order, so the result depends on the number of threads but not on timing.
 */
async function joinInParallel(
  helpers: ComputeHelpers,
  session: number,
  lists: CandidateLists,
  start: number,
  end: number,
  distance: (a: number, b: number) => number,
  update: (p: number, q: number, d: number) => void,
  signal: AbortSignal | undefined,
): Promise<void> {
  const shares = helpers.size + 1;
  const bound = (share: number) => start + Math.floor(((end - start) * share) / shares);
  const others = helpers.callEach(
    'knnJoin',
    (helper) => ({ session, start: bound(helper + 1), end: bound(helper + 2) }),
    signal,
  );
  others.catch(() => undefined);
  localJoin(lists, bound(0), bound(1), distance, update);
  for (const pairs of await others) {
    for (let i = 0; i < pairs.distances.length; i++) {
      update(pairs.rows[2 * i]!, pairs.rows[2 * i + 1]!, pairs.distances[i]!);
    }
  }
}

/** Where the exact search runs: `auto` takes a hardware GPU when there is one, `webgpu` any WebGPU. */
export type KnnDevice = 'auto' | 'webgpu' | 'cpu';

/** Options of `computeKnn`. */
export interface KnnOptions extends ApproximateKnnOptions {
  exactLimit?: number;
  /**
   * `auto` (default): the exact search on WebGPU when `webGpuForKnn` finds a hardware adapter, else on
   * the CPU; `webgpu`: on any WebGPU adapter, software ones included; `cpu`: never on the GPU. A failed
   * GPU search falls back to the CPU one.
   */
  knnDevice?: KnnDevice;
  /** Told why the GPU search was given up when it fails and the CPU search takes over. */
  onGpuFallback?: (error: AtlasError) => void;
}

/** Exact search up to `EXACT_KNN_LIMIT` points, NN-descent beyond (its cost grows ~n, not n²). */
export async function computeKnn(
  vectors: Float32Array,
  dim: number,
  k: number,
  options: KnnOptions = {},
): Promise<KnnGraph> {
  const n = rowCount(vectors, dim);
  if (n > (options.exactLimit ?? EXACT_KNN_LIMIT)) return approximateKnn(vectors, dim, k, options);
  const knnDevice = options.knnDevice ?? 'auto';
  if (knnDevice !== 'cpu' && k <= MAX_GPU_K) {
    const device = await webGpuForKnn(knnDevice === 'webgpu');
    if (device) {
      try {
        return await exactKnnWebGpu(vectors, dim, k, { ...options, device });
      } catch (error) {
        if (!(error instanceof AtlasError) || error.code !== 'webgpu-failed') throw error;
        (options.onGpuFallback ?? ((reason) => console.warn(reason.readerMessage, reason)))(error);
      }
    }
  }
  return exactKnn(vectors, dim, k, options);
}

/** Checks that a graph handed in from outside fits n points and needs; returns it. */
export function checkKnnGraph(graph: KnnGraph, n: number, minimumK: number): KnnGraph {
  if (graph.indices.length !== n * graph.k || graph.distances.length !== n * graph.k) {
    throw new AtlasError(
      'project',
      'bad-knn-graph',
      `The neighbour graph has ${graph.indices.length / Math.max(graph.k, 1)} rows but there are ${n} points.`,
      { hint: 'Compute the neighbour graph from the same vectors you project.' },
    );
  }
  if (graph.k < minimumK) {
    throw new AtlasError(
      'project',
      'bad-knn-graph',
      `The neighbour graph has ${graph.k} neighbours per point; the projection needs at least ${minimumK}.`,
      { hint: 'Compute it with k at least the number of neighbours the projection uses.' },
    );
  }
  return graph;
}
