/** Cluster quality figures for the map's quality report and for tests. */
import { createRandom, randomInt } from '../../lib/random.ts';

/** Above this many clustered points the silhouette is computed on a seeded random sample. */
export const DEFAULT_SILHOUETTE_SAMPLE = 2000;

/**
 * Mean silhouette (Rousseeuw 1987) of a clustering in the 2-D layout, -1..1: how much closer each point
 * is to its own cluster than to the nearest other one. Noise (-1) is left out. Above `sample` clustered
 * points, a seeded random subset is scored on its own, as scikit-learn's `sample_size` does, keeping the
 * cost at O(sample²). Points alone in their cluster score 0; with fewer than two clusters the result is 0.
 */
export function silhouette(
  positions: Float32Array,
  assignments: Int32Array,
  options: { sample?: number; seed?: number } = {},
): number {
  const sampleSize = Math.max(2, options.sample ?? DEFAULT_SILHOUETTE_SAMPLE);
  const clustered: number[] = [];
  for (let point = 0; point < assignments.length; point++) {
    if (assignments[point]! >= 0) clustered.push(point);
  }
  if (clustered.length > sampleSize) {
    const random = createRandom(options.seed ?? 0);
    for (let i = 0; i < sampleSize; i++) {
      const j = i + randomInt(random, clustered.length - i);
      const swap = clustered[i]!;
      clustered[i] = clustered[j]!;
      clustered[j] = swap;
    }
    clustered.length = sampleSize;
  }

  const compact = new Map<number, number>();
  const cluster = new Int32Array(clustered.length);
  clustered.forEach((point, i) => {
    const label = assignments[point]!;
    if (!compact.has(label)) compact.set(label, compact.size);
    cluster[i] = compact.get(label)!;
  });
  const clusterCount = compact.size;
  if (clusterCount < 2) return 0;
  const clusterSize = new Int32Array(clusterCount);
  for (const c of cluster) clusterSize[c]!++;

  const m = clustered.length;
  const xs = new Float64Array(m);
  const ys = new Float64Array(m);
  clustered.forEach((point, i) => {
    xs[i] = positions[2 * point]!;
    ys[i] = positions[2 * point + 1]!;
  });
  const distanceSums = new Float64Array(clusterCount);
  let total = 0;
  for (let i = 0; i < m; i++) {
    distanceSums.fill(0);
    const x = xs[i]!;
    const y = ys[i]!;
    for (let j = 0; j < m; j++) {
      distanceSums[cluster[j]!]! += Math.hypot(xs[j]! - x, ys[j]! - y);
    }
    const own = cluster[i]!;
    if (clusterSize[own]! < 2) continue;
    const within = distanceSums[own]! / (clusterSize[own]! - 1);
    let nearest = Infinity;
    for (let c = 0; c < clusterCount; c++) {
      if (c !== own) nearest = Math.min(nearest, distanceSums[c]! / clusterSize[c]!);
    }
    const spread = Math.max(within, nearest);
    if (spread > 0) total += (nearest - within) / spread;
  }
  return total / m;
}

/**
 * Adjusted Rand index (Hubert & Arabie 1985) between two labellings of the same points: 1 for identical
 * partitions, about 0 for independent ones. Every label value, -1 included, is one class; to leave noise
 * out, filter both arrays first.
 */
export function adjustedRandIndex(a: Int32Array, b: Int32Array): number {
  if (a.length !== b.length) {
    throw new RangeError(`Labellings differ in length: ${a.length} and ${b.length} points.`);
  }
  const n = a.length;
  const compactA = new Map<number, number>();
  const compactB = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    if (!compactA.has(a[i]!)) compactA.set(a[i]!, compactA.size);
    if (!compactB.has(b[i]!)) compactB.set(b[i]!, compactB.size);
  }
  const rows = new Float64Array(compactA.size);
  const columns = new Float64Array(compactB.size);
  const cells = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const row = compactA.get(a[i]!)!;
    const column = compactB.get(b[i]!)!;
    rows[row]!++;
    columns[column]!++;
    const key = row * compactB.size + column;
    cells.set(key, (cells.get(key) ?? 0) + 1);
  }
  const pairs = (count: number): number => (count * (count - 1)) / 2;
  let index = 0;
  for (const count of cells.values()) index += pairs(count);
  let rowPairs = 0;
  for (const count of rows) rowPairs += pairs(count);
  let columnPairs = 0;
  for (const count of columns) columnPairs += pairs(count);
  const expected = n < 2 ? 0 : (rowPairs * columnPairs) / pairs(n);
  const maximum = (rowPairs + columnPairs) / 2;
  if (maximum === expected) return 1;
  return (index - expected) / (maximum - expected);
}
