import { describe, expect, it } from 'vitest';
import { maximalMarginalRelevance } from '../../../src/pipeline/label/mmr.ts';

describe('maximalMarginalRelevance', () => {
  // Items 0 and 1 are near-duplicates; 2 is less relevant but different.
  const relevance = [1, 0.95, 0.8, 0.1];
  const similarity = (a: number, b: number) =>
    Math.min(a, b) === 0 && Math.max(a, b) === 1 ? 0.9 : 0;

  it('is plain ranking at lambda 1', () => {
    const picks = maximalMarginalRelevance(4, relevance, similarity, { count: 3, lambda: 1 });
    expect(picks.map(({ index }) => index)).toEqual([0, 1, 2]);
  });

  it('passes over a near-duplicate of an item already picked', () => {
    const picks = maximalMarginalRelevance(4, relevance, similarity, { count: 2, lambda: 0.7 });
    expect(picks.map(({ index }) => index)).toEqual([0, 2]);
    expect(picks[0]!.score).toBeCloseTo(0.7);
  });

  it('asks a hard constraint only of the item it would pick, and never again once refused', () => {
    const asked: number[] = [];
    const picks = maximalMarginalRelevance(4, relevance, similarity, {
      count: 3,
      lambda: 1,
      allowed: (index) => {
        asked.push(index);
        return index !== 1;
      },
    });
    expect(picks.map(({ index }) => index)).toEqual([0, 2, 3]);
    expect(asked).toEqual([0, 1, 2, 3]);
  });

  it('takes a relevance that depends on the picks, and stops where told', () => {
    const picks = maximalMarginalRelevance(
      4,
      (index, chosen) => (chosen.length === 0 ? relevance[index]! : 1 - relevance[index]!),
      similarity,
      {
        count: 3,
        lambda: 1,
        stop: (_index, score) => score < 0.5,
      },
    );
    expect(picks.map(({ index }) => index)).toEqual([0, 3]);
  });
});
