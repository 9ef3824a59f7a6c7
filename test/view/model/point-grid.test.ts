import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../src/lib/random.ts';
import { PointGrid } from '../../../src/view/model/point-grid.ts';
import type { WorldRect } from '../../../src/view/model/geometry.ts';

function randomPositions(n: number, seed: number): Float32Array {
  const random = createRandom(seed);
  const positions = new Float32Array(2 * n);
  for (let i = 0; i < positions.length; i++) positions[i] = (random() - 0.5) * 20;
  return positions;
}

function bruteIn(positions: Float32Array, [minX, minY, maxX, maxY]: WorldRect): number[] {
  const found: number[] = [];
  for (let i = 0; i < positions.length / 2; i++) {
    const x = positions[2 * i]!;
    const y = positions[2 * i + 1]!;
    if (x >= minX && x <= maxX && y >= minY && y <= maxY) found.push(i);
  }
  return found;
}

describe('PointGrid', () => {
  const positions = randomPositions(5000, 7);
  const grid = PointGrid.build(positions);

  it('finds exactly the points in a rectangle, as a scan does', () => {
    for (const rect of [
      [-3, -2, 4, 1],
      [-100, -100, 100, 100],
      [9.5, 9.5, 30, 30],
      [50, 50, 60, 60],
    ] as WorldRect[]) {
      expect(Array.from(grid.indicesIn(rect))).toEqual(bruteIn(positions, rect));
      expect(grid.countIn(rect)).toBe(bruteIn(positions, rect).length);
    }
  });

  it('stops counting just past the limit', () => {
    expect(grid.countIn([-100, -100, 100, 100], 10)).toBe(11);
    expect(grid.countIn([50, 50, 60, 60], 10)).toBe(0);
  });

  it('returns the nearest point within the radius, or -1', () => {
    const random = createRandom(3);
    for (let q = 0; q < 200; q++) {
      const x = (random() - 0.5) * 22;
      const y = (random() - 0.5) * 22;
      const radius = random() * 0.5;
      let best = -1;
      let bestDistance = Infinity;
      for (let i = 0; i < positions.length / 2; i++) {
        const d = Math.hypot(positions[2 * i]! - x, positions[2 * i + 1]! - y);
        if (d <= radius && d < bestDistance) {
          best = i;
          bestDistance = d;
        }
      }
      expect(grid.nearest(x, y, radius)).toBe(best);
    }
  });

  it('handles no points, one point and points on one spot', () => {
    expect(PointGrid.build(new Float32Array()).countIn([-1, -1, 1, 1])).toBe(0);
    expect(PointGrid.build(new Float32Array([2, 3])).nearest(2.1, 3, 0.5)).toBe(0);
    const stacked = PointGrid.build(new Float32Array([1, 1, 1, 1, 1, 1]));
    expect(Array.from(stacked.indicesIn([0, 0, 2, 2]))).toEqual([0, 1, 2]);
    expect(stacked.nearest(1, 1, 0.1)).toBe(0);
  });
});
