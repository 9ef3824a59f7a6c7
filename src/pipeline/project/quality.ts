import { AtlasError } from '../../lib/errors.ts';
import { createRandom } from '../../lib/random.ts';
import { keepNearest } from '../nearest-list.ts';
import { createSimdKernels } from './simd-kernels.ts';
import { rowCount, writeNormalizedRows } from './vectors.ts';

export interface TrustworthinessOptions {
  /** Score this many randomly chosen points instead of all (default: all up to 1,000 points, else 500). */
  sample?: number;
  seed?: number;
}

/**
 * Trustworthiness of a layout (Venna & Kaski 2001; scikit-learn's `trustworthiness`): 1 minus a
 * normalised penalty for every layout neighbour that is not a true neighbour, by how far down the
 * true neighbour ranking it lies:
 *
 *   T(k) = 1 − 2 / (n k (2n − 3k − 1)) · Σᵢ Σ_{j ∈ layout kNN(i)} max(0, r(i, j) − k)
 *
 * where r(i, j) is j's rank among i's neighbours in the original space (1 = nearest). The original
 * space uses cosine distance, which ranks exactly as Euclidean distance does on unit vectors, so on the
 * embedders' normalised vectors this equals scikit-learn's default. With `sample`, the sum over i runs
 * over a seeded random subset and is scaled up to n: an unbiased estimate at a fraction of the O(n² d).
 */
export function trustworthiness(
  vectors: Float32Array,
  dim: number,
  positions: Float32Array,
  k = 15,
  options: TrustworthinessOptions = {},
): number {
  const n = rowCount(vectors, dim);
  if (positions.length !== n * 2) {
    throw new AtlasError(
      'project',
      'bad-shape',
      `The layout has ${positions.length / 2} points but there are ${n} vectors.`,
    );
  }
  if (!Number.isInteger(k) || k < 1 || k >= n / 2) {
    throw new AtlasError(
      'project',
      'bad-neighbour-count',
      `Trustworthiness needs 1 ≤ k < n / 2 (here n = ${n}), not k = ${k}.`,
    );
  }
  const sampleSize = Math.min(n, options.sample ?? (n <= 1000 ? n : 500));
  const queries = sampleRows(n, sampleSize, options.seed ?? 0);
  const similarities = querySimilarities(vectors, dim);
  const originalDistances = new Float64Array(n);
  const layoutDistances = new Float64Array(n);
  const layoutNeighbours = new Int32Array(k);
  const neighbourOrder = new Int32Array(k);
  const neighbourDistances = new Float64Array(k);
  /** [i]: how many points precede exactly the neighbours from the i-th on (in distance order). */
  const precedingCounts = new Int32Array(k + 1);
  let penalty = 0;

  for (let group = 0; group < queries.length; group += QUERY_GROUP) {
    const members = queries.subarray(group, group + QUERY_GROUP);
    const { values, rowLength } = similarities(members);
    members.forEach((query, member) => {
      const row = member * rowLength;
      for (let other = 0; other < n; other++) {
        originalDistances[other] = 1 - values[row + other]!;
        const dx = positions[2 * query]! - positions[2 * other]!;
        const dy = positions[2 * query + 1]! - positions[2 * other + 1]!;
        layoutDistances[other] = dx * dx + dy * dy;
      }
      nearestIndices(layoutDistances, query, layoutNeighbours);
      // Rank = 1 + how many other points are strictly closer in the original space; ties break by index,
      // as a stable argsort would. One pass ranks all k neighbours: sorted by (distance, index), each
      // other point counts towards the neighbours after the last one it does not precede, found by
      // scanning down from the farthest neighbour, which most points are farther than.
      neighbourOrder.set(layoutNeighbours);
      neighbourOrder.sort((a, b) => originalDistances[a]! - originalDistances[b]! || a - b);
      for (let i = 0; i < k; i++) neighbourDistances[i] = originalDistances[neighbourOrder[i]!]!;
      precedingCounts.fill(0);
      for (let other = 0; other < n; other++) {
        if (other === query) continue;
        const d = originalDistances[other]!;
        let after = k;
        while (
          after > 0 &&
          (neighbourDistances[after - 1]! > d ||
            (neighbourDistances[after - 1] === d && neighbourOrder[after - 1]! > other))
        ) {
          after--;
        }
        precedingCounts[after]!++;
      }
      let rank = 1;
      for (let i = 0; i < k; i++) {
        rank += precedingCounts[i]!;
        if (rank > k) penalty += rank - k;
      }
    });
  }
  const scaledPenalty = (penalty * n) / queries.length;
  return 1 - (2 / (n * k * (2 * n - 3 * k - 1))) * scaledPenalty;
}

