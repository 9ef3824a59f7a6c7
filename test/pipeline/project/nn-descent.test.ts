import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../../src/lib/errors.ts';
import { exactKnn } from '../../../src/pipeline/project/knn.ts';
import { approximateKnn } from '../../../src/pipeline/project/nn-descent.ts';
import { clusteredVectors } from '../../../src/pipeline/project/synthetic.ts';
import { inProcessHelpers } from './in-process-helpers.ts';
import { recall } from './knn-fixtures.ts';

describe('approximateKnn (NN-descent)', () => {
  it('finds at least 90% of the true neighbours on blobs', async () => {
    const { vectors } = clusteredVectors(2000, 32, 12, { seed: 4 });
    const [approximate, exact] = await Promise.all([
      approximateKnn(vectors, 32, 15, { seed: 7 }),
      exactKnn(vectors, 32, 15),
    ]);
    expect(recall(approximate, exact)).toBeGreaterThanOrEqual(0.9);
    for (let i = 0; i < 2000; i++) {
      expect(approximate.indices.subarray(i * 15, (i + 1) * 15).includes(i)).toBe(false);
    }
  });

  it('is deterministic for a seed, and the seed matters', async () => {
    const { vectors } = clusteredVectors(500, 16, 5, { seed: 2 });
    const first = await approximateKnn(vectors, 16, 10, { seed: 11, maxIterations: 1 });
    const second = await approximateKnn(vectors, 16, 10, { seed: 11, maxIterations: 1 });
    const other = await approximateKnn(vectors, 16, 10, { seed: 12, maxIterations: 1 });
    expect(second.indices).toEqual(first.indices);
    expect(second.distances).toEqual(first.distances);
    expect(other.indices).not.toEqual(first.indices);
  });

  it('gives the same graph, bit for bit, however its rows are split between threads', async () => {
    // Few candidates, so that the reservoirs overflow and their draws matter.
    const { vectors } = clusteredVectors(1500, 16, 8, { seed: 9, spread: 2 });
    const options = { seed: 5, maxCandidates: 12 };
    const single = await approximateKnn(vectors, 16, 10, options);
    for (const size of [1, 2, 4]) {
      const split = await approximateKnn(vectors, 16, 10, {
        ...options,
        helpers: inProcessHelpers(size),
      });
      expect(split.indices).toEqual(single.indices);
      expect(split.distances).toEqual(single.distances);
    }
  });

  it('rejects with CancelledError when cancelled between rounds', async () => {
    const { vectors } = clusteredVectors(500, 16, 5);
    const controller = new AbortController();
    const search = approximateKnn(vectors, 16, 10, {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(search).rejects.toBeInstanceOf(CancelledError);
  });
});
