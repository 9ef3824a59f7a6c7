/**
 * UMAP's optimisation epoch in WebAssembly (`kernels/layout-epoch.wat`): the same computation as
 * umap-js's `optimizeLayoutStep` for 2-D layouts, over typed arrays in the kernel's memory.
 *
 * With one thread, every edge runs in order: the deterministic path, byte-identical run to run. With
 * several, the edges are split into contiguous shares, each run by its own thread over the same
 * positions in shared memory, without locks (Hogwild-style, as umap-learn's parallel mode); each
 * thread runs its share as two lanes side by side (the kernel's `epochPair`), and each lane draws its
 * negative samples from its own generator.
 */
import { createKernelMemory, instantiateKernel } from './kernels/load.ts';

/** Where a layout's arrays lie in the kernel's memory (byte addresses) and the curve's constants. */
export interface LayoutPlan {
  n: number;
  edgeCount: number;
  /** Shares the edges are split into, one per thread. */
  threads: number;
  /** Whether each thread runs its share as two lanes side by side (`lanesPay`). */
  lanes: boolean;
  a: number;
  b: number;
  attractionScale: number;
  repulsionScale: number;
  positionsAt: number;
  headsAt: number;
  tailsAt: number;
  epochsPerSampleAt: number;
  nextSampleAt: number;
  epochsPerNegativeAt: number;
  nextNegativeAt: number;
  /** One mulberry32 state (4 bytes) per lane: lane 0 alone with one thread, lanes 2t and 2t + 1 on thread t. */
  statesAt: number;
}

export interface LayoutKernel {
  readonly memory: WebAssembly.Memory;
  readonly plan: LayoutPlan;
  /** n × 2 interleaved positions, in the kernel's memory: write the initial layout, read results. */
  readonly positions: Float32Array;
  readonly heads: Int32Array;
  readonly tails: Int32Array;
  readonly epochsPerSample: Float64Array;
  readonly epochOfNextSample: Float64Array;
  readonly epochsPerNegativeSample: Float64Array;
  readonly epochOfNextNegativeSample: Float64Array;
  /** Runs epoch `epoch` (from 0) at learning rate `alpha` over every edge, on this thread. */
  runEpoch(epoch: number, alpha: number): void;
  /** Runs share `share` of epoch `epoch` on this thread (the other shares run elsewhere at once). */
  runShare(epoch: number, alpha: number, share: number): void;
}

/** Lanes each thread runs side by side in the parallel mode, where they pay (`lanesPay`). */
const LANES_PER_THREAD = 2;

/**
 * Points per lane below which lanes are not used. Every lane is one more writer to the shared
 * positions without locks, and its updates collide with the others' the more often the fewer points
 * there are: on 3,000 blob points, 2 threads of 2 lanes lost up to 0.0057 of trustworthiness against
 * one thread (in 8 runs), 2 threads alone up to 0.0032; at 2,000 points a lane, no more writers than
 * that smaller map has per point. Small layouts are fast anyway.
 */
const MIN_POINTS_PER_LANE = 2000;

/** Whether `threads` threads should each run two lanes on a layout of `n` points. */
export function lanesPay(n: number, threads: number): boolean {
  return threads > 1 && n >= MIN_POINTS_PER_LANE * threads * LANES_PER_THREAD;
}

/** The seed of lane `lane`'s generator: lane 0 uses the run's seed, as one thread alone does. */
function laneSeed(seed: number, lane: number): number {
  return lane === 0 ? seed >>> 0 : (seed ^ Math.imul(lane, 0x9e3779b9)) >>> 0;
}

/**
 * A function running share `share` of an epoch of the layout `plan` over `memory`: with one thread,
 * every edge in order; with several, the share's edges in order, or its two halves as two lanes side
 * by side where `plan.lanes`.
 */
