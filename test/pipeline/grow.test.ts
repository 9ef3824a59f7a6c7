import { describe, expect, it } from 'vitest';
import {
  assignTopics,
  growBlocker,
  growLayout,
  nearestInLayout,
  partitionDuplicates,
} from '../../src/pipeline/grow.ts';
import { computeMapLayout } from '../../src/pipeline/map.ts';
import { clusteredVectors } from '../../src/pipeline/project/synthetic.ts';

const DIM = 16;
const EMBEDDER = { kind: 'lexical', model: 'tfidf-svd', device: 'cpu', dim: DIM } as const;

describe('growLayout', () => {
  it('keeps every existing position, topic and label, and appends the added papers', async () => {
    const { vectors, labels } = clusteredVectors(330, DIM, 3, { seed: 4, spread: 0.5 });
    const n = 300;
    const fitted = vectors.slice(0, n * DIM);
    const texts = Array.from(labels.subarray(0, n), (label) => `topic${label} words`);
    const map = await computeMapLayout({
      name: 'm',
      texts,
      vectors: fitted,
      dim: DIM,
      embedder: EMBEDDER,
    });
    const positionBytes = new Uint8Array(map.positions.buffer).slice();
    const levels = map.clusterLevels.map((level) => level.slice());

    const added = vectors.slice(n * DIM);
    const { layout, addedPositions, addedTopics } = await growLayout(map, added);

    expect(new Uint8Array(map.positions.buffer)).toEqual(positionBytes);
    expect(layout.grownFrom).toBe(n);
    expect(layout.positions).toHaveLength(330 * 2);
    expect(new Uint8Array(layout.positions.buffer, 0, n * 8)).toEqual(positionBytes);
    expect(layout.positions.subarray(n * 2)).toEqual(addedPositions);
    expect(layout.vectors!.data.subarray(0, n * DIM)).toEqual(fitted);
    expect(layout.vectors!.data.subarray(n * DIM)).toEqual(added);
    layout.clusterLevels.forEach((level, index) => {
      expect(level.subarray(0, n)).toEqual(levels[index]);
    });
    expect(layout.clusters.map((c) => c.label)).toEqual(map.clusters.map((c) => c.label));

    // Well-separated blobs: nearly every added paper joins a topic, and one made of its own blob.
    const finest = map.clusterLevels.at(-1)!;
    let assigned = 0;
    for (let i = 0; i < 30; i++) {
      const topic = addedTopics[i]!;
      expect(topic).toBe(layout.clusterLevels.at(-1)![n + i]);
      if (topic < 0) continue;
      assigned++;
      let own = 0;
      let members = 0;
      for (let j = 0; j < n; j++) {
        if (finest[j] !== topic) continue;
        members++;
        if (labels[j] === labels[n + i]) own++;
      }
      expect(own / members).toBeGreaterThan(0.9);
    }
    expect(assigned).toBeGreaterThanOrEqual(27);
    const finestSizes = new Map(layout.clusters.map((c) => [c.id, c.size]));
    for (const cluster of map.clusters) {
      let members = 0;
      for (const topic of layout.clusterLevels[cluster.level]!) if (topic === cluster.id) members++;
      expect(finestSizes.get(cluster.id)).toBe(members);
    }
  });

  it('refuses a map without vectors or without a layout, with a hint', async () => {
    const { vectors } = clusteredVectors(30, DIM, 2);
    const texts = Array.from({ length: 30 }, () => 'text');
    const map = await computeMapLayout({ name: 'm', texts, vectors, dim: DIM, embedder: EMBEDDER });
    const { vectors: _dropped, ...withoutVectors } = map;
    await expect(growLayout(withoutVectors, vectors.slice(0, DIM))).rejects.toMatchObject({
      code: 'no-vectors',
    });
    const twoPapers = await computeMapLayout({
      name: 'two',
      texts: ['a', 'b'],
      vectors: vectors.slice(0, 2 * DIM),
      dim: DIM,
      embedder: EMBEDDER,
    });
    await expect(growLayout(twoPapers, vectors.slice(0, DIM))).rejects.toMatchObject({
      code: 'too-few-points',
    });
  });
});

