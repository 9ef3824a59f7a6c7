import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../src/lib/random.ts';
import { adjustedRandIndex, silhouette } from '../../../src/pipeline/cluster/index.ts';
import { makeBlobs } from './fixtures.ts';

const separated = makeBlobs(
  [
    { centre: [0, 0], spread: 1, count: 100 },
    { centre: [30, 0], spread: 1, count: 100 },
    { centre: [0, 30], spread: 1, count: 100 },
  ],
  4,
);

describe('silhouette', () => {
  it('is high for well-separated blobs', () => {
    expect(silhouette(separated.positions, separated.truth)).toBeGreaterThan(0.85);
  });

  it('is about zero for random labels', () => {
    const random = createRandom(9);
    const labels = Int32Array.from(separated.truth, () => Math.floor(random() * 3));
    expect(Math.abs(silhouette(separated.positions, labels))).toBeLessThan(0.05);
  });

  it('matches a hand-computed value', () => {
    // Points 0, 1 in one cluster at x = 0 and 1; point 2 alone at x = 4 (a singleton scores 0).
    // Point 0: a = 1, b = 4, s = 0.75. Point 1: a = 1, b = 3, s = 2/3. Mean over three points.
    const positions = new Float32Array([0, 0, 1, 0, 4, 0]);
    const value = silhouette(positions, new Int32Array([0, 0, 1]));
    expect(value).toBeCloseTo((0.75 + 2 / 3) / 3, 6);
  });

  it('leaves noise out and needs two clusters', () => {
    const labels = separated.truth.slice();
    labels.fill(-1, 0, 100);
    const withNoise = silhouette(separated.positions, labels);
    const withoutNoise = silhouette(separated.positions.slice(200), separated.truth.slice(100));
    expect(withNoise).toBeCloseTo(withoutNoise, 10);
    expect(silhouette(separated.positions, new Int32Array(300))).toBe(0);
  });

  it('samples large inputs reproducibly and close to the full value', () => {
    const full = silhouette(separated.positions, separated.truth);
    const sampled = silhouette(separated.positions, separated.truth, { sample: 120, seed: 5 });
    expect(sampled).toBe(
      silhouette(separated.positions, separated.truth, { sample: 120, seed: 5 }),
    );
    expect(Math.abs(sampled - full)).toBeLessThan(0.05);
  });
});

describe('adjustedRandIndex', () => {
  it('is 1 for the same partition under other names', () => {
    expect(
      adjustedRandIndex(new Int32Array([0, 0, 1, 1, 2]), new Int32Array([5, 5, 3, 3, 9])),
    ).toBe(1);
  });

  it('matches a known value', () => {
    // scikit-learn: adjusted_rand_score([0, 0, 1, 1], [0, 0, 1, 2]) = 0.5714285714285715
    expect(
      adjustedRandIndex(new Int32Array([0, 0, 1, 1]), new Int32Array([0, 0, 1, 2])),
    ).toBeCloseTo(0.5714285714, 9);
  });

  it('is about zero for independent labellings', () => {
    const random = createRandom(1);
    const a = Int32Array.from({ length: 5000 }, () => Math.floor(random() * 4));
    const b = Int32Array.from({ length: 5000 }, () => Math.floor(random() * 4));
    expect(Math.abs(adjustedRandIndex(a, b))).toBeLessThan(0.01);
  });

  it('rejects labellings of different lengths', () => {
    expect(() => adjustedRandIndex(new Int32Array(2), new Int32Array(3))).toThrow(/differ/);
  });
});
