/** The short ascending list of nearest candidates every exact neighbour search here keeps. */

/**
 * Offers `index` at distance `d` to a list of the nearest so far (`best` ascending, `out` their
 * indices, both of length k): it takes its place if it beats the last, later equals staying behind.
 */
export function keepNearest(best: Float64Array, out: Int32Array, d: number, index: number): void {
  const k = best.length;
  if (!(d < best[k - 1]!)) return;
  let slot = k - 1;
  while (slot > 0 && best[slot - 1]! > d) {
    best[slot] = best[slot - 1]!;
    out[slot] = out[slot - 1]!;
    slot--;
  }
  best[slot] = d;
  out[slot] = index;
}
