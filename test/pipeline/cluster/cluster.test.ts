import { describe, expect, it } from 'vitest';
import { AtlasError, isCancelled } from '../../../src/lib/errors.ts';
import { createRandom } from '../../../src/lib/random.ts';
import {
  adjustedRandIndex,
  clusterHierarchy,
  defaultMinClusterSize,
  type ClusterHierarchy,
} from '../../../src/pipeline/cluster/index.ts';
import { makeBlobs, makeNestedBlobs } from './fixtures.ts';

/** ARI against the truth over the points both the truth and the clustering call clustered. */
function agreement(found: Int32Array, truth: Int32Array): number {
  const kept = [...found.keys()].filter((i) => found[i]! >= 0 && truth[i]! >= 0);
  return adjustedRandIndex(
    Int32Array.from(kept, (i) => found[i]!),
    Int32Array.from(kept, (i) => truth[i]!),
  );
}

function clusterCount(labels: Int32Array): number {
  return new Set([...labels].filter((label) => label >= 0)).size;
}

function finest(hierarchy: ClusterHierarchy): Int32Array {
  return hierarchy.levels[hierarchy.levels.length - 1]!;
}

const fiveBlobs = makeBlobs(
  [
    { centre: [0, 0], spread: 1, count: 80 },
    { centre: [15, 0], spread: 1.5, count: 60 },
    { centre: [0, 18], spread: 1, count: 50 },
    { centre: [20, 20], spread: 2, count: 90 },
    { centre: [-15, 10], spread: 0.8, count: 40 },
  ],
  7,
  { count: 30, box: [-25, -15, 35, 35] },
);

describe('clusterHierarchy', () => {
  it('recovers Gaussian blobs in uniform noise', async () => {
    const hierarchy = await clusterHierarchy(fiveBlobs.positions);
    const labels = finest(hierarchy);
    expect(clusterCount(labels)).toBe(5);
    expect(agreement(labels, fiveBlobs.truth)).toBeGreaterThanOrEqual(0.9);
    // Background points are far more often noise than blob points.
    const noiseShare = (points: number[]) =>
      points.filter((i) => labels[i] === -1).length / points.length;
    const background = [...fiveBlobs.truth.keys()].filter((i) => fiveBlobs.truth[i] === -1);
    const blobPoints = [...fiveBlobs.truth.keys()].filter((i) => fiveBlobs.truth[i]! >= 0);
    expect(noiseShare(background)).toBeGreaterThanOrEqual(0.4);
    expect(noiseShare(blobPoints)).toBeLessThan(0.1);
    expect(noiseShare(background)).toBeGreaterThan(4 * noiseShare(blobPoints));
  });

  it('finds broad regions that split into their blobs when the data is nested', async () => {
    const nested = makeNestedBlobs(3, 3, 60, 11);
    const hierarchy = await clusterHierarchy(nested.positions);
    expect(hierarchy.levels.length).toBeGreaterThanOrEqual(2);
    const broad = hierarchy.levels[0]!;
    expect(clusterCount(broad)).toBe(3);
    expect(agreement(broad, nested.group)).toBeGreaterThanOrEqual(0.9);
    expect(clusterCount(finest(hierarchy))).toBe(9);
    expect(agreement(finest(hierarchy), nested.truth)).toBeGreaterThanOrEqual(0.9);
  });

  it('splits a cluster that covers most of the map into its sub-groups', async () => {
    // Three touching blobs that excess of mass alone keeps as one cluster, and three far small blobs.
    const data = makeBlobs(
      [
        { centre: [0, 0], spread: 1, count: 150 },
        { centre: [5, 0], spread: 1, count: 150 },
        { centre: [2.5, 4.35], spread: 1, count: 150 },
        { centre: [60, 0], spread: 1, count: 60 },
        { centre: [0, 60], spread: 1, count: 60 },
        { centre: [-60, 0], spread: 1, count: 60 },
      ],
      4,
    );
    const labels = finest(await clusterHierarchy(data.positions));
    expect(clusterCount(labels)).toBe(6);
    expect(agreement(labels, data.truth)).toBeGreaterThanOrEqual(0.8);
  });

  it('nests every level inside the one above and describes every cluster', async () => {
    const nested = makeNestedBlobs(4, 3, 40, 5);
    const { levels, nodes } = await clusterHierarchy(nested.positions);
    expect(new Set(nodes.map((node) => node.id)).size).toBe(nodes.length);
    const byId = new Map(nodes.map((node) => [node.id, node]));
    for (const [level, labels] of levels.entries()) {
      const ids = new Set([...labels].filter((label) => label >= 0));
      expect([...ids].every((id) => byId.get(id)!.level === level)).toBe(true);
      expect(nodes.filter((node) => node.level === level).length).toBe(ids.size);
      for (const id of ids) {
        const members = [...labels.keys()].filter((i) => labels[i] === id);
        const node = byId.get(id)!;
        expect(node.size).toBe(members.length);
        const meanX =
          members.reduce((sum, i) => sum + nested.positions[2 * i]!, 0) / members.length;
        expect(node.centroid[0]).toBeCloseTo(meanX, 3);
        if (level === 0) {
          expect(node.parent).toBeNull();
          continue;
        }
        // Every member of a cluster belongs to its parent one level up.
        const above = levels[level - 1]!;
        expect(members.every((i) => above[i] === node.parent)).toBe(true);
      }
    }
  });

  it('gives the same clusters for the same layout', async () => {
    const first = await clusterHierarchy(fiveBlobs.positions);
    const second = await clusterHierarchy(fiveBlobs.positions.slice());
    expect(second.levels).toEqual(first.levels);
    expect(second.nodes).toEqual(first.nodes);
  });

  it('does not depend on the order of the points', async () => {
    const random = createRandom(3);
    const n = fiveBlobs.truth.length;
    const permutation = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [permutation[i], permutation[j]] = [permutation[j]!, permutation[i]!];
    }
    const shuffled = new Float32Array(2 * n);
    permutation.forEach((from, to) => {
      shuffled[2 * to] = fiveBlobs.positions[2 * from]!;
      shuffled[2 * to + 1] = fiveBlobs.positions[2 * from + 1]!;
    });
    const original = finest(await clusterHierarchy(fiveBlobs.positions));
    const reordered = finest(await clusterHierarchy(shuffled));
    const back = new Int32Array(n);
    permutation.forEach((from, to) => (back[from] = reordered[to]!));
    expect(adjustedRandIndex(back, original)).toBeGreaterThan(0.99);
  });

  it('keeps two levels even when the layout has a single group', async () => {
    const single = makeBlobs([{ centre: [0, 0], spread: 1, count: 120 }], 2);
    const hierarchy = await clusterHierarchy(single.positions);
    expect(hierarchy.levels.length).toBeGreaterThanOrEqual(2);
    for (const node of hierarchy.nodes.filter((node) => node.level > 0)) {
      expect(node.parent).not.toBeNull();
    }
  });

  it('copes with tiny and degenerate layouts', async () => {
    for (const positions of [
      new Float32Array(0),
      new Float32Array([1, 2]),
      new Float32Array(40).fill(3),
    ]) {
      const hierarchy = await clusterHierarchy(positions);
      expect(hierarchy.levels.length).toBeGreaterThanOrEqual(2);
      for (const labels of hierarchy.levels) expect(labels.length).toBe(positions.length / 2);
    }
  });

  it('rejects malformed layouts and options with a plain message', async () => {
    await expect(clusterHierarchy(new Float32Array(3))).rejects.toThrow(AtlasError);
    await expect(clusterHierarchy(new Float32Array([0, NaN]))).rejects.toThrow(/not a finite/);
    await expect(clusterHierarchy(fiveBlobs.positions, { minClusterSize: 1 })).rejects.toThrow(
      /minClusterSize/,
    );
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await clusterHierarchy(fiveBlobs.positions, { signal: controller.signal }).catch(
      (caught: unknown) => caught,
    );
    expect(isCancelled(error)).toBe(true);
  });

  it('stops when cancelled part-way', async () => {
    const controller = new AbortController();
    const error = await clusterHierarchy(fiveBlobs.positions, {
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.done === 1) controller.abort();
      },
    }).catch((caught: unknown) => caught);
    expect(isCancelled(error)).toBe(true);
  });

  it('reports progress', async () => {
    const seen: number[] = [];
    await clusterHierarchy(fiveBlobs.positions, {
      onProgress: (progress) => seen.push(progress.done),
    });
    expect(seen[0]).toBe(0);
    expect(seen.at(-1)).toBe(3);
  });

  it('chooses a minimum cluster size that grows with the corpus', () => {
    expect(defaultMinClusterSize(250)).toBeGreaterThanOrEqual(5);
    expect(defaultMinClusterSize(250)).toBeLessThanOrEqual(12);
    expect(defaultMinClusterSize(100_000)).toBeGreaterThan(defaultMinClusterSize(1000));
  });
});

