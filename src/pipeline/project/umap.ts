import { findABParams } from 'umap-js/dist/umap.js';
import { AtlasError } from '../../lib/errors.ts';
import { createRandom } from '../../lib/random.ts';
import type { RunOptions } from '../types.ts';
import { createYielder, rateAndEta } from './cooperative.ts';
import { fuzzySimplicialSet, type FuzzyGraph } from './fuzzy-graph.ts';
import { checkKnnGraph, computeKnn, type KnnGraph } from './knn.ts';
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
  /** Post a copy of the layout with the progress every this many epochs (default 10; 0 for none). */
  snapshotEvery?: number;
}

/** umap-js's fixed hyperparameters, which the optimiser reproduces. */
const LEARNING_RATE = 1;
const NEGATIVE_SAMPLE_RATE = 5;
const REPULSION_STRENGTH = 1;
const SPREAD = 1;
const GRADIENT_CLIP = 4;
/** UMAP's random initial layout spans this square: [−10, 10]². */
const INITIAL_HALF_WIDTH = 10;
const MINIMUM_POINTS = 3;

/** umap-js's epoch schedule (its `getNEpochs`): more epochs for small data, 200 for large. */
export function defaultEpochs(n: number): number {
  if (n <= 2500) return 500;
  if (n <= 5000) return 400;
  if (n <= 7500) return 300;
  return 200;
}

/**
 * Projects vectors to 2-D with UMAP over cosine distance: the kNN graph (`computeKnn`), umap-js's fuzzy
 * simplicial set and a/b curve fit, then a typed-array SGD that minimises the same fuzzy cross-entropy
 * as umap-js's epoch loop (same attraction and repulsion gradients, clipping, edge sampling by
 * membership, negative sampling and linearly decaying learning rate), without per-epoch allocation.
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
  const seed = options.seed ?? 42;

  const knn = options.knn
    ? checkKnnGraph(options.knn, n, nNeighbors)
    : await computeKnn(vectors, dim, nNeighbors, { ...options, seed });
  const graph = fuzzySimplicialSet(knn, n, nNeighbors);
  const random = createRandom(seed);
  const positions = new Float32Array(n * 2);
  for (let i = 0; i < positions.length; i++)
    positions[i] = random() * 2 * INITIAL_HALF_WIDTH - INITIAL_HALF_WIDTH;
  await optimizeLayout(positions, graph, nEpochs, minDist, random, options);
  return { positions, knn };
}

/** The sampled edges of the graph and their schedules, as umap-js sets them up before its epoch loop. */
interface EdgeSchedule {
  heads: Int32Array;
  tails: Int32Array;
  epochsPerSample: Float64Array;
  epochOfNextSample: Float64Array;
  epochsPerNegativeSample: Float64Array;
  epochOfNextNegativeSample: Float64Array;
}

/** Edges weaker than max/nEpochs would never be sampled, so umap-js drops them; so does this. */
function scheduleEdges(graph: FuzzyGraph, nEpochs: number): EdgeSchedule {
  let maxWeight = 0;
  for (const weight of graph.weights) if (weight > maxWeight) maxWeight = weight;
  const cutoff = maxWeight / nEpochs;
  let count = 0;
  for (const weight of graph.weights) if (weight >= cutoff) count++;
  const heads = new Int32Array(count);
  const tails = new Int32Array(count);
  const epochsPerSample = new Float64Array(count);
  let edge = 0;
  for (let row = 0; row < graph.n; row++) {
    for (let entry = graph.offsets[row]!; entry < graph.offsets[row + 1]!; entry++) {
      const weight = graph.weights[entry]!;
      if (weight < cutoff) continue;
      tails[edge] = row;
      heads[edge] = graph.columns[entry]!;
      epochsPerSample[edge] = nEpochs / ((weight / maxWeight) * nEpochs);
      edge++;
    }
  }
  const epochsPerNegativeSample = epochsPerSample.map((epochs) => epochs / NEGATIVE_SAMPLE_RATE);
  return {
    heads,
    tails,
    epochsPerSample,
    epochOfNextSample: epochsPerSample.slice(),
    epochsPerNegativeSample,
    epochOfNextNegativeSample: epochsPerNegativeSample.slice(),
  };
}

