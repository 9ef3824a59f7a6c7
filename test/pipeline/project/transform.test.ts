import { describe, expect, it } from 'vitest';
import { clusteredVectors } from '../../../src/pipeline/project/synthetic.ts';
import { transformVectors, transformEpochs } from '../../../src/pipeline/project/transform.ts';
import { projectVectors } from '../../../src/pipeline/project/umap.ts';

const DIM = 24;

/** 600 points in 5 blobs; the rows of blob 2 from row 500 on are held out, to be added later. */
function heldOutBlob() {
  const { vectors, labels } = clusteredVectors(600, DIM, 5, { seed: 11, spread: 0.6 });
  const keep: number[] = [];
  const hold: number[] = [];
  labels.forEach((label, row) => (row >= 500 && label === 2 ? hold : keep).push(row));
  const rows = (which: number[]) => {
    const out = new Float32Array(which.length * DIM);
    which.forEach((row, i) => out.set(vectors.subarray(row * DIM, (row + 1) * DIM), i * DIM));
    return out;
  };
  return {
    fitted: rows(keep),
    fittedLabels: Int32Array.from(keep, (row) => labels[row]!),
    added: rows(hold),
  };
}

function centroids(positions: Float32Array, labels: Int32Array, count: number): Float64Array {
  const sums = new Float64Array(count * 3);
  labels.forEach((label, i) => {
    sums[3 * label]! += positions[2 * i]!;
    sums[3 * label + 1]! += positions[2 * i + 1]!;
    sums[3 * label + 2]!++;
  });
  const out = new Float64Array(count * 2);
  for (let c = 0; c < count; c++) {
    out[2 * c] = sums[3 * c]! / sums[3 * c + 2]!;
    out[2 * c + 1] = sums[3 * c + 1]! / sums[3 * c + 2]!;
  }
  return out;
}

describe('transformVectors', () => {
  it('leaves the fitted positions bit-identical and is byte-identical for the same seed', async () => {
    const { fitted, added } = heldOutBlob();
    const { positions } = await projectVectors(fitted, DIM, { seed: 3, nEpochs: 80 });
    const before = new Uint8Array(positions.buffer).slice();
    const first = await transformVectors(fitted, positions, DIM, added, { seed: 9 });
    const second = await transformVectors(fitted, positions, DIM, added, { seed: 9 });
    expect(new Uint8Array(positions.buffer)).toEqual(before);
    expect(new Uint8Array(second.positions.buffer)).toEqual(new Uint8Array(first.positions.buffer));
    expect(first.positions.every(Number.isFinite)).toBe(true);
    const other = await transformVectors(fitted, positions, DIM, added, { seed: 10 });
    expect(other.positions).not.toEqual(first.positions);
  });

  it('places held-out points of a blob in that blob’s region of the map', async () => {
    const { fitted, fittedLabels, added } = heldOutBlob();
    const { positions } = await projectVectors(fitted, DIM, { seed: 3, nEpochs: 200 });
    const placed = await transformVectors(fitted, positions, DIM, added, { seed: 9 });
    const m = added.length / DIM;
    expect(m).toBeGreaterThan(10);
    const centres = centroids(positions, fittedLabels, 5);
    for (let i = 0; i < m; i++) {
      const x = placed.positions[2 * i]!;
      const y = placed.positions[2 * i + 1]!;
      const distances = [0, 1, 2, 3, 4].map((c) =>
        Math.hypot(x - centres[2 * c]!, y - centres[2 * c + 1]!),
      );
      expect(distances.indexOf(Math.min(...distances))).toBe(2);
      // Its neighbours in the vector space are its own blob's points.
      for (let slot = 0; slot < placed.knn.k; slot++) {
        expect(fittedLabels[placed.knn.indices[i * placed.knn.k + slot]!]).toBe(2);
      }
    }
  });

  it('puts a copy of an existing point right by it and adds nothing for no rows', async () => {
    const { fitted } = heldOutBlob();
    const { positions } = await projectVectors(fitted, DIM, { seed: 3, nEpochs: 80 });
    const copy = fitted.slice(7 * DIM, 8 * DIM);
    const placed = await transformVectors(fitted, positions, DIM, copy, { seed: 1 });
    expect(placed.knn.indices[0]).toBe(7);
    expect(placed.knn.distances[0]).toBe(0);
    // Within the spread of the layout's nearest-neighbour distances.
    const gap = Math.hypot(
      placed.positions[0]! - positions[14]!,
      placed.positions[1]! - positions[15]!,
    );
    expect(gap).toBeLessThan(1);
    const none = await transformVectors(fitted, positions, DIM, new Float32Array(0));
    expect(none.positions).toHaveLength(0);
  });

  it('refuses positions that do not fit the vectors', async () => {
    const { fitted, added } = heldOutBlob();
    await expect(transformVectors(fitted, new Float32Array(10), DIM, added)).rejects.toMatchObject({
      stage: 'project',
      code: 'bad-shape',
    });
  });

  it("follows Python UMAP's transform epoch schedule", () => {
    expect(transformEpochs(1000)).toBe(100);
    expect(transformEpochs(20_000)).toBe(30);
  });
});
