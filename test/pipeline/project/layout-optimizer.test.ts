import { createHash } from 'node:crypto';
import { findABParams } from 'umap-js/dist/umap.js';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../src/lib/random.ts';
import { createLayoutKernel, lanesPay } from '../../../src/pipeline/project/layout-kernel.ts';
import { knnCategoryAccuracy, trustworthiness } from '../../../src/pipeline/project/quality.ts';
import { clusteredVectors } from '../../../src/pipeline/project/synthetic.ts';
import { projectVectors } from '../../../src/pipeline/project/umap.ts';
import {
  fillSchedule,
  REPULSION_STRENGTH,
  sampledEdgeCount,
  type EdgeSchedule,
} from '../../../src/pipeline/project/layout-optimizer.ts';
import { inProcessHelpers } from './in-process-helpers.ts';
import { graphAndStart, movedShare, optimizedFrom } from './layout-fixtures.ts';
import { referenceEpoch } from './reference-epoch.ts';

describe('optimizeLayout', () => {
  it('takes the same steps in the WebAssembly kernel as in the JavaScript reference', async () => {
    const n = 300;
    const nEpochs = 200;
    const { graph, start } = await graphAndStart(n, 2);
    const { a, b } = findABParams(1, 0.1);
    const { count, maxWeight } = sampledEdgeCount(graph, nEpochs);
    const kernel = createLayoutKernel(n, count, a, b, REPULSION_STRENGTH, 9);
    fillSchedule(graph, nEpochs, maxWeight, kernel);
    kernel.positions.set(start);
    const schedule: EdgeSchedule = {
      heads: new Int32Array(count),
      tails: new Int32Array(count),
      epochsPerSample: new Float64Array(count),
      epochOfNextSample: new Float64Array(count),
      epochsPerNegativeSample: new Float64Array(count),
      epochOfNextNegativeSample: new Float64Array(count),
    };
    fillSchedule(graph, nEpochs, maxWeight, schedule);
    const javascript = start.slice();
    const reference = referenceEpoch(javascript, schedule, n, a, b, createRandom(9));
    // A few epochs, before rounding differences grow through the chaotic SGD.
    for (let epoch = 0; epoch < 6; epoch++) {
      const alpha = 1 - epoch / nEpochs;
      kernel.runEpoch(epoch, alpha);
      reference(epoch, alpha);
    }
    let largestDifference = 0;
    let moved = 0;
    for (let i = 0; i < javascript.length; i++) {
      largestDifference = Math.max(
        largestDifference,
        Math.abs(kernel.positions[i]! - javascript[i]!),
      );
      if (Math.abs(kernel.positions[i]! - start[i]!) > 0.01) moved++;
    }
    expect(moved).toBeGreaterThan(javascript.length * 0.9);
    expect(largestDifference).toBeLessThan(1e-3);
  });

  it('gives byte-identical layouts for the same seed in the deterministic mode', async () => {
    const { graph, start } = await graphAndStart(400, 3);
    const runs = await Promise.all(
      [0, 1].map(() => optimizedFrom(start, graph, { nEpochs: 50, seed: 4 })),
    );
    expect(Buffer.from(runs[0]!.buffer).equals(Buffer.from(runs[1]!.buffer))).toBe(true);
  });

  it('keeps the layout of the kernel before the WAT rewrite, byte for byte (deterministic mode)', async () => {
    const { graph, start } = await graphAndStart(400, 3);
    const positions = await optimizedFrom(start, graph, { nEpochs: 60, seed: 4 });
    // SHA-256 of the positions the hand-emitted kernel of d58fb81 gave for this problem.
    expect(createHash('sha256').update(new Uint8Array(positions.buffer)).digest('hex')).toBe(
      '63e2fcfe97fba35cab4193d9aa07374453e9b8e7fc5b0d70b6c6d13729112436',
    );
  });

  it('with helpers, attaches the shared layout, runs every share of every epoch and detaches', async () => {
    const { graph, start } = await graphAndStart(400, 3);
    const helpers = inProcessHelpers(2);
    const positions = await optimizedFrom(start, graph, { nEpochs: 30, seed: 4, helpers });
    expect(helpers.calls[0]).toBe('attachLayout');
    expect(helpers.calls.filter((call) => call === 'layoutEpoch')).toHaveLength(30);
    await Promise.resolve();
    expect(helpers.calls.at(-1)).toBe('detachLayout');
    expect(movedShare(positions, start)).toBeGreaterThan(0.9);
    expect(positions.every(Number.isFinite)).toBe(true);
  });

  it('has each thread run two lanes only on layouts with 2,000 points a lane or more', () => {
    expect(lanesPay(100_000, 1)).toBe(false);
    expect(lanesPay(3000, 2)).toBe(false);
    expect(lanesPay(8000, 2)).toBe(true);
    expect(lanesPay(20_000, 8)).toBe(false);
    expect(lanesPay(100_000, 8)).toBe(true);
  });

  it('keeps the quality of one thread with two threads of two lanes (blobs, shares run in turn)', async () => {
    const dim = 32;
    const { vectors, labels } = clusteredVectors(8000, dim, 12, { seed: 5, spread: 1.6 });
    const quality = async (helpers?: ReturnType<typeof inProcessHelpers>) => {
      const { positions } = await projectVectors(vectors, dim, {
        seed: 1,
        snapshotEvery: 0,
        ...(helpers ? { helpers } : {}),
      });
      return {
        trustworthiness: trustworthiness(vectors, dim, positions, 15),
        accuracy: knnCategoryAccuracy(positions, labels, 10),
      };
    };
    const alone = await quality();
    // In-process shares run one after the other, so this is deterministic; the lanes still write
    // each other's points between a read and a write, as they do on threads.
    const helpers = inProcessHelpers(1);
    const lanes = await quality(helpers);
    expect(helpers.calls).toContain('layoutEpoch');
    expect(Math.abs(lanes.trustworthiness - alone.trustworthiness)).toBeLessThanOrEqual(0.005);
    expect(Math.abs(lanes.accuracy - alone.accuracy)).toBeLessThanOrEqual(0.01);
  }, 60_000);
});
