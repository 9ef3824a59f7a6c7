import { describe, expect, it } from 'vitest';
import { paddingShare, planBatches } from '../../../src/pipeline/embed/batching.ts';
import { createRandom } from '../../../src/lib/random.ts';

function randomLengths(count: number, seed: number): Int32Array {
  const random = createRandom(seed);
  return Int32Array.from({ length: count }, () => 20 + Math.floor(random() * 236));
}

describe('planBatches', () => {
  it('puts every text in exactly one batch, within the size and token limits', () => {
    const lengths = randomLengths(500, 1);
    const { batches } = planBatches(lengths, { maxBatchSize: 16, maxBatchTokens: 2048 });
    const seen = new Int32Array(lengths.length);
    for (const batch of batches) {
      expect(batch.length).toBeGreaterThan(0);
      expect(batch.length).toBeLessThanOrEqual(16);
      const longest = Math.max(...Array.from(batch, (i) => lengths[i]!));
      if (batch.length > 1) expect(longest * batch.length).toBeLessThanOrEqual(2048);
      for (const index of batch) seen[index]!++;
    }
    expect(Array.from(seen).every((count) => count === 1)).toBe(true);
  });

  it('sorting by length wastes far less on padding than corpus order', () => {
    const lengths = randomLengths(2000, 7);
    const sorted = planBatches(lengths);
    const unsorted = planBatches(lengths, { sortByLength: false });
    expect(sorted.paddingShare).toBeLessThan(0.05);
    expect(unsorted.paddingShare).toBeGreaterThan(0.3);
    // Longest first, so memory peaks in the first batch.
    expect(lengths[sorted.batches[0]![0]!]).toBe(Math.max(...lengths));
  });

  it('is deterministic: ties keep corpus order', () => {
    const lengths = Int32Array.from([5, 5, 5, 9, 5]);
    const { batches } = planBatches(lengths, { maxBatchSize: 2 });
    expect(batches.map((b) => Array.from(b))).toEqual([[3, 0], [1, 2], [4]]);
  });

  it('computes the padding share of given batches', () => {
    const lengths = Int32Array.from([10, 5, 10, 10]);
    expect(paddingShare(lengths, [Int32Array.from([0, 1])])).toBeCloseTo(5 / 20);
    expect(paddingShare(lengths, [Int32Array.from([0, 2, 3])])).toBe(0);
    expect(paddingShare(lengths, [])).toBe(0);
  });
});
