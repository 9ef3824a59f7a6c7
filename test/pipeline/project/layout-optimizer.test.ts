import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../src/lib/random.ts';
import { fuzzySimplicialSet } from '../../../src/pipeline/project/fuzzy-graph.ts';
import { exactKnn } from '../../../src/pipeline/project/knn.ts';
import { createLayoutKernel } from '../../../src/pipeline/project/layout-kernel.ts';
import { optimizeLayout } from '../../../src/pipeline/project/layout-optimizer.ts';
import { clusteredVectors } from '../../../src/pipeline/project/synthetic.ts';

async function graphAndStart(n: number, seed: number) {
  const { vectors } = clusteredVectors(n, 16, 4, { seed });
  const graph = fuzzySimplicialSet(await exactKnn(vectors, 16, 15), n, 15);
  const random = createRandom(seed);
  const start = Float32Array.from({ length: 2 * n }, () => random() * 20 - 10);
  return { graph, start };
}

describe('optimizeLayout', () => {
  it('has the WebAssembly kernel in Node', () => {
    expect(createLayoutKernel(10, 20, 1.58, 0.9, 1, 1)).not.toBeNull();
  });

  it('takes the same steps in WebAssembly as in JavaScript', async () => {
    const { graph, start } = await graphAndStart(300, 2);
    const layouts = await Promise.all(
      [true, false].map(async (allowWasm) => {
        const positions = start.slice();
        const options = { nEpochs: 200, minDist: 0.1, seed: 9, snapshotEvery: 6, allowWasm };
        // Stop after a few epochs, before rounding differences grow through the chaotic SGD.
        const controller = new AbortController();
        await optimizeLayout(positions, graph, {
          ...options,
          signal: controller.signal,
          onProgress: (progress) => {
            if (progress.snapshot) {
              positions.set(progress.snapshot);
              controller.abort();
            }
          },
        }).catch((error: unknown) => {
          if (!controller.signal.aborted) throw error;
        });
        return positions;
      }),
    );
    const [wasm, javascript] = layouts as [Float32Array, Float32Array];
    let largestDifference = 0;
    let moved = 0;
    for (let i = 0; i < wasm.length; i++) {
      largestDifference = Math.max(largestDifference, Math.abs(wasm[i]! - javascript[i]!));
      if (Math.abs(wasm[i]! - start[i]!) > 0.01) moved++;
    }
    expect(moved).toBeGreaterThan(wasm.length * 0.9);
    expect(largestDifference).toBeLessThan(1e-3);
  });
});