/** Queries whose cosine similarities to every row one kernel call computes (its row block is 4). */
const QUERY_GROUP = 4;

/**
 * Cosine similarities of up to `QUERY_GROUP` query rows to every row, in one SIMD block product per
 * group (one dot-product call per pair took twice as long): for a group, the similarity of its member
 * m to row o is `values[m × rowLength + o]`, valid until the next group.
 */
function querySimilarities(
  vectors: Float32Array,
  dim: number,
): (queries: Int32Array) => { values: Float32Array; rowLength: number } {
  const n = rowCount(vectors, dim);
  const stride = Math.ceil(dim / 4) * 4;
  // The block product takes columns in pairs: an odd count gets one zero row.
  const columns = n + (n % 2);
  const queriesAt = columns * stride;
  const outAt = queriesAt + QUERY_GROUP * stride;
  const kernels = createSimdKernels(outAt + QUERY_GROUP * columns);
  writeNormalizedRows(vectors, dim, kernels.floats, 0, stride);
  return (queries) => {
    const { floats } = kernels;
    // A short last group repeats its last query to fill the block.
    for (let member = 0; member < QUERY_GROUP; member++) {
      const row = queries[Math.min(member, queries.length - 1)]! * stride;
      floats.copyWithin(queriesAt + member * stride, row, row + stride);
    }
    kernels.blockDots(queriesAt, 0, stride, QUERY_GROUP, columns, outAt);
    return { values: floats.subarray(outAt, outAt + QUERY_GROUP * columns), rowLength: columns };
  };
}

/** `count` distinct row indices, all of them in order when count = n, else a seeded random choice. */
function sampleRows(n: number, count: number, seed: number): Int32Array {
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  if (count === n) return rows;
  const random = createRandom(seed);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (n - i));
    const swap = rows[i]!;
    rows[i] = rows[j]!;
    rows[j] = swap;
  }
  return rows.slice(0, count);
}

/** The `out.length` indices of smallest distance, `self` excluded (ties by index), into `out`. */
function nearestIndices(distances: Float64Array, self: number, out: Int32Array): void {
  const k = out.length;
  const best = new Float64Array(k).fill(Infinity);
  out.fill(-1);
  for (let i = 0; i < distances.length; i++) {
    if (i !== self) keepNearest(best, out, distances[i]!, i);
  }
}

/**
 * Share of points whose `k` nearest neighbours in the 2-D layout mostly carry their own label (ties go
 * to the label of the nearer neighbours): how well the map keeps known categories together. With
 * `queries`, those points are scored (their neighbours still come from all points); else with
 * `sample`, a seeded random subset.
 */
export function knnCategoryAccuracy(
  positions: Float32Array,
  labels: ArrayLike<number>,
  k = 10,
  options: TrustworthinessOptions & { queries?: ArrayLike<number> } = {},
): number {
  const n = labels.length;
  if (positions.length !== n * 2 || !(k >= 1 && k < n)) {
    throw new AtlasError(
      'project',
      'bad-shape',
      `kNN accuracy needs n × 2 positions for n labels and 1 ≤ k < n (n = ${n}, k = ${k}).`,
    );
  }
  const queries =
    options.queries ?? sampleRows(n, Math.min(n, options.sample ?? n), options.seed ?? 0);
  const distances = new Float64Array(n);
  const nearest = new Int32Array(k);
  let correct = 0;
  for (let q = 0; q < queries.length; q++) {
    const query = queries[q]!;
    for (let other = 0; other < n; other++) {
      const dx = positions[2 * query]! - positions[2 * other]!;
      const dy = positions[2 * query + 1]! - positions[2 * other + 1]!;
      distances[other] = dx * dx + dy * dy;
    }
    nearestIndices(distances, query, nearest);
    const votes = new Map<number, number>();
    let best = labels[nearest[0]!]!;
    for (const neighbour of nearest) {
      const label = labels[neighbour]!;
      const count = (votes.get(label) ?? 0) + 1;
      votes.set(label, count);
      if (count > votes.get(best)!) best = label;
    }
    if (best === labels[query]) correct++;
  }
  return correct / queries.length;
}
