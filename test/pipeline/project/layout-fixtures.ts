/** Small layout problems for the optimiser's tests: a graph of blobs, a random start, a run. */
import { createRandom } from '../../../src/lib/random.ts';
import { fuzzySimplicialSet, type FuzzyGraph } from '../../../src/pipeline/project/fuzzy-graph.ts';
import { exactKnn } from '../../../src/pipeline/project/knn.ts';
import {
  optimizeLayout,
  type LayoutOptions,
} from '../../../src/pipeline/project/layout-optimizer.ts';
import { clusteredVectors } from '../../../src/pipeline/project/synthetic.ts';

export async function graphAndStart(n: number, seed: number) {
  const { vectors } = clusteredVectors(n, 16, 4, { seed });
  const graph = fuzzySimplicialSet(await exactKnn(vectors, 16, 15), n, 15);
  const random = createRandom(seed);
  const start = Float32Array.from({ length: 2 * n }, () => random() * 20 - 10);
  return { graph, start };
}

/** The layout after `nEpochs` from `start` (left as it is). */
export async function optimizedFrom(
  start: Float32Array,
  graph: FuzzyGraph,
  options: Partial<LayoutOptions> & { nEpochs: number; seed: number },
): Promise<Float32Array> {
  const positions = start.slice();
  await optimizeLayout(positions, graph, { minDist: 0.1, snapshotEvery: 0, ...options });
  return positions;
}

/** Share of coordinates that moved by more than 0.01 from `start`. */
export function movedShare(positions: Float32Array, start: Float32Array): number {
  let moved = 0;
  for (let i = 0; i < positions.length; i++)
    if (Math.abs(positions[i]! - start[i]!) > 0.01) moved++;
  return moved / positions.length;
}
