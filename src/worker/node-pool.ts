/**
 * `ComputePool` on Node's `worker_threads`: what unit tests, benchmarks and build scripts use. The
 * workers run the TypeScript entry through tsx's loader, as the scripts themselves run.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ComputePool, defaultThreadCount } from './pool.ts';
import type { WorkerEndpoint } from './rpc.ts';

const ENTRY = new URL('./compute.node-worker.ts', import.meta.url);

/** A worker thread behind the RPC layer's endpoint; an exit it was not asked for counts as a crash. */
export function nodeWorkerEndpoint(worker: Worker): WorkerEndpoint {
  let stopping = false;
  worker.unref();
  return {
    postMessage: (message, transfer) => worker.postMessage(message, transfer as never),
    addEventListener: (type: string, listener: (event: MessageEvent & ErrorEvent) => void) => {
      const emit = (fields: object) => listener(fields as MessageEvent & ErrorEvent);
      if (type === 'message') worker.on('message', (data: unknown) => emit({ data }));
      if (type === 'messageerror') worker.on('messageerror', () => emit({}));
      if (type === 'error') {
        worker.on('error', (error: Error) => emit({ message: error.message }));
        worker.on('exit', (code: number) => {
          if (!stopping) emit({ message: `the thread exited with code ${code}` });
        });
      }
    },
    terminate: () => {
      stopping = true;
      void worker.terminate();
    },
  };
}

/** Registers tsx's loader in the new thread, then loads the TypeScript entry through it. */
const BOOTSTRAP = `import('tsx/esm/api').then(({ register }) => {
  register();
  return import(${JSON.stringify(ENTRY.href)});
});`;

export function spawnNodeComputeWorker(): Worker {
  return new Worker(BOOTSTRAP, { eval: true });
}

/** A pool of `threads − 1` helpers (the calling thread is the first), by default one per core. */
export function createNodeComputePool(
  threads = defaultThreadCount(availableParallelism(), true),
): ComputePool {
  return new ComputePool(Math.max(0, threads - 1), () =>
    nodeWorkerEndpoint(spawnNodeComputeWorker()),
  );
}
