/**
 * What a stage needs from helper threads, and the work they run. The pool of workers that implements
 * `ComputeHelpers` lives in `src/worker/pool.ts`; the functions of `computeApi` run in each of its
 * workers (`src/worker/compute.worker.ts`), DOM-free so Node tests can call them in-process too.
 */
import { AtlasError } from '../../lib/errors.ts';
import {
  sparseShareRunner,
  type SparseLayout,
  type SparseProduct,
} from '../embed/sparse-products.ts';
import { exactShareSteps } from './knn.ts';
import { layoutShareRunner, type LayoutPlan } from './layout-kernel.ts';
import { NeighbourHeaps } from './neighbour-heap.ts';
import {
  descentSearch,
  runDescentStep,
  type DescentArrays,
  type DescentSearch,
  type DescentStep,
} from './nn-descent.ts';
import { createSimdKernels } from './simd-kernels.ts';
import { attachedUnitRows } from './unit-rows.ts';

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

/** NN-descent searches attached to this thread, by session id. */
const searches = new Map<number, DescentSearch>();

/** The lexical embedder's sparse products attached to this thread, by session id. */
const sparseProducts = new Map<
  number,
  (product: SparseProduct, share: number, shares: number) => void
>();

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
  /** Attaches the shared unit rows and arrays of an NN-descent run. */
  attachKnn(args: {
    session: number;
    memory: WebAssembly.Memory;
    stride: number;
    arrays: DescentArrays;
  }): void {
    const { memory, stride } = args;
    const kernels = createSimdKernels(0, { memory });
    searches.set(
      args.session,
      descentSearch(args.arrays, (a, b) => kernels.dot(a * stride, b * stride, stride)),
    );
  },
  /** Runs one step of an attached search on its share of rows; returns the step's count. */
  knnStep(args: { session: number; step: DescentStep }): number {
    const search = searches.get(args.session);
    if (!search) {
      throw new AtlasError('project', 'no-search', `No search ${args.session} is attached here.`);
    }
    return runDescentStep(search, args.step);
  },
  /**
   * One share of an exact search over the unit rows in `memory`: this thread's heaps for all rows, to
   * be merged by the caller.
   */
  exactKnnShare(args: {
    memory: WebAssembly.Memory;
    n: number;
    stride: number;
    blockSize: number;
    k: number;
    share: number;
    shares: number;
  }): { distances: Float32Array; indices: Int32Array } {
    const { memory, n, stride, blockSize, k, share, shares } = args;
    const heaps = NeighbourHeaps.allocate(n, k);
    const steps = exactShareSteps(
      attachedUnitRows(memory, n, stride, blockSize),
      heaps,
      share,
      shares,
    );
    while (!steps.next().done);
    return { distances: heaps.distances, indices: heaps.indices };
  },
  detachKnn(args: { session: number }): void {
    searches.delete(args.session);
  },
  /** Instantiates the sparse kernel over the shared memory of a lexical fit's products. */
  attachSparse(args: { session: number; memory: WebAssembly.Memory; layout: SparseLayout }): void {
    sparseProducts.set(args.session, sparseShareRunner(args.memory, args.layout));
  },
  /** Runs share `share` of `shares` of one product of an attached lexical fit. */
  sparseShare(args: {
    session: number;
    product: SparseProduct;
    share: number;
    shares: number;
  }): void {
    const run = sparseProducts.get(args.session);
    if (!run) {
      throw new AtlasError(
        'embed',
        'no-products',
        `No sparse products ${args.session} are attached here.`,
      );
    }
    run(args.product, args.share, args.shares);
  },
  detachSparse(args: { session: number }): void {
    sparseProducts.delete(args.session);
  },
};

export type ComputeApi = typeof computeApi;
