import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../src/lib/random.ts';
import { pcaLayout, randomLayout } from '../../../src/pipeline/project/initial-layout.ts';

describe('initial layouts', () => {
  it('PCA recovers points that vary along two directions, scaled to ±10, from a row sample', () => {
    // Unit vectors (cos θ, sin θ · cos φ, sin θ · sin φ, …) near one pole vary mostly along two axes.
    const random = createRandom(3);
    const n = 6000; // above the 4,096 rows the axes are computed from
    const dim = 10;
    const vectors = new Float32Array(n * dim);
    const truth: [number, number][] = [];
    for (let i = 0; i < n; i++) {
      const x = (random() - 0.5) * 0.4;
      const y = (random() - 0.5) * 0.1;
      truth.push([x, y]);
      vectors[i * dim] = 1;
      vectors[i * dim + 3] = x;
      vectors[i * dim + 7] = y;
    }
    const positions = pcaLayout(vectors, dim, createRandom(1));
    let largest = 0;
    for (const value of positions) largest = Math.max(largest, Math.abs(value));
    expect(largest).toBeCloseTo(10, 2);
    // The first axis is the wide one: |first coordinate| tracks |x| closely.
    let agreement = 0;
    let normA = 0;
    let normB = 0;
    for (let i = 0; i < n; i++) {
      agreement += positions[2 * i]! * truth[i]![0];
      normA += positions[2 * i]! ** 2;
      normB += truth[i]![0] ** 2;
    }
    expect(Math.abs(agreement) / Math.sqrt(normA * normB)).toBeGreaterThan(0.99);
  });

  it('is deterministic for a seed and falls back to random when the rows have no spread', () => {
    const random = createRandom(5);
    const vectors = Float32Array.from({ length: 50 * 6 }, () => random() - 0.5);
    expect(pcaLayout(vectors, 6, createRandom(2))).toEqual(pcaLayout(vectors, 6, createRandom(2)));
    const identical = new Float32Array(40 * 6).fill(0.5);
    const layout = pcaLayout(identical, 6, createRandom(2));
    expect(layout.every(Number.isFinite)).toBe(true);
    // A spread-out random square, not rounding noise blown up to ±10 along arbitrary axes.
    expect(Math.max(...layout) - Math.min(...layout)).toBeGreaterThan(15);
    const distinctX = new Set(
      Array.from(
        layout.filter((_, i) => i % 2 === 0),
        (x) => x.toFixed(3),
      ),
    );
    expect(distinctX.size).toBeGreaterThan(35);
  });

  it('random layout fills [−10, 10]²', () => {
    const layout = randomLayout(500, createRandom(4));
    expect(Math.min(...layout)).toBeGreaterThanOrEqual(-10);
    expect(Math.max(...layout)).toBeLessThanOrEqual(10);
    expect(Math.max(...layout) - Math.min(...layout)).toBeGreaterThan(19);
  });
});
