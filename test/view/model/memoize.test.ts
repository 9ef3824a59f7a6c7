import { describe, expect, it } from 'vitest';
import { memoize } from '../../../src/view/model/memoize.ts';

describe('memoize', () => {
  it('returns the remembered result for the same arguments and computes again for others', () => {
    let calls = 0;
    const double = memoize((values: number[], factor: number) => {
      calls++;
      return values.map((v) => v * factor);
    });
    const values = [1, 2];
    const first = double(values, 2);
    expect(double(values, 2)).toBe(first);
    expect(calls).toBe(1);
    expect(double([1, 2], 2)).not.toBe(first);
    expect(double(values, 3)).toEqual([3, 6]);
    expect(calls).toBe(3);
  });
});