export function layoutShareRunner(
  memory: WebAssembly.Memory,
  plan: LayoutPlan,
): (epoch: number, alpha: number, share: number) => void {
  const kernel = instantiateKernel('layoutEpoch', memory);
  const epoch = kernel.epoch as (...args: number[]) => void;
  const epochPair = kernel.epochPair as (...args: number[]) => void;
  const common = [
    plan.a,
    plan.b,
    plan.attractionScale,
    plan.repulsionScale,
    plan.positionsAt,
    plan.headsAt,
    plan.tailsAt,
    plan.epochsPerSampleAt,
    plan.nextSampleAt,
    plan.epochsPerNegativeAt,
    plan.nextNegativeAt,
  ];
  const stateAt = (lane: number) => plan.statesAt + 4 * lane;
  return (epochIndex, alpha, share) => {
    if (plan.threads === 1) {
      epoch(epochIndex, alpha, plan.n, 0, plan.edgeCount, ...common, stateAt(0));
      return;
    }
    const start = Math.floor((share * plan.edgeCount) / plan.threads);
    const end = Math.floor(((share + 1) * plan.edgeCount) / plan.threads);
    const lane = share * LANES_PER_THREAD;
    if (!plan.lanes) {
      epoch(epochIndex, alpha, plan.n, start, end, ...common, stateAt(lane));
      return;
    }
    const middle = start + Math.floor((end - start) / 2);
    epochPair(
      epochIndex,
      alpha,
      plan.n,
      start,
      middle,
      ...common,
      stateAt(lane),
      middle,
      end,
      stateAt(lane + 1),
    );
  };
}

/**
 * A kernel for `n` points and `edgeCount` edges with curve parameters a, b, drawing negative samples
 * from mulberry32 seeded with `seed`, its edges split into `threads` shares (in shared memory when more
 * than one).
 */
export function createLayoutKernel(
  n: number,
  edgeCount: number,
  a: number,
  b: number,
  repulsionStrength: number,
  seed: number,
  threads = 1,
): LayoutKernel {
  // Layout: generator states, four f64 edge arrays, two i32 edge arrays, then positions.
  const f64Bytes = edgeCount * 8;
  const statesAt = 0;
  const epochsPerSampleAt = Math.ceil((threads * LANES_PER_THREAD * 4) / 8) * 8;
  const nextSampleAt = epochsPerSampleAt + f64Bytes;
  const epochsPerNegativeAt = nextSampleAt + f64Bytes;
  const nextNegativeAt = epochsPerNegativeAt + f64Bytes;
  const headsAt = nextNegativeAt + f64Bytes;
  const tailsAt = headsAt + edgeCount * 4;
  const positionsAt = tailsAt + edgeCount * 4;
  const memory = createKernelMemory(positionsAt + n * 8, threads > 1);
  const plan: LayoutPlan = {
    n,
    edgeCount,
    threads,
    lanes: lanesPay(n, threads),
    a,
    b,
    attractionScale: -2 * a * b,
    repulsionScale: 2 * repulsionStrength * b,
    positionsAt,
    headsAt,
    tailsAt,
    epochsPerSampleAt,
    nextSampleAt,
    epochsPerNegativeAt,
    nextNegativeAt,
    statesAt,
  };
  const buffer = memory.buffer;
  const states = new Uint32Array(buffer, statesAt, threads * LANES_PER_THREAD);
  for (let lane = 0; lane < states.length; lane++) states[lane] = laneSeed(seed, lane);
  const runShare = layoutShareRunner(memory, plan);
  const whole = layoutShareRunner(memory, { ...plan, threads: 1 });
  return {
    memory,
    plan,
    positions: new Float32Array(buffer, positionsAt, n * 2),
    heads: new Int32Array(buffer, headsAt, edgeCount),
    tails: new Int32Array(buffer, tailsAt, edgeCount),
    epochsPerSample: new Float64Array(buffer, epochsPerSampleAt, edgeCount),
    epochOfNextSample: new Float64Array(buffer, nextSampleAt, edgeCount),
    epochsPerNegativeSample: new Float64Array(buffer, epochsPerNegativeAt, edgeCount),
    epochOfNextNegativeSample: new Float64Array(buffer, nextNegativeAt, edgeCount),
    runEpoch: (epoch, alpha) => whole(epoch, alpha, 0),
    runShare,
  };
}