describe('assignTopics', () => {
  const clusters = [
    { id: 0, parent: null },
    { id: 1, parent: null },
    { id: 2, parent: 0 },
    { id: 3, parent: 0 },
  ];
  // Five existing points: broad topics 0,0,0,1,1; fine topics 2,3,-1,-1,-1.
  const levels = [Int32Array.from([0, 0, 0, 1, 1]), Int32Array.from([2, 3, -1, -1, -1])];

  it('takes the finest majority topic and its ancestors, else a broader one, else none', () => {
    const neighbours = Int32Array.from([0, 0, 1, 0, 1, 2, 3, 4, 2, 0, 2, 3]);
    const [broad, fine] = assignTopics(neighbours, 3, levels, clusters);
    // Row 0: fine topic 2 holds 2 of 3 → 2, and its parent 0.
    // Row 1: fine topics split 2/3/noise → no fine topic; broad 0 holds all → 0.
    // Row 2: broad 1 holds 2 of 3 → 1; the fine level is all noise.
    // Row 3: fine 2, noise, noise → none; broad 0, 0, 1 → 0.
    expect(Array.from(fine!)).toEqual([2, -1, -1, -1]);
    expect(Array.from(broad!)).toEqual([0, 0, 1, 0]);
  });

  it('leaves a paper whose neighbours are split or unclustered unassigned', () => {
    // Row 0: broad 0 against 1, fine noise against 3: a tie is no majority. Row 1: all unclustered
    // at the fine level, broad 1 for two of two.
    const split = assignTopics(Int32Array.from([2, 4, 3, 4]), 2, levels, clusters);
    expect(Array.from(split[0]!)).toEqual([-1, 1]);
    expect(Array.from(split[1]!)).toEqual([-1, -1]);
    // Two votes of four are no majority either; three are.
    const half = assignTopics(Int32Array.from([3, 4, 2, 0, 3, 0, 2, 2]), 4, levels, clusters);
    expect(Array.from(half[0]!)).toEqual([-1, 0]);
  });
});

describe('nearestInLayout', () => {
  it('lists the nearest existing points, nearest first, -1 where there are too few', () => {
    const existing = Float32Array.from([0, 0, 10, 0, 3, 0]);
    const nearest = nearestInLayout(existing, Float32Array.from([4, 0, 9, 1]), 2);
    expect(Array.from(nearest)).toEqual([2, 0, 1, 2]);
    expect(Array.from(nearestInLayout(existing, Float32Array.from([0, 0]), 4))).toEqual([
      0, 2, 1, -1,
    ]);
  });
});

describe('partitionDuplicates', () => {
  it('finds papers already on the map or earlier in the batch, by id or by title', () => {
    const existing = [
      { id: 'arxiv:1', title: 'Graph Neural Networks for Molecules' },
      { id: 'arxiv:2', title: 'Sparse attention' },
    ];
    const added = [
      { id: 'doi:9', title: 'graph neural networks — for molecules.' },
      { id: 'arxiv:2', title: 'A retitled version' },
      { id: 'arxiv:3', title: 'Something new' },
      { id: 'arxiv:4', title: 'Something  NEW' },
      { id: 'arxiv:5', title: '' },
      { id: 'arxiv:6', title: '' },
    ];
    const { fresh, duplicates } = partitionDuplicates(existing, added);
    expect(fresh).toEqual([2, 4, 5]);
    expect(duplicates).toEqual([
      { added: 0, of: 0, inBatch: false, by: 'title' },
      { added: 1, of: 1, inBatch: false, by: 'id' },
      { added: 3, of: 2, inBatch: true, by: 'title' },
    ]);
  });
});

describe('growBlocker', () => {
  const embedder = { kind: 'neural', model: 'm', device: 'wasm', dim: 2 } as const;
  const positions = new Float32Array(8);
  const vectors = { data: new Float32Array(8), dim: 2 };

  it('allows a map with its vectors and, if lexical, its model', () => {
    expect(growBlocker({ positions, vectors, embedder })).toBeNull();
    const lexicalModel = {
      vocabulary: new Map(),
      idf: new Float32Array(0),
      projection: new Float32Array(0),
      dim: 2,
    };
    expect(
      growBlocker({ positions, vectors, embedder: { ...embedder, kind: 'lexical' }, lexicalModel }),
    ).toBeNull();
  });

  it('says why a map cannot grow', () => {
    expect(growBlocker({ positions, embedder })).toMatch(/without its vectors/);
    expect(growBlocker({ positions, vectors, embedder: { ...embedder, kind: 'lexical' } })).toMatch(
      /older version without its lexical model/,
    );
    expect(growBlocker({ positions: new Float32Array(4), vectors, embedder })).toMatch(/too few/);
  });
});
