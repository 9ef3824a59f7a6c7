import type { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { AtlasError, isCancelled } from '../../src/lib/errors.ts';
import { exactKnn } from '../../src/pipeline/project/knn.ts';
import { approximateKnn } from '../../src/pipeline/project/nn-descent.ts';
import { optimizeLayout } from '../../src/pipeline/project/layout-optimizer.ts';
import { knnCategoryAccuracy, trustworthiness } from '../../src/pipeline/project/quality.ts';
import { clusteredVectors } from '../../src/pipeline/project/synthetic.ts';
import { recall } from '../pipeline/project/knn-fixtures.ts';
import { graphAndStart, movedShare, optimizedFrom } from '../pipeline/project/layout-fixtures.ts';
import { projectVectors } from '../../src/pipeline/project/umap.ts';
import {
  createNodeComputePool,
  nodeWorkerEndpoint,
  spawnNodeComputeWorker,
} from '../../src/worker/node-pool.ts';
import { ComputePool, defaultThreadCount, MAX_THREADS } from '../../src/worker/pool.ts';

describe('defaultThreadCount', () => {
  it('uses one thread without shared memory, every core on two, one for the page above, capped', () => {
    expect(defaultThreadCount(16, false)).toBe(1);
    expect(defaultThreadCount(1, true)).toBe(1);
    expect(defaultThreadCount(2, true)).toBe(2);
    expect(defaultThreadCount(4, true)).toBe(3);
    expect(defaultThreadCount(64, true)).toBe(MAX_THREADS);
    expect(defaultThreadCount(Number.NaN, true)).toBe(1);
  });
});

describe('ComputePool in worker threads', () => {
  const pools: ComputePool[] = [];
  afterAll(() => pools.forEach((pool) => pool.close()));

  it('runs the layout on shared positions across threads', async () => {
    const pool = createNodeComputePool(3);
    pools.push(pool);
    expect(pool.size).toBe(2);
    const { graph, start } = await graphAndStart(600, 7);
    const positions = await optimizedFrom(start, graph, { nEpochs: 40, seed: 1, helpers: pool });
    expect(movedShare(positions, start)).toBeGreaterThan(0.9);
    expect(positions.every(Number.isFinite)).toBe(true);
  });

  it('finds the exact graph of one thread across threads, bit for bit', async () => {
    const pool = createNodeComputePool(3);
    pools.push(pool);
    const { vectors } = clusteredVectors(3000, 24, 10, { seed: 4 });
    const single = await exactKnn(vectors, 24, 15);
    const parallel = await exactKnn(vectors, 24, 15, { helpers: pool });
    expect(parallel.indices).toEqual(single.indices);
    expect(parallel.distances).toEqual(single.distances);
  });

  it('finds the NN-descent graph of one thread across threads, bit for bit', async () => {
    const pool = createNodeComputePool(3);
    pools.push(pool);
    const n = 5000;
    const dim = 24;
    const { vectors } = clusteredVectors(n, dim, 10, { seed: 11, spread: 2 });
    const single = await approximateKnn(vectors, dim, 10, { seed: 2 });
    const parallel = await approximateKnn(vectors, dim, 10, { seed: 2, helpers: pool });
    expect(recall(single, await exactKnn(vectors, dim, 10))).toBeGreaterThan(0.8);
    expect(parallel.indices).toEqual(single.indices);
    expect(parallel.distances).toEqual(single.distances);
  });

  it('keeps the layout quality of the deterministic mode in the parallel mode (blobs)', async () => {
    const pool = createNodeComputePool(2);
    pools.push(pool);
    const dim = 32;
    const { vectors, labels } = clusteredVectors(3000, dim, 12, { seed: 5, spread: 1.6 });
    const quality = async (parallel: boolean) => {
      const { positions } = await projectVectors(vectors, dim, {
        seed: 1,
        snapshotEvery: 0,
        ...(parallel ? { helpers: pool } : {}),
      });
      return {
        trustworthiness: trustworthiness(vectors, dim, positions, 15),
        accuracy: knnCategoryAccuracy(positions, labels, 10),
      };
    };
    const deterministic = await quality(false);
    const parallel = await quality(true);
    expect(deterministic.accuracy).toBeGreaterThan(0.85);
    expect(Math.abs(parallel.trustworthiness - deterministic.trustworthiness)).toBeLessThanOrEqual(
      0.005,
    );
    expect(Math.abs(parallel.accuracy - deterministic.accuracy)).toBeLessThanOrEqual(0.01);
  });

  it('stops the parallel layout when cancelled, and the pool runs the next one', async () => {
    const pool = createNodeComputePool(2);
    pools.push(pool);
    const { graph, start } = await graphAndStart(600, 7);
    const controller = new AbortController();
    const cancelled = optimizedFrom(start, graph, {
      nEpochs: 500,
      seed: 1,
      helpers: pool,
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.done === 5) controller.abort();
      },
    });
    await expect(cancelled).rejects.toSatisfy(isCancelled);
    const positions = await optimizedFrom(start, graph, { nEpochs: 20, seed: 1, helpers: pool });
    expect(positions.every(Number.isFinite)).toBe(true);
  });

  it('fails the run with a clear error when a worker dies, and replaces the worker', async () => {
    const threads: Worker[] = [];
    const pool = new ComputePool(1, () => {
      const worker = spawnNodeComputeWorker();
      threads.push(worker);
      return nodeWorkerEndpoint(worker);
    });
    pools.push(pool);
    const { graph, start } = await graphAndStart(600, 7);
    const run = (onEpoch: (epoch: number) => void) =>
      optimizeLayout(start.slice(), graph, {
        nEpochs: 200,
        minDist: 0.1,
        seed: 1,
        snapshotEvery: 0,
        helpers: pool,
        onProgress: (progress) => onEpoch(progress.done),
      });
    const failure = await run((epoch) => {
      if (epoch === 3) void threads[0]!.terminate();
    }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(AtlasError);
    expect((failure as AtlasError).code).toBe('crashed');
    expect((failure as AtlasError).message).toMatch(/compute 1 worker stopped unexpectedly/);
    // The next run gets a fresh worker and completes.
    await expect(run(() => undefined)).resolves.toBeUndefined();
    expect(threads).toHaveLength(2);
  });
});
