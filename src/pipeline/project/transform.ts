import { findABParams } from 'umap-js/dist/umap.js';
import { AtlasError, throwIfCancelled } from '../../lib/errors.ts';
import { createRandom } from '../../lib/random.ts';
import { createYielder } from '../../lib/scheduling.ts';
import type { RunOptions } from '../types.ts';
import { MIN_K_DIST_SCALE, searchBandwidth } from './fuzzy-graph.ts';
import type { KnnGraph } from './knn.ts';
import { REPULSION_STRENGTH, SPREAD } from './layout-optimizer.ts';
import { NeighbourHeaps } from './neighbour-heap.ts';
import { unitRows } from './unit-rows.ts';
import { rowCount } from './vectors.ts';

/** Python UMAP's `transform` starts at a quarter of the fit's learning rate (1). */
const TRANSFORM_LEARNING_RATE = 0.25;
/** Repulsive samples per attractive one, and the gradient clip: umap-js's and UMAP's values. */
const NEGATIVE_SAMPLE_RATE = 5;
const GRADIENT_CLIP = 4;
/** Rows per block of the neighbour search (as `exactKnn`). */
const BLOCK_ROWS = 64;
/** Python UMAP's `transform` runs 100 epochs when at most this many points are added, else 30. */
const MANY_ADDED = 10_000;

/** The epochs of a transform adding `added` points, by Python UMAP's schedule. */
export function transformEpochs(added: number): number {
  return added <= MANY_ADDED ? 100 : 30;
}

export interface TransformOptions extends RunOptions {
  /** Seed of the negative sampling: the same input and seed give the same positions, byte for byte. */
  seed?: number;
  /** Neighbours each added point is attached to (the map's own, umap-js and UMAP default 15). */
  nNeighbors?: number;
  /** The map's minDist (default 0.1), which fixes the layout's attraction curve. */
  minDist?: number;
  /** Optimisation epochs; by default Python UMAP's transform schedule (`transformEpochs`). */
  nEpochs?: number;
}

export interface TransformResult {
  /** The added points' positions, m × 2 interleaved. */
  positions: Float32Array;
  /** Each added point's nearest existing points (indices into the map), self never among them. */
  knn: KnnGraph;
  /** Row-major m × k: each neighbour's membership strength, the weight of its pull. */
  memberships: Float32Array;
}

/**
 * Places new points on a fitted UMAP layout without moving it, as UMAP's `transform` does: each new
 * vector's k nearest existing vectors (exact cosine), their membership strengths (the fuzzy set's
 * bandwidth search with local connectivity 0, as Python UMAP's transform sets it), an initial position
 * at the membership-weighted mean of those neighbours' positions, then SGD epochs of the fuzzy
 * cross-entropy in which only the new points move: attraction along their edges to existing points,
 * repulsion from existing points sampled at random, a learning rate from ¼ decaying linearly.
 * New points neither attract nor repel each other. `positions` is read and never written.
 */
