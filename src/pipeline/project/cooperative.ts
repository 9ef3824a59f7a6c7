import { throwIfCancelled } from '../../lib/errors.ts';

/** How long compute runs between yields to the event loop, in milliseconds. */
const SLICE_MS = 50;

/**
 * Returns a function to await between blocks of work. It checks the signal every time and, about every
 * 50 ms, yields to the event loop so that a worker receives the abort message (and posts progress) while
 * a long synchronous computation is under way.
 */
export function createYielder(signal: AbortSignal | undefined): () => Promise<void> {
  let sliceStart = performance.now();
  return async () => {
    throwIfCancelled(signal);
    if (performance.now() - sliceStart < SLICE_MS) return;
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    throwIfCancelled(signal);
    sliceStart = performance.now();
  };
}

/** Items per second and seconds left, from the work done since `startedAt` (a `performance.now()`). */
export function rateAndEta(
  done: number,
  total: number,
  startedAt: number,
): { rate: number; etaSeconds: number } {
  const seconds = Math.max((performance.now() - startedAt) / 1000, 1e-6);
  const rate = done / seconds;
  return { rate, etaSeconds: rate > 0 ? (total - done) / rate : Infinity };
}
