import type { KnnGraph } from './knn.ts';

/** umap-js's tolerance of the bandwidth search and floor on a bandwidth, relative to mean distances. */
const SMOOTH_K_TOLERANCE = 1e-5;
export const MIN_K_DIST_SCALE = 1e-3;
const BANDWIDTH_SEARCH_STEPS = 64;

/** A symmetric sparse graph in compressed-row form: row i's entries are `offsets[i]` to `offsets[i + 1]`. */
export interface FuzzyGraph {
  n: number;
  offsets: Int32Array;
  columns: Int32Array;
  weights: Float32Array;
}

/**
 * UMAP's fuzzy simplicial set (its graph of membership strengths), computed exactly as umap-js's
 * `fuzzySimplicialSet` does with local connectivity 1 and set-op mix ratio 1, but in typed arrays.
 *
 * umap-js's neighbour lists include the point itself first, at distance 0; a `KnnGraph` excludes it.
 * So UMAP's `nNeighbors` corresponds to the first `nNeighbors − 1` columns here, and the point itself is
 * counted where umap-js counts it (in the mean distance that floors the bandwidth).
 */
export function fuzzySimplicialSet(knn: KnnGraph, n: number, nNeighbors: number): FuzzyGraph {
  const used = nNeighbors - 1;
  const { sigmas, rhos } = smoothKnnDistances(knn, n, nNeighbors);

  // Directed memberships i → j, then the fuzzy union w_ij + w_ji − w_ij·w_ji per unordered pair.
  const degree = new Int32Array(n + 1);
  for (let row = 0; row < n; row++) {
    for (let slot = 0; slot < used; slot++) {
      const column = knn.indices[row * knn.k + slot]!;
      if (column < 0 || column === row) continue;
      degree[row]!++;
      degree[column]!++;
    }
  }
  const starts = new Int32Array(n + 1);
  for (let row = 0; row < n; row++) starts[row + 1] = starts[row]! + degree[row]!;
  const fill = starts.slice(0, n);
  const entryCount = starts[n]!;
  const entryColumns = new Int32Array(entryCount);
  const forward = new Float64Array(entryCount);
  const backward = new Float64Array(entryCount);
  for (let row = 0; row < n; row++) {
    for (let slot = 0; slot < used; slot++) {
      const column = knn.indices[row * knn.k + slot]!;
      if (column < 0 || column === row) continue;
      const distance = knn.distances[row * knn.k + slot]!;
      const membership =
        distance - rhos[row]! <= 0 ? 1 : Math.exp(-((distance - rhos[row]!) / sigmas[row]!));
      const own = fill[row]!++;
      entryColumns[own] = column;
      forward[own] = membership;
      const mirrored = fill[column]!++;
      entryColumns[mirrored] = row;
      backward[mirrored] = membership;
    }
  }

  // Sort each row's entries by column (packed keys sort natively), then merge each pair's two halves.
  const offsets = new Int32Array(n + 1);
  const columns = new Int32Array(entryCount);
  const weights = new Float32Array(entryCount);
  const keys = new Float64Array(entryCount);
  let written = 0;
  for (let row = 0; row < n; row++) {
    const start = starts[row]!;
    const end = starts[row + 1]!;
    const segment = keys.subarray(start, end);
    for (let e = start; e < end; e++)
      segment[e - start] = entryColumns[e]! * entryCount + (e - start);
    segment.sort();
    offsets[row] = written;
    let e = 0;
    while (e < segment.length) {
      const column = Math.floor(segment[e]! / entryCount);
      let w = 0;
      let wt = 0;
      while (e < segment.length && Math.floor(segment[e]! / entryCount) === column) {
        const entry = start + (segment[e]! % entryCount);
        w += forward[entry]!;
        wt += backward[entry]!;
        e++;
      }
      const union = w + wt - w * wt;
      if (union !== 0) {
        columns[written] = column;
        weights[written] = union;
        written++;
      }
    }
  }
  offsets[n] = written;
  return { n, offsets, columns: columns.slice(0, written), weights: weights.slice(0, written) };
}

/**
 * Per point, ρ (distance to the nearest neighbour) and σ (the bandwidth that makes the memberships sum
 * to log2(nNeighbors)), by the same bisection as umap-js's `smoothKNNDistance`.
 */
function smoothKnnDistances(
  knn: KnnGraph,
  n: number,
  nNeighbors: number,
): { sigmas: Float64Array; rhos: Float64Array } {
  const used = nNeighbors - 1;
  const target = Math.log2(nNeighbors);
  const sigmas = new Float64Array(n);
  const rhos = new Float64Array(n);
  let meanOfMeans = -1;
  for (let row = 0; row < n; row++) {
    const base = row * knn.k;
    let rho = 0;
    let sum = 0;
    for (let slot = 0; slot < used; slot++) {
      const distance = knn.distances[base + slot]!;
      sum += distance;
      if (rho === 0 && distance > 0) rho = distance;
    }
    rhos[row] = rho;
    const mid = searchBandwidth(knn.distances, base, used, rho, target);
    // The floor uses the mean over umap-js's row, which includes the point itself at distance 0.
    let floor: number;
    if (rho > 0) {
      floor = (MIN_K_DIST_SCALE * sum) / nNeighbors;
    } else {
      if (meanOfMeans < 0) meanOfMeans = meanRowDistance(knn, n, used, nNeighbors);
      floor = MIN_K_DIST_SCALE * meanOfMeans;
    }
    sigmas[row] = mid < floor ? floor : mid;
  }
  return { sigmas, rhos };
}

/**
 * The bandwidth σ at which `count` distances from `base`, less `rho`, give memberships exp(−d/σ)
 * summing to `target`: umap-js's bisection (64 steps at most, tolerance 1e-5), without its floor.
 */
export function searchBandwidth(
  distances: Float32Array,
  base: number,
  count: number,
  rho: number,
  target: number,
): number {
  let lo = 0;
  let hi = Infinity;
  let mid = 1;
  for (let step = 0; step < BANDWIDTH_SEARCH_STEPS; step++) {
    let psum = 0;
    for (let slot = 0; slot < count; slot++) {
      const d = distances[base + slot]! - rho;
      psum += d > 0 ? Math.exp(-(d / mid)) : 1;
    }
    if (Math.abs(psum - target) < SMOOTH_K_TOLERANCE) break;
    if (psum > target) {
      hi = mid;
      mid = (lo + hi) / 2;
    } else {
      lo = mid;
      mid = hi === Infinity ? mid * 2 : (lo + hi) / 2;
    }
  }
  return mid;
}

function meanRowDistance(knn: KnnGraph, n: number, used: number, nNeighbors: number): number {
  let total = 0;
  for (let row = 0; row < n; row++) {
    let sum = 0;
    for (let slot = 0; slot < used; slot++) sum += knn.distances[row * knn.k + slot]!;
    total += sum / nNeighbors;
  }
  return total / n;
}
