/**
 * The one cooperative scheduler of the pipeline's stages and the page: a yield to the event loop that
 * honours cancellation, a checkpoint that yields only once a time slice is used up, and the progress
 * clock (items per second, seconds left) every stage reports with.
 */
import { throwIfCancelled } from './errors.ts';

/**
 * Resolves in a later task, so long work can be cut into pieces between which the browser handles input
 * and paints (on the page) or a worker receives messages such as an abort; rejects with a
 * CancelledError once `signal` has fired.
 */
export function nextTask(signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    setTimeout(() => {
      try {
        throwIfCancelled(signal);
        resolve();
      } catch (error) {
        reject(error);
      }
    }, 0);
  });
}

/** How long compute runs between yields by default, in milliseconds. */
const SLICE_MS = 50;

/**
 * Returns a checkpoint to await between blocks of work. It checks the signal every time and yields to
 * the event loop once `sliceMs` have passed since the last yield, so small jobs never wait on timers
 * while long ones still receive an abort (and post progress).
 */
export function createYielder(
  signal: AbortSignal | undefined,
  sliceMs = SLICE_MS,
): () => Promise<void> {
  let sliceStart = performance.now();
  return async () => {
    throwIfCancelled(signal);
    if (performance.now() - sliceStart < sliceMs) return;
    await nextTask(signal);
    sliceStart = performance.now();
  };
}

/**
 * Items per second and seconds left, from the work done since `startedAt` (a `performance.now()`);
 * `free` items (done before the clock started, such as cached vectors) do not count towards the rate.
 * Seconds left are left out until there is a rate.
 */
export function rateAndEta(
  done: number,
  total: number,
  startedAt: number,
  free = 0,
): { rate: number; etaSeconds?: number } {
  const seconds = (performance.now() - startedAt) / 1000;
  const computed = done - free;
  const rate = seconds > 0 && computed > 0 ? computed / seconds : 0;
  return rate > 0 ? { rate, etaSeconds: (total - done) / rate } : { rate };
}
