/**
 * Maximal marginal relevance (Carbonell & Goldstein 1998): picks items one at a time, each maximising
 * λ·relevance − (1 − λ)·(its highest similarity to an item already picked), so the picks are relevant
 * and not near-duplicates of each other.
 */

export interface MmrOptions {
  /** Most items picked. */
  count: number;
  /** Weight on relevance, 0..1; 1 is plain ranking. */
  lambda: number;
  /**
   * Whether item `index` may join the picks `chosen` (a hard constraint). It is asked only of the item
   * MMR would pick next, so it may be costly; an item it refuses is not asked about again, which is
   * right for constraints that only tighten as picks are added.
   */
  allowed?: (index: number, chosen: readonly number[]) => boolean;
  /** Whether to stop before picking item `index` with `score` after the picks `chosen`. */
  stop?: (index: number, score: number, chosen: readonly number[]) => boolean;
}

export interface MmrPick {
  index: number;
  /** Its MMR score when picked. */
  score: number;
}

/**
 * Up to `count` of `items` indices, in pick order; ties go to the lower index. Relevance is a list, or a
 * function of the picks so far (for a relevance that depends on them, such as how well the picks and
 * the item together pick out a cluster).
 */
export function maximalMarginalRelevance(
  items: number,
  relevance: ArrayLike<number> | ((index: number, chosen: readonly number[]) => number),
  similarity: (a: number, b: number) => number,
  { count, lambda, allowed, stop }: MmrOptions,
): MmrPick[] {
  const relevanceOf =
    typeof relevance === 'function' ? relevance : (index: number) => relevance[index]!;
  const picks: MmrPick[] = [];
  const chosen: number[] = [];
  /** 1: picked or refused. */
  const settled = new Uint8Array(items);
  while (picks.length < count) {
    let best = -1;
    let bestScore = -Infinity;
    for (let k = 0; k < items; k++) {
      if (settled[k]) continue;
      let redundancy = 0;
      for (const c of chosen) redundancy = Math.max(redundancy, similarity(k, c));
      const score = lambda * relevanceOf(k, chosen) - (1 - lambda) * redundancy;
      if (score > bestScore) {
        best = k;
        bestScore = score;
      }
    }
    if (best < 0) break;
    settled[best] = 1;
    if (allowed && !allowed(best, chosen)) continue;
    if (stop?.(best, bestScore, chosen)) break;
    chosen.push(best);
    picks.push({ index: best, score: bestScore });
  }
  return picks;
}
