import { findABParams } from 'umap-js/dist/umap.js';
import type { RunOptions } from '../types.ts';
import { createYielder, rateAndEta } from '../../lib/scheduling.ts';
import type { FuzzyGraph } from './fuzzy-graph.ts';
import { createLayoutKernel, type LayoutKernel } from './layout-kernel.ts';
import type { ComputeHelpers } from './parallel.ts';

/** umap-js's fixed hyperparameters, which the optimiser reproduces. */
const LEARNING_RATE = 1;
const NEGATIVE_SAMPLE_RATE = 5;
export const REPULSION_STRENGTH = 1;
export const SPREAD = 1;

export interface LayoutOptions extends RunOptions {
  nEpochs: number;
  minDist: number;
  /** Seed of the negative sampling. */
  seed: number;
  /** Post a copy of the layout every this many epochs (0 for none). */
  snapshotEvery: number;
  /**
   * Helper threads for the parallel mode: each runs a share of every epoch's edges at once over the
   * shared positions (Hogwild-style). Without them (the deterministic mode) one thread runs every edge
   * in order and the layout is byte-identical run to run.
   */
  helpers?: ComputeHelpers;
}

/** The sampled edges of the graph and their schedules, as umap-js sets them up before its epoch loop. */
export interface EdgeSchedule {
  heads: Int32Array;
  tails: Int32Array;
  epochsPerSample: Float64Array;
  epochOfNextSample: Float64Array;
  epochsPerNegativeSample: Float64Array;
  epochOfNextNegativeSample: Float64Array;
}

/** Edges weaker than max/nEpochs would never be sampled, so umap-js drops them; so does this. */
export function sampledEdgeCount(
  graph: FuzzyGraph,
  nEpochs: number,
): { count: number; maxWeight: number } {
  let maxWeight = 0;
  for (const weight of graph.weights) if (weight > maxWeight) maxWeight = weight;
  let count = 0;
  for (const weight of graph.weights) if (weight >= maxWeight / nEpochs) count++;
  return { count, maxWeight };
}

export function fillSchedule(
  graph: FuzzyGraph,
  nEpochs: number,
  maxWeight: number,
  schedule: EdgeSchedule,
): void {
  let edge = 0;
  for (let row = 0; row < graph.n; row++) {
    for (let entry = graph.offsets[row]!; entry < graph.offsets[row + 1]!; entry++) {
      const weight = graph.weights[entry]!;
      if (weight < maxWeight / nEpochs) continue;
      const epochsPerSample = nEpochs / ((weight / maxWeight) * nEpochs);
      schedule.tails[edge] = row;
      schedule.heads[edge] = graph.columns[entry]!;
      schedule.epochsPerSample[edge] = epochsPerSample;
      schedule.epochOfNextSample[edge] = epochsPerSample;
      schedule.epochsPerNegativeSample[edge] = epochsPerSample / NEGATIVE_SAMPLE_RATE;
      schedule.epochOfNextNegativeSample[edge] = epochsPerSample / NEGATIVE_SAMPLE_RATE;
      edge++;
    }
  }
}

/** Ids of layout runs, so helper threads can tell one run's attached memory from another's. */
let nextSession = 1;

/**
 * Minimises UMAP's fuzzy cross-entropy by SGD over `positions` (n × 2, in place), as umap-js's epoch
 * loop does: edges sampled in proportion to their membership, attraction along them, `negative sample
 * rate` repulsive samples per positive one, gradients clipped to ±4, learning rate decaying linearly.
 * Runs in the WebAssembly kernel (`layout-kernel.ts`), on this thread alone or shared with `helpers`.
 */
export async function optimizeLayout(
  positions: Float32Array,
  graph: FuzzyGraph,
  options: LayoutOptions,
): Promise<void> {
  const { nEpochs, snapshotEvery, helpers, signal } = options;
  const { a, b } = findABParams(SPREAD, options.minDist);
  const { count, maxWeight } = sampledEdgeCount(graph, nEpochs);
  const threads = 1 + (helpers?.size ?? 0);
  const kernel = createLayoutKernel(
    graph.n,
    count,
    a,
    b,
    REPULSION_STRENGTH,
    options.seed,
    threads,
  );
  fillSchedule(graph, nEpochs, maxWeight, kernel);
  // The kernel works on its own copy of the positions, in its memory.
  kernel.positions.set(positions);
  const session = nextSession++;
  const runEpoch = helpers && threads > 1 ? await attach(kernel, helpers, session, signal) : null;

  try {
    const pause = createYielder(signal);
    const startedAt = performance.now();
    let alpha = LEARNING_RATE;
    for (let epoch = 0; epoch < nEpochs; epoch++) {
      if (runEpoch) await runEpoch(epoch, alpha);
      else kernel.runEpoch(epoch, alpha);
      alpha = LEARNING_RATE * (1 - epoch / nEpochs);
      const done = epoch + 1;
      const snapshot =
        snapshotEvery > 0 && (done % snapshotEvery === 0 || done === nEpochs)
          ? kernel.positions.slice()
          : undefined;
      options.onProgress?.({
        stage: 'projecting',
        done,
        total: nEpochs,
        message: 'Optimising the layout',
        ...rateAndEta(done, nEpochs, startedAt),
        ...(snapshot ? { snapshot } : {}),
      });
      await pause();
    }
  } finally {
    if (runEpoch) helpers!.callEach('detachLayout', () => ({ session })).catch(() => undefined);
  }
  positions.set(kernel.positions);
}

/**
 * Attaches the kernel's shared memory to every helper; returns a function running one epoch: share 0
 * here while the helpers run theirs, resolved when all are done.
 */
async function attach(
  kernel: LayoutKernel,
  helpers: ComputeHelpers,
  session: number,
  signal: AbortSignal | undefined,
): Promise<(epoch: number, alpha: number) => Promise<void>> {
  const { memory, plan } = kernel;
  await helpers.callEach('attachLayout', () => ({ session, memory, plan }), signal);
  return async (epoch, alpha) => {
    const others = helpers.callEach(
      'layoutEpoch',
      (helper) => ({ session, epoch, alpha, share: helper + 1 }),
      signal,
    );
    // Settle the helpers' promise even if this share throws, so no rejection goes unhandled.
    others.catch(() => undefined);
    kernel.runShare(epoch, alpha, 0);
    await others;
  };
}
