import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../src/lib/random.ts';
import { unitRows } from '../../../src/pipeline/project/unit-rows.ts';

function cosine(vectors: Float32Array, dim: number, a: number, b: number): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let d = 0; d < dim; d++) {
    dot += vectors[a * dim + d]! * vectors[b * dim + d]!;
    normA += vectors[a * dim + d]! ** 2;
    normB += vectors[b * dim + d]! ** 2;
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

describe('unitRows', () => {
  it('gives cosine similarities, one and by blocks', () => {
    const random = createRandom(12);
    for (const dim of [3, 8, 13, 37]) {
      const n = 70;
      const vectors = Float32Array.from({ length: n * dim }, () => (random() - 0.5) * 10);
      vectors.fill(0, 4 * dim, 5 * dim);
      const rows = unitRows(vectors, dim, 8);
      for (let a = 0; a < n; a += 3) {
        for (let b = 0; b < n; b += 5)
          expect(rows.dot(a, b)).toBeCloseTo(cosine(vectors, dim, a, b), 5);
      }
      const block = rows.blockDots(64, 8);
      for (let r = 0; r < 8; r++) {
        for (let c = 0; c < 8; c++) {
          // Rows 70..71 are zero padding.
          const expected = 64 + r < n ? cosine(vectors, dim, 64 + r, 8 + c) : 0;
          expect(block[r * 8 + c]).toBeCloseTo(expected, 5);
        }
      }
    }
  });
});
