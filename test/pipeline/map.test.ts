import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from '../../src/pipeline/cluster/index.ts';
import { bundleToJson, parseBundle } from '../../src/pipeline/bundle.ts';
import { fitLexicalEmbedding } from '../../src/pipeline/embed/lexical.ts';
import { computeMap, paperText } from '../../src/pipeline/map.ts';
import { clusteredVectors } from '../../src/pipeline/project/synthetic.ts';
import type { Paper } from '../../src/pipeline/types.ts';

const TOPIC_WORDS = [
  ['protein', 'folding', 'molecular'],
  ['galaxy', 'telescope', 'redshift'],
  ['parser', 'syntax', 'grammar'],
];

/** Papers whose text names their blob's topic, so labels can be checked against the truth. */
function syntheticCorpus(n: number) {
  const { vectors, labels } = clusteredVectors(n, 48, TOPIC_WORDS.length, { spread: 0.3, seed: 7 });
  const papers: Paper[] = Array.from(labels, (topic, i) => {
    const [a, b, c] = TOPIC_WORDS[topic]!;
    return {
      id: `p${i}`,
      title: `${a} ${b} study ${i}`,
      abstract: `We study ${a} ${b} and ${c} in depth.`,
    };
  });
  return { papers, vectors, labels };
}

const embedder = { kind: 'lexical', model: 'test', device: 'cpu', dim: 48 } as const;

describe('computeMap', () => {
  it('turns vectors into a labelled, clustered layout with quality figures', async () => {
    const { papers, vectors, labels } = syntheticCorpus(240);
    const stages = new Set<string>();
    const map = await computeMap(
      { name: 'synthetic', papers, vectors, dim: 48, embedder },
      { onProgress: (p) => stages.add(p.stage) },
    );
    expect(map.positions).toHaveLength(480);
    expect(map.clusterLevels.length).toBeGreaterThanOrEqual(2);
    const broadIds = map.clusterLevels[0]!;
    const clustered = [...broadIds.keys()].filter((i) => broadIds[i]! >= 0);
    expect(clustered.length / papers.length).toBeGreaterThan(0.8);
    const found = Int32Array.from(clustered, (i) => broadIds[i]!);
    const truth = Int32Array.from(clustered, (i) => labels[i]!);
    expect(adjustedRandIndex(found, truth)).toBeGreaterThan(0.9);
    const finest = map.clusters.filter((c) => c.level === map.clusterLevels.length - 1);
    for (const cluster of finest) {
      const topic = TOPIC_WORDS.find((words) => words.some((w) => cluster.label.includes(w)));
      expect(topic, `label "${cluster.label}" names a topic`).toBeDefined();
    }
    expect(map.quality.trustworthiness).toBeGreaterThan(0.8);
    expect(map.quality.silhouette).toBeGreaterThan(0.5);
    expect(map.quality.clusterCount).toBe(finest.length);
    expect([...stages]).toEqual(['projecting', 'clustering', 'labelling']);
  });

  it('gives the same map for the same input and seed', async () => {
    const { papers, vectors } = syntheticCorpus(120);
    const input = { name: 's', papers, dim: 48, embedder, seed: 3 };
    const first = await computeMap({ ...input, vectors: vectors.slice() });
    const second = await computeMap({ ...input, vectors: vectors.slice() });
    expect(Buffer.from(second.positions.buffer).equals(Buffer.from(first.positions.buffer))).toBe(
      true,
    );
    expect(second.clusters).toEqual(first.clusters);
  });
});

describe('computeMap on the smallest corpora', () => {
  const lexical = { kind: 'lexical', model: 'tfidf', device: 'node', dim: 0 } as const;
  const papers: Paper[] = [
    { id: 'a', title: 'Graph networks', abstract: 'We study graph neural networks for molecules.' },
    { id: 'b', title: 'Speech', abstract: 'We study speech recognition with transformers.' },
  ];

  for (const n of [1, 2]) {
    it(`maps ${n} paper${n === 1 ? '' : 's'}: a fixed layout, no clusters, a bundle that reopens`, async () => {
      const chosen = papers.slice(0, n);
      const { vectors, dim } = fitLexicalEmbedding(chosen.map(paperText), { seed: 1 });
      const map = await computeMap({
        name: 'tiny',
        papers: chosen,
        vectors,
        dim,
        embedder: { ...lexical, dim },
      });
      expect(map.positions).toHaveLength(2 * n);
      expect(map.positions.every(Number.isFinite)).toBe(true);
      if (n === 2) expect(map.positions[0]).not.toBe(map.positions[2]);
      expect(map.clusters).toEqual([]);
      expect(map.quality.clusterCount).toBe(0);
      const reopened = parseBundle(bundleToJson(map, { includeVectors: true }));
      expect(reopened.papers.map((paper) => paper.id)).toEqual(chosen.map((paper) => paper.id));
      expect(Array.from(reopened.positions)).toEqual(Array.from(map.positions));
    });
  }

  it('refuses 0 papers with a clear error', async () => {
    await expect(
      computeMap({ name: 'empty', papers: [], vectors: new Float32Array(0), dim: 4, embedder }),
    ).rejects.toMatchObject({
      stage: 'project',
      code: 'no-papers',
      message: 'There are no papers to map.',
    });
  });
});
