import { describe, expect, it } from 'vitest';
import {
  boundsOf,
  convexHulls,
  pointsInBox,
  pointsInPolygon,
  rectContains,
} from '../../../src/view/model/geometry.ts';

describe('selection geometry', () => {
  const positions = Float32Array.from([0, 0, 1, 1, 2, 2, 3, 0, 0.5, 1.8]);

  it('selects points in a box given by any two corners', () => {
    expect([...pointsInBox(positions, [2.5, 2.5], [0.5, 0.5])]).toEqual([1, 2, 4]);
    expect([...pointsInBox(positions, [0.9, 0.9], [3, 2.1])]).toEqual([1, 2]);
  });

  it('selects points in a concave lasso', () => {
    // A "U" shape: the notch between x=0.8 and x=1.6 above y=0.5 is outside.
    const lasso: [number, number][] = [
      [-0.5, -0.5],
      [3.5, -0.5],
      [3.5, 2.5],
      [1.6, 2.5],
      [1.6, 0.5],
      [0.8, 0.5],
      [0.8, 2.5],
      [-0.5, 2.5],
    ];
    expect([...pointsInPolygon(positions, lasso)]).toEqual([0, 2, 3, 4]);
    expect(
      pointsInPolygon(positions, [
        [0, 0],
        [1, 1],
      ]),
    ).toHaveLength(0);
  });

  it('computes one convex hull per group, skipping noise and tiny groups', () => {
    const points = Float32Array.from([0, 0, 2, 0, 2, 2, 0, 2, 1, 1, 9, 9, 10, 10, 5, 5]);
    const groups = Int32Array.from([4, 4, 4, 4, 4, 7, 7, -1]);
    const hulls = convexHulls(points, groups);
    expect([...hulls.keys()]).toEqual([4]);
    expect(hulls.get(4)).toEqual([
      [0, 0],
      [2, 0],
      [2, 2],
      [0, 2],
    ]);
  });
});

describe('rectangles', () => {
  it('bounds every point, or none', () => {
    expect(boundsOf(Float32Array.from([1, 5, -2, 3, 4, -1]))).toEqual([-2, -1, 4, 5]);
    expect(boundsOf(new Float32Array())).toBeNull();
  });

  it('knows whether one rectangle holds another', () => {
    expect(rectContains([0, 0, 10, 10], [1, 1, 9, 9])).toBe(true);
    expect(rectContains([0, 0, 10, 10], [0, 0, 10, 10])).toBe(true);
    expect(rectContains([0, 0, 10, 10], [-1, 1, 9, 9])).toBe(false);
    expect(rectContains([0, 0, 10, 10], [1, 1, 9, 11])).toBe(false);
  });
});
