/**
 * Seeded pseudo-random numbers (mulberry32): the same seed gives the same sequence on every platform,
 * so the same input and seed give the same map.
 */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random integer in [0, max). */
export function randomInt(random: () => number, max: number): number {
  return Math.floor(random() * max);
}

/** murmur3's 32-bit finaliser: every input bit moves about half the output bits. */
function mix32(value: number): number {
  let h = value;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A random integer in [0, max) fixed by `seed`, `a` and `b` alone. Unlike a generator's stream, draws
 * made this way do not depend on the order they are made in, so threads that split a loop between
 * them draw what one thread running the whole loop would.
 */
export function hashedInt(seed: number, a: number, b: number, max: number): number {
  const hash = mix32(mix32(mix32(seed + 0x9e3779b9) ^ a) ^ b);
  return Math.floor((hash / 4294967296) * max);
}