export async function transformVectors(
  vectors: Float32Array,
  positions: Float32Array,
  dim: number,
  added: Float32Array,
  options: TransformOptions = {},
): Promise<TransformResult> {
  const n = rowCount(vectors, dim);
  const m = rowCount(added, dim);
  if (positions.length !== n * 2) {
    throw new AtlasError(
      'project',
      'bad-shape',
      `The map has ${positions.length / 2} positions but ${n} vectors.`,
      { hint: 'Grow a map with the vectors it was laid out from.' },
    );
  }
  const k = Math.min(options.nNeighbors ?? 15, n);
  if (!Number.isInteger(k) || k < 1) {
    throw new AtlasError(
      'project',
      'bad-neighbour-count',
      `nNeighbors must be a positive whole number, not ${options.nNeighbors}.`,
    );
  }
  const nEpochs = options.nEpochs ?? transformEpochs(m);
  if (!Number.isInteger(nEpochs) || nEpochs < 1) {
    throw new AtlasError(
      'project',
      'bad-epoch-count',
      `nEpochs must be a positive whole number, not ${nEpochs}.`,
    );
  }
  const minDist = options.minDist ?? 0.1;
  const result: TransformResult = {
    positions: new Float32Array(m * 2),
    knn: { k, indices: new Int32Array(m * k), distances: new Float32Array(m * k) },
    memberships: new Float32Array(m * k),
  };
  if (m === 0) return result;

  const knn = await neighboursAmong(vectors, added, dim, k, options.signal);
  result.knn = knn;
  const memberships = membershipStrengths(knn, m);
  result.memberships = memberships;
  initialPositions(knn, memberships, positions, result.positions);
  throwIfCancelled(options.signal);
  await optimiseAdded(result.positions, positions, knn, memberships, {
    nEpochs,
    minDist,
    seed: options.seed ?? 42,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  return result;
}

/**
 * The `k` nearest rows of `vectors` to each row of `added`, by cosine distance (as a float32, as
 * graphs store it), each row ascending: blocked products of the added rows against the existing ones.
 */
async function neighboursAmong(
  vectors: Float32Array,
  added: Float32Array,
  dim: number,
  k: number,
  signal: AbortSignal | undefined,
): Promise<KnnGraph> {
  const n = vectors.length / dim;
  const m = added.length / dim;
  // One set of unit rows: the existing ones, zero rows up to a block boundary, then the added ones.
  const addedAt = Math.ceil(n / BLOCK_ROWS) * BLOCK_ROWS;
  const both = new Float32Array((addedAt + m) * dim);
  both.set(vectors);
  both.set(added, addedAt * dim);
  const rows = unitRows(both, dim, BLOCK_ROWS);
  const heaps = NeighbourHeaps.allocate(m, k);
  const pause = createYielder(signal);
  for (let rowStart = 0; rowStart < m; rowStart += BLOCK_ROWS) {
    const rowEnd = Math.min(rowStart + BLOCK_ROWS, m);
    for (let columnStart = 0; columnStart < n; columnStart += BLOCK_ROWS) {
      const columnEnd = Math.min(columnStart + BLOCK_ROWS, n);
      const dots = rows.blockDots(addedAt + rowStart, columnStart);
      for (let row = rowStart; row < rowEnd; row++) {
        const offset = (row - rowStart) * BLOCK_ROWS - columnStart;
        for (let column = columnStart; column < columnEnd; column++) {
          const distance = Math.fround(Math.max(0, 1 - dots[offset + column]!));
          if (distance < heaps.threshold(row)) heaps.push(row, distance, column, false);
        }
      }
    }
    await pause();
  }
  heaps.sortRows();
  return { k, indices: heaps.indices, distances: heaps.distances };
}

/**
 * exp(−d / σ) for each added point's neighbours, σ making them sum to log2(k). With local
 * connectivity 0 no neighbour is pinned at strength 1 (an added point is not part of the fitted
 * graph); σ is floored at 1e-3 of the mean neighbour distance, as in the fit.
 */
function membershipStrengths(knn: KnnGraph, m: number): Float32Array {
  const { k, distances } = knn;
  const strengths = new Float32Array(m * k);
  const target = Math.log2(k);
  for (let row = 0; row < m; row++) {
    const base = row * k;
    let sum = 0;
    for (let slot = 0; slot < k; slot++) sum += distances[base + slot]!;
    const floor = (MIN_K_DIST_SCALE * sum) / k;
    const sigma = Math.max(searchBandwidth(distances, base, k, 0, target), floor);
    for (let slot = 0; slot < k; slot++) {
      strengths[base + slot] = sigma > 0 ? Math.exp(-(distances[base + slot]! / sigma)) : 1;
    }
  }
  return strengths;
}

/** Each added point at its neighbours' positions averaged by membership (equal weights if all vanish). */
function initialPositions(
  knn: KnnGraph,
  memberships: Float32Array,
  existing: Float32Array,
  out: Float32Array,
): void {
  const { k, indices } = knn;
  for (let row = 0; row < out.length / 2; row++) {
    let total = 0;
    for (let slot = 0; slot < k; slot++) total += memberships[row * k + slot]!;
    let x = 0;
    let y = 0;
    for (let slot = 0; slot < k; slot++) {
      const weight = total > 0 ? memberships[row * k + slot]! / total : 1 / k;
      const neighbour = indices[row * k + slot]!;
      x += weight * existing[2 * neighbour]!;
      y += weight * existing[2 * neighbour + 1]!;
    }
    out[2 * row] = x;
    out[2 * row + 1] = y;
  }
}

function clip(value: number): number {
  return value > GRADIENT_CLIP ? GRADIENT_CLIP : value < -GRADIENT_CLIP ? -GRADIENT_CLIP : value;
}

interface AddedLayoutOptions extends RunOptions {
  nEpochs: number;
  minDist: number;
  seed: number;
}

/**
 * Python UMAP's epoch loop with `move_other=False`: edges (added point → existing neighbour) sampled in
 * proportion to their membership (edges below max / nEpochs never are), each sample pulling the added
 * point towards its neighbour and pushing it from `NEGATIVE_SAMPLE_RATE` random existing points per
 * sample. Only `moving` changes; `fixed` is only read.
 */
async function optimiseAdded(
  moving: Float32Array,
  fixed: Float32Array,
  knn: KnnGraph,
  memberships: Float32Array,
  options: AddedLayoutOptions,
): Promise<void> {
  const { nEpochs, signal } = options;
  const { a, b } = findABParams(SPREAD, options.minDist);
  const n = fixed.length / 2;
  let maxWeight = 0;
  for (const weight of memberships) if (weight > maxWeight) maxWeight = weight;
  const edgeCount = memberships.length;
  const epochsPerSample = new Float64Array(edgeCount).fill(-1);
  for (let edge = 0; edge < edgeCount; edge++) {
    const samples = nEpochs * (memberships[edge]! / maxWeight);
    if (memberships[edge]! >= maxWeight / nEpochs && samples > 0)
      epochsPerSample[edge] = nEpochs / samples;
  }
  const nextSample = Float64Array.from(epochsPerSample);
  const epochsPerNegative = epochsPerSample.map((e) => e / NEGATIVE_SAMPLE_RATE);
  const nextNegative = Float64Array.from(epochsPerNegative);
  const random = createRandom(options.seed);
  const pause = createYielder(signal);
  const { k, indices } = knn;
  let alpha = TRANSFORM_LEARNING_RATE;
  for (let epoch = 0; epoch < nEpochs; epoch++) {
    for (let edge = 0; edge < edgeCount; edge++) {
      if (!(epochsPerSample[edge]! > 0) || nextSample[edge]! > epoch) continue;
      const head = Math.floor(edge / k);
      const tail = indices[edge]!;
      let x = moving[2 * head]!;
      let y = moving[2 * head + 1]!;
      let dx = x - fixed[2 * tail]!;
      let dy = y - fixed[2 * tail + 1]!;
      let squared = dx * dx + dy * dy;
      if (squared > 0) {
        // d^(b−1) as d^b / d: one power per sample instead of two.
        const power = Math.pow(squared, b);
        const coefficient = (-2 * a * b * (power / squared)) / (a * power + 1);
        x += clip(coefficient * dx) * alpha;
        y += clip(coefficient * dy) * alpha;
      }
      nextSample[edge]! += epochsPerSample[edge]!;
      const negatives = Math.floor((epoch - nextNegative[edge]!) / epochsPerNegative[edge]!);
      for (let sample = 0; sample < negatives; sample++) {
        const other = Math.floor(random() * n);
        dx = x - fixed[2 * other]!;
        dy = y - fixed[2 * other + 1]!;
        squared = dx * dx + dy * dy;
        // A point on top of an existing one gets no push: the direction is undefined.
        if (!(squared > 0)) continue;
        const coefficient =
          (2 * REPULSION_STRENGTH * b) / ((0.001 + squared) * (a * Math.pow(squared, b) + 1));
        x += clip(coefficient * dx) * alpha;
        y += clip(coefficient * dy) * alpha;
      }
      nextNegative[edge]! += Math.max(0, negatives) * epochsPerNegative[edge]!;
      moving[2 * head] = x;
      moving[2 * head + 1] = y;
    }
    alpha = TRANSFORM_LEARNING_RATE * (1 - epoch / nEpochs);
    options.onProgress?.({
      stage: 'projecting',
      done: epoch + 1,
      total: nEpochs,
      message: 'Placing the added papers',
    });
    await pause();
  }
}
