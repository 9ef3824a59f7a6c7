/**
 * What a stage needs from helper threads, and the work they run. The pool of workers that implements
 * `ComputeHelpers` lives in `src/worker/pool.ts`; the functions of `computeApi` run in each of its
 * workers (`src/worker/compute.worker.ts`), DOM-free so Node tests can call them in-process too.
 */
import { AtlasError } from '../../lib/errors.ts';
import { localJoin, rowDistance, type CandidateLists } from './knn.ts';
import { layoutShareRunner, type LayoutPlan } from './layout-kernel.ts';
import { createSimdKernels } from './simd-kernels.ts';

/** Helper threads a stage can hand shares of its work to; the calling thread runs share 0 itself. */
export interface ComputeHelpers {
  /** Helper threads (the calling thread not counted). */
  readonly size: number;
  /**
   * Calls `method` on every helper, helper h with `args(h)`, and resolves with their replies in helper
   * order when all have replied. Rejects with the first error (a helper that dies rejects with an
   * `AtlasError`), or on `signal`.
   */
  callEach<M extends keyof ComputeApi>(
    method: M,
    args: (helper: number) => Parameters<ComputeApi[M]>[0],
    signal?: AbortSignal,
  ): Promise<ReturnType<ComputeApi[M]>[]>;
}

/** Layouts attached to this thread, by session id. */
const layouts = new Map<number, (epoch: number, alpha: number, share: number) => void>();

function attachedLayout(session: number): (epoch: number, alpha: number, share: number) => void {
  const run = layouts.get(session);
  if (!run) {
    throw new AtlasError(
      'project',
      'no-layout',
      `No layout ${session} is attached to this worker.`,
    );
  }
  return run;
}

/** A neighbour search attached to this thread: its distance and candidate lists, and the heaps' roots. */
interface AttachedKnn {
  distance: (a: number, b: number) => number;
  lists: CandidateLists;
  thresholds: { k: number; distances: Float32Array };
}

const searches = new Map<number, AttachedKnn>();

/** The work helper threads run, each method on one structured-cloneable argument. */
export const computeApi = {
  /** Instantiates the layout kernel over the shared memory of a layout run. */
  attachLayout(args: { session: number; memory: WebAssembly.Memory; plan: LayoutPlan }): void {
    layouts.set(args.session, layoutShareRunner(args.memory, args.plan));
  },
  /** Runs one share of one epoch of an attached layout. */
  layoutEpoch(args: { session: number; epoch: number; alpha: number; share: number }): void {
    attachedLayout(args.session)(args.epoch, args.alpha, args.share);
  },
  detachLayout(args: { session: number }): void {
    layouts.delete(args.session);
  },
  /** Attaches the shared unit rows, candidate lists and heap distances of an NN-descent run. */
  attachKnn(args: {
    session: number;
    memory: WebAssembly.Memory;
    stride: number;
    lists: CandidateLists;
    thresholds: { k: number; distances: Float32Array };
  }): void {
    const { memory, stride } = args;
    const kernels = createSimdKernels(0, { memory });
    searches.set(args.session, {
      distance: rowDistance((a, b) => kernels.dot(a * stride, b * stride, stride)),
      lists: args.lists,
      thresholds: args.thresholds,
    });
  },
  /**
   * The local join of rows [start, end) of an attached search: the pairs whose distance beats either
   * row's current threshold (the others cannot enter a heap), as row pairs and distances.
   */
  knnJoin(args: { session: number; start: number; end: number }): {
    rows: Int32Array;
    distances: Float32Array;
  } {
    const search = searches.get(args.session);
    if (!search) {
      throw new AtlasError('project', 'no-search', `No search ${args.session} is attached here.`);
    }
    const { k, distances: heapDistances } = search.thresholds;
    let rows = new Int32Array(1 << 16);
    let distances = new Float32Array(1 << 15);
    let count = 0;
    localJoin(search.lists, args.start, args.end, search.distance, (p, q, d) => {
      if (!(d < heapDistances[p * k]! || d < heapDistances[q * k]!)) return;
      if (count === distances.length) {
        const grownRows = new Int32Array(rows.length * 2);
        grownRows.set(rows);
        rows = grownRows;
        const grownDistances = new Float32Array(distances.length * 2);
        grownDistances.set(distances);
        distances = grownDistances;
      }
      rows[2 * count] = p;
      rows[2 * count + 1] = q;
      distances[count++] = d;
    });
    return { rows: rows.slice(0, 2 * count), distances: distances.slice(0, count) };
  },
  detachKnn(args: { session: number }): void {
    searches.delete(args.session);
  },
};

export type ComputeApi = typeof computeApi;
