import { describe, expect, it } from 'vitest';
import { nearestPapers, rankByPosition, rankByVector } from '../../../src/view/model/neighbours.ts';

describe('neighbour ranking', () => {
  it('ranks by cosine similarity, best first, excluding the paper itself', () => {
    const vectors = Float32Array.from([1, 0, 0.9, 0.1, 0, 1, -1, 0, 2, 0.1]);
    const ranked = rankByVector(vectors, 2, Float32Array.from([1, 0]), 3, 0);
    expect([...ranked.indices]).toEqual([4, 1, 2]);
    expect(ranked.scores[0]).toBeCloseTo(2 / Math.hypot(2, 0.1), 5);
    expect(ranked.scores[2]).toBeCloseTo(0, 6);
  });

  it('agrees with a brute-force sort on random data', () => {
    let state = 7;
    const random = () => ((state = (state * 16807) % 2147483647) / 2147483647) * 2 - 1;
    const n = 400;
    const dim = 5;
    const vectors = Float32Array.from({ length: n * dim }, random);
    const query = vectors.slice(0, dim);
    const cosine = (i: number) => {
      let dot = 0;
      let norm = 0;
      let qn = 0;
      for (let d = 0; d < dim; d++) {
        dot += vectors[i * dim + d]! * query[d]!;
        norm += vectors[i * dim + d]! ** 2;
        qn += query[d]! ** 2;
      }
      return dot / Math.sqrt(norm * qn);
    };
    const expected = Array.from({ length: n - 1 }, (_, k) => k + 1)
      .sort((a, b) => cosine(b) - cosine(a))
      .slice(0, 10);
    expect([
      ...nearestPapers({ positions: new Float32Array(2 * n), vectors: { data: vectors, dim } }, 0)
        .indices,
    ]).toEqual(expected);
  });

  it('falls back to layout distance without vectors', () => {
    const positions = Float32Array.from([0, 0, 5, 0, 1, 1, -2, 0, 0, 0.5]);
    const result = nearestPapers({ positions }, 0, 3);
    expect(result.space).toBe('layout');
    expect([...result.indices]).toEqual([4, 2, 3]);
    expect(result.scores[0]).toBeCloseTo(-0.5);
    expect(rankByPosition(positions, 0, 99).indices).toHaveLength(4);
  });

  it('returns nothing for a zero query and checks dimensions', () => {
    expect(rankByVector(Float32Array.from([1, 0]), 2, new Float32Array(2), 5).indices).toHaveLength(
      0,
    );
    expect(() => rankByVector(Float32Array.from([1, 0]), 2, new Float32Array(3), 5)).toThrow(
      /3 dimensions/,
    );
  });
});
