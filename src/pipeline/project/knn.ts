import { AtlasError } from '../../lib/errors.ts';
import type { RunOptions } from '../types.ts';
import { createYielder, rateAndEta } from '../../lib/scheduling.ts';
import { exactKnnWebGpu, MAX_GPU_K, webGpuForKnn } from './knn-webgpu.ts';
import { NeighbourHeaps } from './neighbour-heap.ts';
import { approximateKnn, type ApproximateKnnOptions } from './nn-descent.ts';
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

/** Rows per block of the exact search: two blocks of 384-dimensional rows fit in a core's L2 cache. */
const BLOCK_ROWS = 64;

/**
 * Slack on the exact search's admission test: a dot product is offered to a row's heap if it is within
 * this of the row's threshold, so that candidates exactly as far as the heap's root (whose float32
 * distance may round from a slightly smaller similarity) are weighed by `pushOrdered`, not lost.
 */
const ADMISSION_SLACK = 2 ** -20;

/** Options of the exact search. */
export interface ExactKnnOptions extends RunOptions {
  /** Helper threads: the row blocks are dealt out among them and this thread, each with its own heaps. */
  helpers?: ComputeHelpers;
}

/**
 * Exact cosine kNN by blocked matrix products over unit-length rows. Each pair of row blocks is
 * multiplied once (the product is symmetric) and every dot product is offered to both rows' top-k heaps.
 * With helpers, row block b goes to thread b mod threads, each thread keeps heaps of its own for all
 * rows, and this thread merges them. Heaps order candidates by (distance, index), so the graph is the
 * same, bit for bit, on any number of threads.
 */
export async function exactKnn(
  vectors: Float32Array,
  dim: number,
  k: number,
  options: ExactKnnOptions = {},
): Promise<KnnGraph> {
  const n = rowCount(vectors, dim);
  checkNeighbourCount(k, n);
  const helpers = options.helpers && options.helpers.size > 0 ? options.helpers : undefined;
  const shares = helpers ? helpers.size + 1 : 1;
  const rows = unitRows(vectors, dim, BLOCK_ROWS, {
    shared: helpers !== undefined,
    scratchBlocks: shares,
  });
  const heaps = NeighbourHeaps.allocate(n, k);
  const others = helpers?.callEach(
    'exactKnnShare',
    (helper) => {
      const { memory, stride, blockSize } = rows;
      return { memory, n, stride, blockSize, k, share: helper + 1, shares };
    },
    options.signal,
  );
  others?.catch(() => undefined);
  const pause = createYielder(options.signal);
  const blockCount = Math.ceil(n / BLOCK_ROWS);
  let totalPairs = 0;
  for (let rowBlock = 0; rowBlock < blockCount; rowBlock += shares)
    totalPairs += blockCount - rowBlock;
  const startedAt = performance.now();
  let pairsDone = 0;
  for (const pairs of exactShareSteps(rows, heaps, 0, shares)) {
    pairsDone += pairs;
    options.onProgress?.({
      stage: 'projecting',
      done: pairsDone,
      total: totalPairs,
      message: 'Finding nearest neighbours (exact)',
      ...rateAndEta(pairsDone, totalPairs, startedAt),
    });
    await pause();
  }
  for (const other of (await others) ?? []) {
    for (let slot = 0; slot < other.indices.length; slot++) {
      const index = other.indices[slot]!;
      if (index >= 0) heaps.pushOrdered(Math.floor(slot / k), other.distances[slot]!, index);
    }
  }
  heaps.sortRows();
  return { k, indices: heaps.indices, distances: heaps.distances };
}

/**
 * The exact search's share `share` of `shares`: row blocks share, share + shares, …, each multiplied
 * with itself and every later block, every dot product offered to both rows' heaps (scratch area
 * `share` of the rows). Yields, after each row block, the block pairs it multiplied.
 */
export function* exactShareSteps(
  rows: UnitRows,
  heaps: NeighbourHeaps,
  share: number,
  shares: number,
): Generator<number> {
  const blockCount = Math.ceil(rows.n / rows.blockSize);
  // Per row, the similarity a candidate must reach (1 − the largest kept distance, less the slack):
  // most of the n²/2 dot products fail this one comparison and cost nothing more.
  const admitFrom = new Float64Array(rows.n).fill(-Infinity);
  for (let rowBlock = share; rowBlock < blockCount; rowBlock += shares) {
    multiplyRowBlock(rows, heaps, admitFrom, rowBlock, share);
    yield blockCount - rowBlock;
  }
}

/** Row block `rowBlock` against itself and every later block, in scratch area `scratch`. */
function multiplyRowBlock(
  rows: UnitRows,
  heaps: NeighbourHeaps,
  admitFrom: Float64Array,
  rowBlock: number,
  scratch: number,
): void {
  const { n, blockSize } = rows;
  const blockCount = Math.ceil(n / blockSize);
  const offer = (row: number, similarity: number, column: number): void => {
    heaps.pushOrdered(row, Math.fround(Math.max(0, 1 - similarity)), column);
    admitFrom[row] = 1 - heaps.threshold(row) - ADMISSION_SLACK;
  };
  const rowStart = rowBlock * blockSize;
  const rowEnd = Math.min(rowStart + blockSize, n);
  for (let columnBlock = rowBlock; columnBlock < blockCount; columnBlock++) {
    const columnStart = columnBlock * blockSize;
    const columnEnd = Math.min(columnStart + blockSize, n);
    const dots = rows.blockDots(rowStart, columnStart, scratch);
    for (let row = rowStart; row < rowEnd; row++) {
      const dotsOffset = (row - rowStart) * blockSize - columnStart;
      const firstColumn = columnBlock === rowBlock ? row + 1 : columnStart;
      for (let column = firstColumn; column < columnEnd; column++) {
        const similarity = dots[dotsOffset + column]!;
        if (similarity >= admitFrom[row]!) offer(row, similarity, column);
        if (similarity >= admitFrom[column]!) offer(column, similarity, row);
      }
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