function clip(value: number): number {
  return value > GRADIENT_CLIP ? GRADIENT_CLIP : value < -GRADIENT_CLIP ? -GRADIENT_CLIP : value;
}

/** umap-js's `optimizeLayoutStep` for 2-D layouts, epoch by epoch, in place on `positions`. */
async function optimizeLayout(
  positions: Float32Array,
  graph: FuzzyGraph,
  nEpochs: number,
  minDist: number,
  random: () => number,
  options: ProjectionOptions,
): Promise<void> {
  const { a, b } = findABParams(SPREAD, minDist);
  const schedule = scheduleEdges(graph, nEpochs);
  const {
    heads,
    tails,
    epochsPerSample,
    epochOfNextSample,
    epochsPerNegativeSample,
    epochOfNextNegativeSample,
  } = schedule;
  const edgeCount = heads.length;
  const n = graph.n;
  const snapshotEvery = options.snapshotEvery ?? 10;
  const pause = createYielder(options.signal);
  const startedAt = performance.now();
  const attractionScale = -2 * a * b;
  const repulsionScale = 2 * REPULSION_STRENGTH * b;
  let alpha = LEARNING_RATE;

  for (let epoch = 0; epoch < nEpochs; epoch++) {
    for (let edge = 0; edge < edgeCount; edge++) {
      if (epochOfNextSample[edge]! > epoch) continue;
      const j = heads[edge]!;
      const k = tails[edge]!;
      let currentX = positions[2 * j]!;
      let currentY = positions[2 * j + 1]!;
      const dx = currentX - positions[2 * k]!;
      const dy = currentY - positions[2 * k + 1]!;
      const distSquared = dx * dx + dy * dy;
      if (distSquared > 0) {
        // pow(d², b − 1) once; pow(d², b) is that times d².
        const powBMinus1 = Math.exp((b - 1) * Math.log(distSquared));
        const coefficient = (attractionScale * powBMinus1) / (a * powBMinus1 * distSquared + 1);
        const gradX = clip(coefficient * dx) * alpha;
        const gradY = clip(coefficient * dy) * alpha;
        currentX += gradX;
        currentY += gradY;
        positions[2 * k] = positions[2 * k]! - gradX;
        positions[2 * k + 1] = positions[2 * k + 1]! - gradY;
      }
      epochOfNextSample[edge] = epochOfNextSample[edge]! + epochsPerSample[edge]!;

      const negativeSamples = Math.floor(
        (epoch - epochOfNextNegativeSample[edge]!) / epochsPerNegativeSample[edge]!,
      );
      for (let p = 0; p < negativeSamples; p++) {
        const other = Math.floor(random() * n);
        // umap-js's current and other are then the same array: distance 0, skipped.
        if (other === j) continue;
        const ox = currentX - positions[2 * other]!;
        const oy = currentY - positions[2 * other + 1]!;
        const otherDistSquared = ox * ox + oy * oy;
        if (otherDistSquared > 0) {
          const coefficient =
            repulsionScale /
            ((0.001 + otherDistSquared) * (a * Math.exp(b * Math.log(otherDistSquared)) + 1));
          currentX += clip(coefficient * ox) * alpha;
          currentY += clip(coefficient * oy) * alpha;
        } else {
          // umap-js pushes coincident points apart by the full clip value.
          currentX += GRADIENT_CLIP * alpha;
          currentY += GRADIENT_CLIP * alpha;
        }
      }
      positions[2 * j] = currentX;
      positions[2 * j + 1] = currentY;
      epochOfNextNegativeSample[edge] =
        epochOfNextNegativeSample[edge]! + negativeSamples * epochsPerNegativeSample[edge]!;
    }
    alpha = LEARNING_RATE * (1 - epoch / nEpochs);

    const done = epoch + 1;
    const snapshot =
      snapshotEvery > 0 && (done % snapshotEvery === 0 || done === nEpochs)
        ? positions.slice()
        : undefined;
    options.onProgress?.({
      stage: 'projecting',
      done,
      total: nEpochs,
      message: 'Optimising the layout',
      ...rateAndEta(done, nEpochs, startedAt),
      ...(snapshot ? { snapshot } : {}),
    });
    await pause();
  }
}
