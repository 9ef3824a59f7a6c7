import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../src/lib/random.ts';
import { KdTree2D } from '../../../src/pipeline/cluster/kdtree.ts';
import { mutualReachabilityMst } from '../../../src/pipeline/cluster/mst.ts';
import { makeBlobs } from './fixtures.ts';

/** Every point's distances to all points (itself included), ascending. */
function sortedDistances(positions: Float32Array): Float64Array[] {
  const n = positions.length / 2;
  return Array.from({ length: n }, (_, i) =>
    Float64Array.from({ length: n }, (_, j) =>
      Math.hypot(
        positions[2 * i]! - positions[2 * j]!,
        positions[2 * i + 1]! - positions[2 * j + 1]!,
      ),
    ).sort(),
  );
}

/** Prim's algorithm on the complete mutual reachability graph: O(n²), the reference. */
function bruteMstWeight(positions: Float32Array, core: Float64Array): number {
  const n = core.length;
  const inTree = new Uint8Array(n);
  const best = new Float64Array(n).fill(Infinity);
  best[0] = 0;
  let total = 0;
  for (let step = 0; step < n; step++) {
    let next = -1;
    for (let i = 0; i < n; i++) if (!inTree[i] && (next < 0 || best[i]! < best[next]!)) next = i;
    inTree[next] = 1;
    total += best[next]!;
    for (let i = 0; i < n; i++) {
      if (inTree[i]) continue;
      const d = Math.hypot(
        positions[2 * i]! - positions[2 * next]!,
        positions[2 * i + 1]! - positions[2 * next + 1]!,
      );
      best[i] = Math.min(best[i]!, Math.max(d, core[i]!, core[next]!));
    }
  }
  return total;
}

const layouts = {
  blobs: makeBlobs(
    [
      { centre: [0, 0], spread: 1, count: 150 },
      { centre: [8, 3], spread: 2, count: 150 },
    ],
    1,
    { count: 100, box: [-10, -10, 20, 20] },
  ).positions,
  uniform: (() => {
    const random = createRandom(8);
    return Float32Array.from({ length: 600 }, () => random() * 100);
  })(),
  // Coincident points and a grid: ties everywhere.
  grid: Float32Array.from({ length: 2 * 256 }, (_, i) => Math.floor((i >> 1) / 2) % 16),
};

describe('kd-tree core distances', () => {
  it.each(Object.entries(layouts))('match brute force on %s', (_, positions) => {
    const tree = new KdTree2D(positions);
    const sorted = sortedDistances(positions);
    for (const k of [1, 2, 5, 17]) {
      const found = tree.kthNeighbourDistances(k);
      sorted.forEach((distances, i) => expect(found[i]).toBeCloseTo(distances[k - 1]!, 5));
    }
  });
});

describe('mutual reachability spanning tree', () => {
  it.each(Object.entries(layouts))('is a minimum spanning tree on %s', async (_, positions) => {
    const n = positions.length / 2;
    const { tree, coreDistances } = await mutualReachabilityMst(positions, 5);
    const sorted = sortedDistances(positions);
    sorted.forEach((distances, i) => expect(coreDistances[i]).toBeCloseTo(distances[4]!, 5));
    expect(tree.weight.length).toBe(n - 1);
    // Spanning: the edges connect all points.
    const parent = Int32Array.from({ length: n }, (_, i) => i);
    const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
    for (let e = 0; e < n - 1; e++) parent[find(tree.from[e]!)] = find(tree.to[e]!);
    expect(new Set(Array.from({ length: n }, (_, i) => find(i))).size).toBe(1);
    // Minimum: the same total weight as Prim's on the complete graph.
    const total = tree.weight.reduce((sum, w) => sum + w, 0);
    expect(total).toBeCloseTo(bruteMstWeight(positions, coreDistances), 4);
  });
});

describe('kd-tree nearest neighbours', () => {
  it('lists the k nearest other points, nearest first', () => {
    const positions = layouts.uniform;
    const n = positions.length / 2;
    const k = 6;
    const found = new KdTree2D(positions).nearestNeighbours(k);
    const distance = (a: number, b: number) =>
      Math.hypot(
        positions[2 * a]! - positions[2 * b]!,
        positions[2 * a + 1]! - positions[2 * b + 1]!,
      );
    for (let i = 0; i < n; i++) {
      const expected = Array.from({ length: n }, (_, j) => j)
        .filter((j) => j !== i)
        .map((j) => distance(i, j))
        .sort((a, b) => a - b)
        .slice(0, k);
      const row = Array.from(found.subarray(i * k, i * k + k));
      expect(row).not.toContain(i);
      row.forEach((j, column) => expect(distance(i, j)).toBeCloseTo(expected[column]!, 5));
    }
  });
});
