import { describe, expect, it } from 'vitest';
import { hashedInt } from '../../src/lib/random.ts';

describe('hashedInt', () => {
  it('draws the same number for the same inputs, in any order', () => {
    const forward = Array.from({ length: 50 }, (_, i) => hashedInt(7, i, 3, 1000));
    const backward = Array.from({ length: 50 }, (_, i) => hashedInt(7, 49 - i, 3, 1000)).reverse();
    expect(backward).toEqual(forward);
  });

  it('spreads its draws evenly over [0, max) whichever input changes', () => {
    const max = 10;
    for (const draw of [
      (i: number) => hashedInt(1, i, 0, max),
      (i: number) => hashedInt(1, 0, i, max),
      (i: number) => hashedInt(i, 0, 0, max),
    ]) {
      const counts = new Array<number>(max).fill(0);
      for (let i = 0; i < 100_000; i++) counts[draw(i)]!++;
      // 10,000 expected per value; a fair draw stays within ±400 (four standard deviations).
      for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(400);
    }
  });
});
