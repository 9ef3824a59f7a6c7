import { findABParams } from 'umap-js/dist/umap.js';
import { createRandom } from '../../lib/random.ts';
import type { RunOptions } from '../types.ts';
import { createYielder, rateAndEta } from '../../lib/scheduling.ts';
import type { FuzzyGraph } from './fuzzy-graph.ts';
import { createLayoutKernel } from './layout-kernel.ts';

/** umap-js's fixed hyperparameters, which the optimiser reproduces. */
const LEARNING_RATE = 1;
const NEGATIVE_SAMPLE_RATE = 5;
const REPULSION_STRENGTH = 1;
export const SPREAD = 1;
const GRADIENT_CLIP = 4;

export interface LayoutOptions extends RunOptions {
  nEpochs: number;
  minDist: number;
  /** Seed of the negative sampling. */
  seed: number;
  /** Post a copy of the layout every this many epochs (0 for none). */
  snapshotEvery: number;
  /** Use the WebAssembly kernel where the runtime has one (default); false forces JavaScript. */
  allowWasm?: boolean;
}

/** The sampled edges of the graph and their schedules, as umap-js sets them up before its epoch loop. */
interface EdgeSchedule {
  heads: Int32Array;
  tails: Int32Array;
  epochsPerSample: Float64Array;
  epochOfNextSample: Float64Array;
  epochsPerNegativeSample: Float64Array;
  epochOfNextNegativeSample: Float64Array;
}

/** Edges weaker than max/nEpochs would never be sampled, so umap-js drops them; so does this. */
function sampledEdgeCount(
  graph: FuzzyGraph,
  nEpochs: number,
): { count: number; maxWeight: number } {
  let maxWeight = 0;
  for (const weight of graph.weights) if (weight > maxWeight) maxWeight = weight;
  let count = 0;
  for (const weight of graph.weights) if (weight >= maxWeight / nEpochs) count++;
  return { count, maxWeight };
}

function fillSchedule(
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

/**
 * Minimises UMAP's fuzzy cross-entropy by SGD over `positions` (n × 2, in place), as umap-js's epoch
 * loop does: edges sampled in proportion to their membership, attraction along them, `negative sample
 * rate` repulsive samples per positive one, gradients clipped to ±4, learning rate decaying linearly.
 * Runs in the WebAssembly kernel where available, else in the equivalent JavaScript loop.
 */
export async function optimizeLayout(
  positions: Float32Array,
  graph: FuzzyGraph,
  options: LayoutOptions,
): Promise<void> {
  const { nEpochs, snapshotEvery } = options;
  const { a, b } = findABParams(SPREAD, options.minDist);
  const { count, maxWeight } = sampledEdgeCount(graph, nEpochs);
  const kernel =
    options.allowWasm === false
      ? null
      : createLayoutKernel(graph.n, count, a, b, REPULSION_STRENGTH, options.seed);
  const schedule: EdgeSchedule = kernel ?? {
    heads: new Int32Array(count),
    tails: new Int32Array(count),
    epochsPerSample: new Float64Array(count),
    epochOfNextSample: new Float64Array(count),
    epochsPerNegativeSample: new Float64Array(count),
    epochOfNextNegativeSample: new Float64Array(count),
  };
  fillSchedule(graph, nEpochs, maxWeight, schedule);
  const runEpoch = kernel
    ? (epoch: number, alpha: number) => kernel.runEpoch(epoch, alpha)
    : javascriptEpoch(positions, schedule, graph.n, a, b, createRandom(options.seed));
  // The kernel works on its own copy of the positions, in its memory.
  const working = kernel ? kernel.positions : positions;
  if (kernel) working.set(positions);

  const pause = createYielder(options.signal);
  const startedAt = performance.now();
  let alpha = LEARNING_RATE;
  for (let epoch = 0; epoch < nEpochs; epoch++) {
    runEpoch(epoch, alpha);
    alpha = LEARNING_RATE * (1 - epoch / nEpochs);
    const done = epoch + 1;
    const snapshot =
      snapshotEvery > 0 && (done % snapshotEvery === 0 || done === nEpochs)
        ? working.slice()
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
  if (kernel) positions.set(working);
}

function clip(value: number): number {
  return value > GRADIENT_CLIP ? GRADIENT_CLIP : value < -GRADIENT_CLIP ? -GRADIENT_CLIP : value;
}

/** umap-js's `optimizeLayoutStep` for 2-D layouts in JavaScript, over typed arrays. */
function javascriptEpoch(
  positions: Float32Array,
  schedule: EdgeSchedule,
  n: number,
  a: number,
  b: number,
  random: () => number,
): (epoch: number, alpha: number) => void {
  const {
    heads,
    tails,
    epochsPerSample,
    epochOfNextSample,
    epochsPerNegativeSample,
    epochOfNextNegativeSample,
  } = schedule;
  const edgeCount = heads.length;
  const attractionScale = -2 * a * b;
  const repulsionScale = 2 * REPULSION_STRENGTH * b;
  return (epoch, alpha) => {
    for (let edge = 0; edge < edgeCount; edge++) {
      const next = epochOfNextSample[edge]!;
      if (next > epoch) continue;
      const j = heads[edge]!;
      const k = tails[edge]!;
      let currentX = positions[2 * j]!;
      let currentY = positions[2 * j + 1]!;
      const otherX = positions[2 * k]!;
      const otherY = positions[2 * k + 1]!;
      const dx = currentX - otherX;
      const dy = currentY - otherY;
      const distSquared = dx * dx + dy * dy;
      if (distSquared > 0) {
        // d^(2(b − 1)) once; d^(2b) is that times d².
        const power = Math.exp((b - 1) * Math.log(distSquared));
        const coefficient = (attractionScale * power) / (a * power * distSquared + 1);
        const gradX = clip(coefficient * dx) * alpha;
        const gradY = clip(coefficient * dy) * alpha;
        currentX += gradX;
        currentY += gradY;
        positions[2 * k] = otherX - gradX;
        positions[2 * k + 1] = otherY - gradY;
      }
      epochOfNextSample[edge] = next + epochsPerSample[edge]!;

      const negativeSamples = Math.floor(
        (epoch - epochOfNextNegativeSample[edge]!) / epochsPerNegativeSample[edge]!,
      );
      for (let p = 0; p < negativeSamples; p++) {
        const other = Math.floor(random() * n);
        // umap-js's current and other are then the same array: distance 0, skipped.
        if (other === j) continue;
        const ox = currentX - positions[2 * other]!;
        const oy = currentY - positions[2 * other + 1]!;
        const otherDistSquared = ox * ox + oy * oy;
        if (otherDistSquared > 0) {
          const coefficient =
            repulsionScale /
            ((0.001 + otherDistSquared) * (a * Math.exp(b * Math.log(otherDistSquared)) + 1));
          currentX += clip(coefficient * ox) * alpha;
          currentY += clip(coefficient * oy) * alpha;
        } else {
          // umap-js pushes coincident points apart by the full clip value.
          currentX += GRADIENT_CLIP * alpha;
          currentY += GRADIENT_CLIP * alpha;
        }
      }
      positions[2 * j] = currentX;
      positions[2 * j + 1] = currentY;
      epochOfNextNegativeSample[edge] =
        epochOfNextNegativeSample[edge]! + negativeSamples * epochsPerNegativeSample[edge]!;
    }
  };
}
