import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../../src/lib/errors.ts';
import type { StageProgress } from '../../../src/pipeline/types.ts';
import { exactKnn } from '../../../src/pipeline/project/knn.ts';
import { defaultEpochs, projectVectors } from '../../../src/pipeline/project/umap.ts';
import { clusteredVectors } from '../../../src/pipeline/project/synthetic.ts';

function centroid(positions: Float32Array, labels: Int32Array, label: number): [number, number] {
  let x = 0;
  let y = 0;
  let count = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== label) continue;
    x += positions[2 * i]!;
    y += positions[2 * i + 1]!;
    count++;
  }
  return [x / count, y / count];
}

describe('projectVectors', () => {
  it('gives a byte-identical layout for the same input and seed, another for another seed', async () => {
    const { vectors } = clusteredVectors(300, 16, 4, { seed: 3 });
    const first = await projectVectors(vectors, 16, { seed: 5, nEpochs: 60 });
    const second = await projectVectors(vectors, 16, { seed: 5, nEpochs: 60 });
    const other = await projectVectors(vectors, 16, { seed: 6, nEpochs: 60 });
    expect(new Uint8Array(second.positions.buffer)).toEqual(new Uint8Array(first.positions.buffer));
    expect(other.positions).not.toEqual(first.positions);
    expect(first.knn.k).toBe(15);
    const fromRandom = await projectVectors(vectors, 16, { seed: 5, nEpochs: 60, init: 'random' });
    expect(fromRandom.positions).not.toEqual(first.positions);
    expect(fromRandom.positions.every(Number.isFinite)).toBe(true);
  });

  it('keeps well-separated Gaussian blobs apart', async () => {
    const { vectors, labels } = clusteredVectors(400, 24, 4, { seed: 8, spread: 0.5 });
    const { positions } = await projectVectors(vectors, 24, { seed: 1, nEpochs: 200 });
    const centres = [0, 1, 2, 3].map((label) => centroid(positions, labels, label));
    let largestRadius = 0;
    for (let i = 0; i < labels.length; i++) {
      const [cx, cy] = centres[labels[i]!]!;
      largestRadius = Math.max(
        largestRadius,
        Math.hypot(positions[2 * i]! - cx, positions[2 * i + 1]! - cy),
      );
    }
    for (let p = 0; p < 4; p++) {
      for (let q = p + 1; q < 4; q++) {
        const gap = Math.hypot(centres[p]![0] - centres[q]![0], centres[p]![1] - centres[q]![1]);
        expect(gap).toBeGreaterThan(2 * largestRadius);
      }
    }
  });

  it('posts progress with snapshot copies every snapshotEvery epochs', async () => {
    const { vectors } = clusteredVectors(120, 8, 3);
    const snapshots: Float32Array[] = [];
    const epochs: StageProgress[] = [];
    const { positions } = await projectVectors(vectors, 8, {
      nEpochs: 30,
      snapshotEvery: 10,
      onProgress: (progress) => {
        if (progress.message === 'Optimising the layout') epochs.push(progress);
        if (progress.snapshot) snapshots.push(progress.snapshot);
      },
    });
    expect(epochs.map((progress) => progress.done)).toEqual(
      Array.from({ length: 30 }, (_, i) => i + 1),
    );
    expect(
      epochs.every((progress) => progress.stage === 'projecting' && progress.total === 30),
    ).toBe(true);
    expect(snapshots).toHaveLength(3);
    expect(snapshots[0]).not.toEqual(snapshots[2]);
    expect(snapshots[2]).toEqual(positions);
    expect(snapshots[2]!.buffer).not.toBe(positions.buffer);
  });

  it('uses a precomputed neighbour graph and refuses one with too few neighbours', async () => {
    const { vectors } = clusteredVectors(200, 8, 3, { seed: 4 });
    const knn = await exactKnn(vectors, 8, 15);
    const given = await projectVectors(vectors, 8, { knn, seed: 2, nEpochs: 20 });
    const searched = await projectVectors(vectors, 8, { seed: 2, nEpochs: 20 });
    expect(given.knn).toBe(knn);
    expect(given.positions).toEqual(searched.positions);
    const tooSmall = await exactKnn(vectors, 8, 5);
    await expect(projectVectors(vectors, 8, { init: 'spectral' as 'pca' })).rejects.toMatchObject({
      code: 'bad-init',
    });
    await expect(projectVectors(vectors, 8, { knn: tooSmall })).rejects.toMatchObject({
      code: 'bad-knn-graph',
    });
  });

  it('maps a handful of papers by shrinking the neighbourhood, and refuses fewer than three', async () => {
    const { vectors } = clusteredVectors(8, 4, 2);
    const { positions, knn } = await projectVectors(vectors, 4, { nEpochs: 10 });
    expect(knn.k).toBe(7);
    expect(positions.every(Number.isFinite)).toBe(true);
    await expect(projectVectors(vectors.subarray(0, 8), 4)).rejects.toMatchObject({
      code: 'too-few-points',
    });
  });

  it('rejects with CancelledError when cancelled between epochs', async () => {
    const { vectors } = clusteredVectors(200, 8, 3);
    const controller = new AbortController();
    const run = projectVectors(vectors, 8, {
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.message === 'Optimising the layout' && progress.done === 3) controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
  });

  it("follows umap-js's epoch schedule", () => {
    expect([100, 2500, 4000, 6000, 10_000, 100_000].map(defaultEpochs)).toEqual([
      500, 500, 400, 300, 200, 200,
    ]);
  });
});
