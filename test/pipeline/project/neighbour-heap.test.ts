import { describe, expect, it } from 'vitest';
import { sortRowsByDistance } from '../../../src/pipeline/project/neighbour-heap.ts';

describe('sortRowsByDistance', () => {
  it('orders each row by distance, equal distances by the lower index', () => {
    const indices = new Int32Array([7, 3, 5, 9, 2, 4]);
    const distances = new Float32Array([0.5, 0.2, 0.2, 0.1, 0.3, 0.1]);
    sortRowsByDistance(indices, distances, 3);
    expect(Array.from(indices)).toEqual([3, 5, 7, 4, 9, 2]);
    expect(Array.from(distances)).toEqual([0.2, 0.2, 0.5, 0.1, 0.1, 0.3].map(Math.fround));
  });
});
