import { createRandom } from '../../lib/random.ts';

export interface ClusteredVectors {
  vectors: Float32Array;
  /** The cluster each row was drawn from. */
  labels: Int32Array;
}

/**
 * Seeded synthetic data for tests and benchmarks: `n` unit vectors in `clusters` Gaussian blobs around
 * random unit centres, with per-coordinate noise `spread` (relative to a centre coordinate's typical
 * size 1/√dim), like sentence embeddings of papers on a few topics.
 */
export function clusteredVectors(
  n: number,
  dim: number,
  clusters: number,
  options: { spread?: number; seed?: number } = {},
): ClusteredVectors {
  const random = createRandom(options.seed ?? 1);
  const gaussian = (): number => {
    const u = 1 - random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const spread = (options.spread ?? 1) / Math.sqrt(dim);
  const centres = new Float32Array(clusters * dim);
  for (let c = 0; c < clusters; c++) {
    let norm = 0;
    for (let d = 0; d < dim; d++) {
      const value = gaussian();
      centres[c * dim + d] = value;
      norm += value * value;
    }
    for (let d = 0; d < dim; d++) centres[c * dim + d]! /= Math.sqrt(norm);
  }
  const vectors = new Float32Array(n * dim);
  const labels = new Int32Array(n);
  for (let row = 0; row < n; row++) {
    const cluster = Math.floor(random() * clusters);
    labels[row] = cluster;
    let norm = 0;
    for (let d = 0; d < dim; d++) {
      const value = centres[cluster * dim + d]! + spread * gaussian();
      vectors[row * dim + d] = value;
      norm += value * value;
    }
    for (let d = 0; d < dim; d++) vectors[row * dim + d]! /= Math.sqrt(norm);
  }
  return { vectors, labels };
}