describe('noise in broad levels', () => {
  const nested = makeNestedBlobs(3, 2, 60, 21);
  // A few points far out beyond the groups: noise at every level by density alone.
  const strays = 8;
  const positions = new Float32Array(nested.positions.length + 2 * strays);
  positions.set(nested.positions);
  for (let i = 0; i < strays; i++) {
    positions[nested.positions.length + 2 * i] = -150 + 40 * i;
    positions[nested.positions.length + 2 * i + 1] = 400;
  }
  const n = positions.length / 2;
  const firstStray = n - strays;

  it('lets a noise point join the region its embedding neighbours belong to, but not a fine cluster', async () => {
    const k = 5;
    const indices = new Int32Array(n * k);
    for (let point = 0; point < n; point++) {
      for (let j = 0; j < k; j++) {
        // Strays' neighbours are the first points of group 0; everyone else's are near themselves.
        indices[point * k + j] = point >= firstStray ? j : (point + j + 1) % firstStray;
      }
    }
    const knn = { k, indices, distances: new Float32Array(n * k) };
    const { levels } = await clusterHierarchy(positions, { knn });
    const broad = levels[0]!;
    const fine = levels[levels.length - 1]!;
    for (let point = firstStray; point < n; point++) {
      expect(fine[point]).toBe(-1);
      expect(broad[point]).toBe(broad[0]);
    }
  });

  it('uses layout neighbours without a graph, leaving far strays as noise', async () => {
    const { levels } = await clusterHierarchy(positions);
    for (let point = firstStray; point < n; point++) expect(levels[0]![point]).toBe(-1);
  });

  it('rejects a neighbour graph of the wrong size', async () => {
    const knn = { k: 3, indices: new Int32Array(5), distances: new Float32Array(5) };
    await expect(clusterHierarchy(positions, { knn })).rejects.toThrow(/neighbour graph/);
  });
});
