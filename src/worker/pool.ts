/**
 * A pool of compute workers (`compute.worker.ts` in the browser, `compute.node-worker.ts` in Node)
 * that a stage hands shares of its work to through `ComputeHelpers`. Each worker is a `WorkerClient`:
 * a worker that dies rejects its calls in flight with an `AtlasError` (so the run fails at once, never
 * hangs) and is replaced by a fresh one on the next call.
 */
import type { ComputeApi, ComputeHelpers } from '../pipeline/project/parallel.ts';
import { WorkerClient, type WorkerEndpoint } from './rpc.ts';

/** Most threads a run uses: beyond this, memory bandwidth rather than cores bounds the kernels. */
export const MAX_THREADS = 8;

/**
 * Threads to compute on, the calling thread included: one without shared memory (no cross-origin
 * isolation: nothing to share positions through); else one per core less one for the page, except on
 * two cores or fewer, where leaving one out would leave no parallelism at all (the page mostly idles
 * while the pipeline runs); at most `MAX_THREADS`.
 */
export function defaultThreadCount(hardwareConcurrency: number, sharedMemory: boolean): number {
  if (!sharedMemory) return 1;
  const cores = Math.max(1, Math.floor(hardwareConcurrency) || 1);
  return Math.min(MAX_THREADS, cores <= 2 ? cores : cores - 1);
}

export class ComputePool implements ComputeHelpers {
  private readonly clients: WorkerClient<ComputeApi>[];

  /** `size` helper workers, each made by `spawn` on first use and again after a crash. */
  constructor(
    readonly size: number,
    spawn: () => WorkerEndpoint,
  ) {
    this.clients = Array.from(
      { length: size },
      (_, helper) => new WorkerClient<ComputeApi>(spawn, `compute ${helper + 1}`),
    );
  }

  async callEach<M extends keyof ComputeApi>(
    method: M,
    args: (helper: number) => Parameters<ComputeApi[M]>[0],
    signal?: AbortSignal,
  ): Promise<ReturnType<ComputeApi[M]>[]> {
    return Promise.all(
      this.clients.map(
        (client, helper) =>
          client.call(method, args(helper) as never, signal ? { signal } : {}) as Promise<
            ReturnType<ComputeApi[M]>
          >,
      ),
    );
  }

  /** Ends every worker; calls in flight are rejected. */
  close(): void {
    for (const client of this.clients) client.terminate();
  }
}

/** The compute workers this worker (the map or the embed worker) shares its work with, made on first use. */
let pool: ComputePool | null = null;

/**
 * Helpers for a run on `threads` threads (this worker included), by default one per core as
 * `defaultThreadCount` says; none for one thread or without cross-origin isolation (no shared memory).
 * For a worker's own code: it makes browser workers.
 */
export function helpersFor(threads: number | undefined): ComputePool | undefined {
  const available = defaultThreadCount(navigator.hardwareConcurrency, self.crossOriginIsolated);
  const wanted = Math.min(threads ?? available, self.crossOriginIsolated ? MAX_THREADS : 1);
  if (wanted <= 1) return undefined;
  if (pool?.size !== wanted - 1) {
    pool?.close();
    pool = new ComputePool(
      wanted - 1,
      () =>
        new Worker(new URL('./compute.worker.ts', import.meta.url), {
          type: 'module',
          name: 'compute',
        }),
    );
  }
  return pool;
}
