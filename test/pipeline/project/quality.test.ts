import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../src/lib/random.ts';
import { knnCategoryAccuracy, trustworthiness } from '../../../src/pipeline/project/quality.ts';

/** Unit vectors near the north pole of a sphere and their (x, y) as the layout: locally an isometry. */
function capAndLayout(n: number, seed: number): { vectors: Float32Array; positions: Float32Array } {
  const random = createRandom(seed);
  const vectors = new Float32Array(n * 3);
  const positions = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const x = (random() - 0.5) * 0.2;
    const y = (random() - 0.5) * 0.2;
    positions.set([x, y], 2 * i);
    const norm = Math.hypot(x, y, 1);
    vectors.set([x / norm, y / norm, 1 / norm], 3 * i);
  }
  return { vectors, positions };
}

function randomLayout(n: number, seed: number): Float32Array {
  const random = createRandom(seed);
  return Float32Array.from({ length: 2 * n }, () => random());
}

/** scikit-learn's formula with full rank matrices, written independently as the reference. */
function referenceTrustworthiness(
  vectors: Float32Array,
  dim: number,
  positions: Float32Array,
  k: number,
): number {
  const n = positions.length / 2;
  const cosineDistance = (i: number, j: number): number => {
    let dot = 0;
    let a = 0;
    let b = 0;
    for (let d = 0; d < dim; d++) {
      dot += vectors[i * dim + d]! * vectors[j * dim + d]!;
      a += vectors[i * dim + d]! ** 2;
      b += vectors[j * dim + d]! ** 2;
    }
    return 1 - dot / Math.sqrt(a * b);
  };
  let penalty = 0;
  for (let i = 0; i < n; i++) {
    const others = Array.from({ length: n }, (_, j) => j).filter((j) => j !== i);
    const byOriginal = [...others].sort(
      (p, q) => cosineDistance(i, p) - cosineDistance(i, q) || p - q,
    );
    const rank = new Map(byOriginal.map((j, position) => [j, position + 1]));
    const layoutDistance = (j: number): number =>
      Math.hypot(
        positions[2 * i]! - positions[2 * j]!,
        positions[2 * i + 1]! - positions[2 * j + 1]!,
      );
    const byLayout = [...others].sort((p, q) => layoutDistance(p) - layoutDistance(q) || p - q);
    for (const j of byLayout.slice(0, k)) penalty += Math.max(0, rank.get(j)! - k);
  }
  return 1 - (2 / (n * k * (2 * n - 3 * k - 1))) * penalty;
}

describe('trustworthiness', () => {
  it('equals the scikit-learn definition computed by full ranking', () => {
    // 81 points: an odd count of rows and a last group of queries short of the kernel's block of 4.
    for (const n of [80, 81]) {
      const random = createRandom(8);
      const vectors = Float32Array.from({ length: n * 6 }, () => random() - 0.5);
      const positions = randomLayout(n, 2);
      for (let i = 0; i < 40; i++) positions[2 * i] = vectors[6 * i]!;
      expect(trustworthiness(vectors, 6, positions, 5)).toBeCloseTo(
        referenceTrustworthiness(vectors, 6, positions, 5),
        10,
      );
    }
  });

  it('is about 1 for an identity-like layout and low for a random one', () => {
    const { vectors, positions } = capAndLayout(600, 1);
    expect(trustworthiness(vectors, 3, positions)).toBeGreaterThan(0.99);
    expect(trustworthiness(vectors, 3, randomLayout(600, 5))).toBeLessThan(0.6);
  });

  it('estimates the full score from a sample', () => {
    const { vectors, positions } = capAndLayout(1200, 3);
    positions.set(randomLayout(300, 4));
    const full = trustworthiness(vectors, 3, positions, 15, { sample: 1200 });
    const sampled = trustworthiness(vectors, 3, positions, 15, { sample: 400, seed: 2 });
    expect(Math.abs(sampled - full)).toBeLessThan(0.03);
    expect(trustworthiness(vectors, 3, positions, 15, { sample: 400, seed: 2 })).toBe(sampled);
  });

  it('refuses a layout of the wrong size and a k too large for n', () => {
    const { vectors, positions } = capAndLayout(20, 1);
    expect(() => trustworthiness(vectors, 3, positions.subarray(2))).toThrow(
      /layout has 19 points/,
    );
    expect(() => trustworthiness(vectors, 3, positions, 10)).toThrow(/k < n \/ 2/);
  });
});

describe('knnCategoryAccuracy', () => {
  it('counts the points whose layout neighbours mostly share their label', () => {
    // Two tight groups far apart, labelled by group, except point 0, labelled as the other group.
    const positions = Float32Array.from([
      0, 0, 0.1, 0, 0, 0.1, 0.1, 0.1, 10, 10, 10.1, 10, 10, 10.1, 10.1, 10.1,
    ]);
    const labels = Int32Array.from([1, 0, 0, 0, 1, 1, 1, 1]);
    // Point 0 is outvoted by its own group; its groupmates still see a majority of 0s.
    expect(knnCategoryAccuracy(positions, labels, 3)).toBe(7 / 8);
    expect(knnCategoryAccuracy(positions, labels, 3, { sample: 8, seed: 3 })).toBe(7 / 8);
    // Scoring chosen points only: point 0 is wrong, points 1 and 4 right.
    expect(knnCategoryAccuracy(positions, labels, 3, { queries: [0, 1] })).toBe(1 / 2);
    expect(knnCategoryAccuracy(positions, labels, 3, { queries: [4] })).toBe(1);
  });
});
