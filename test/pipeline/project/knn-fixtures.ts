import type { KnnGraph } from '../../../src/pipeline/project/knn.ts';

/** The share of the exact graph's neighbours that an approximate graph found. */
export function recall(approximate: KnnGraph, exact: KnnGraph): number {
  const n = exact.indices.length / exact.k;
  let found = 0;
  for (let i = 0; i < n; i++) {
    const truth = new Set(exact.indices.subarray(i * exact.k, (i + 1) * exact.k));
    for (let j = 0; j < approximate.k; j++)
      if (truth.has(approximate.indices[i * approximate.k + j]!)) found++;
  }
  return found / (n * exact.k);
}
