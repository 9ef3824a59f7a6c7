import { AtlasError } from '../../lib/errors.ts';
import { createRandom } from '../../lib/random.ts';
import type { RunOptions } from '../types.ts';
import { fuzzySimplicialSet } from './fuzzy-graph.ts';
import { pcaLayout, randomLayout } from './initial-layout.ts';
import { optimizeLayout, SPREAD } from './layout-optimizer.ts';
import { checkKnnGraph, computeKnn, type KnnDevice, type KnnGraph } from './knn.ts';
import type { ComputeHelpers } from './parallel.ts';
import { rowCount } from './vectors.ts';

export interface ProjectionOptions extends RunOptions {
  /** Seed of every random choice: the same vectors and seed give the same layout, byte for byte. */
  seed?: number;
  /** Size of the local neighbourhood UMAP preserves (umap-js and UMAP default 15). */
  nNeighbors?: number;
  /** How tightly points may pack in the layout (default 0.1). */
  minDist?: number;
  /** Optimisation epochs; by default umap-js's schedule: 500 up to 2,500 points, down to 200 above 7,500. */
  nEpochs?: number;
  /** A neighbour graph already computed for these vectors, with k ≥ nNeighbors (skips the search). */
  knn?: KnnGraph;
  /** Where the exact neighbour search runs (see `computeKnn`); default `auto`. */
  knnDevice?: KnnDevice;
  /**
   * The starting layout: `pca` (default; Python UMAP's `init="pca"`) puts related clusters near each
   * other from the start; `random` is umap-js's uniform square.
   */
  init?: 'pca' | 'random';
  /** Post a copy of the layout with the progress every this many epochs (default 10; 0 for none). */
  snapshotEvery?: number;
  /**
   * Helper threads: with them the projection runs in parallel (the layout's epochs Hogwild-style over
   * shared positions, so not byte-identical run to run); without them (the deterministic mode, the
   * default) it runs on this thread alone and the same vectors and seed give the same layout.
   */
  helpers?: ComputeHelpers;
}

const MINIMUM_POINTS = 3;

/** umap-js's epoch schedule (its `getNEpochs`): more epochs for small data, 200 for large. */
export function defaultEpochs(n: number): number {
  if (n <= 2500) return 500;
  if (n <= 5000) return 400;
  if (n <= 7500) return 300;
  return 200;
}

/**
 * Projects vectors to 2-D with UMAP over cosine distance: the kNN graph (`computeKnn`), the fuzzy
 * simplicial set (umap-js's, recomputed in typed arrays) and umap-js's a/b curve fit, a PCA start, then
 * an SGD that minimises the same fuzzy cross-entropy as umap-js's epoch loop (same attraction and
 * repulsion gradients, clipping, edge sampling by membership, negative sampling and linearly decaying
 * learning rate), in WebAssembly where available, without per-epoch allocation.
 * Returns the interleaved positions (n × 2) and the kNN graph (k = nNeighbors, self excluded).
 */
export async function projectVectors(
  vectors: Float32Array,
  dim: number,
  options: ProjectionOptions = {},
): Promise<{ positions: Float32Array; knn: KnnGraph }> {
  const n = rowCount(vectors, dim);
  if (n < MINIMUM_POINTS) {
    throw new AtlasError(
      'project',
      'too-few-points',
      `A map needs at least ${MINIMUM_POINTS} papers; there are ${n}.`,
      {
        hint: 'Load more papers.',
      },
    );
  }
  const nNeighbors = Math.min(options.nNeighbors ?? 15, n - 1);
  if (!Number.isInteger(nNeighbors) || nNeighbors < 2) {
    throw new AtlasError(
      'project',
      'bad-neighbour-count',
      `nNeighbors must be a whole number of at least 2, not ${options.nNeighbors}.`,
    );
  }
  const minDist = options.minDist ?? 0.1;
  if (!(minDist >= 0 && minDist <= SPREAD)) {
    throw new AtlasError(
      'project',
      'bad-min-dist',
      `minDist must lie between 0 and ${SPREAD}, not ${minDist}.`,
    );
  }
  const nEpochs = options.nEpochs ?? defaultEpochs(n);
  if (!Number.isInteger(nEpochs) || nEpochs < 1) {
    throw new AtlasError(
      'project',
      'bad-epoch-count',
      `nEpochs must be a positive whole number, not ${nEpochs}.`,
    );
  }
  const init = options.init ?? 'pca';
  if (init !== 'pca' && init !== 'random') {
    throw new AtlasError(
      'project',
      'bad-init',
      `init must be 'pca' or 'random', not '${String(init)}'.`,
    );
  }
  const seed = options.seed ?? 42;

  const knn = options.knn
    ? checkKnnGraph(options.knn, n, nNeighbors)
    : await computeKnn(vectors, dim, nNeighbors, { ...options, seed });
  const graph = fuzzySimplicialSet(knn, n, nNeighbors);
  const random = createRandom(seed);
  const positions = init === 'pca' ? pcaLayout(vectors, dim, random) : randomLayout(n, random);
  await optimizeLayout(positions, graph, {
    nEpochs,
    minDist,
    seed: Math.floor(random() * 2 ** 32),
    snapshotEvery: options.snapshotEvery ?? 10,
    ...(options.helpers ? { helpers: options.helpers } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  return { positions, knn };
}
