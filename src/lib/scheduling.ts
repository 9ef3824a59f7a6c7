import { throwIfCancelled } from './errors.ts';

/**
 * Resolves in a later task, so long work on the page's main thread can be cut into pieces between which
 * the browser handles input and paints; rejects with a CancelledError once `signal` has fired.
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
