import { describe, expect, it } from 'vitest';
import {
  NeighbourHeaps,
  sortRowsByDistance,
} from '../../../src/pipeline/project/neighbour-heap.ts';

describe('sortRowsByDistance', () => {
  it('orders each row by distance, equal distances by the lower index', () => {
    const indices = new Int32Array([7, 3, 5, 9, 2, 4]);
    const distances = new Float32Array([0.5, 0.2, 0.2, 0.1, 0.3, 0.1]);
    sortRowsByDistance(indices, distances, 3);
    expect(Array.from(indices)).toEqual([3, 5, 7, 4, 9, 2]);
    expect(Array.from(distances)).toEqual([0.2, 0.2, 0.5, 0.1, 0.1, 0.3].map(Math.fround));
  });
});

describe('NeighbourHeaps.pushOrdered', () => {
  it('keeps the k nearest, and of equally near candidates the lower indices, in any order', () => {
    const offers: [number, number][] = [
      [0.5, 8],
      [0.25, 9],
      [0.25, 2],
      [0.75, 1],
      [0.25, 5],
      [0.5, 3],
    ];
    for (const order of [offers, [...offers].reverse()]) {
      const heaps = NeighbourHeaps.allocate(1, 3);
      for (const [distance, index] of order) heaps.pushOrdered(0, distance, index);
      heaps.sortRows();
      expect(Array.from(heaps.indices)).toEqual([2, 5, 9]);
    }
  });
});
