import { describe, expect, it } from 'vitest';
import type { ClusterHierarchy } from '../../../src/pipeline/cluster/index.ts';
import { labelClusters, labelClustersAsync } from '../../../src/pipeline/label/index.ts';
import { TermMeaning, type LabelMeaning } from '../../../src/pipeline/label/meaning.ts';

const DIM = 3;
/** Unit vectors: the two clusters' directions, and one for everything else. */
const TOWARDS_A = [1, 0, 0];
const TOWARDS_B = [0, 1, 0];
const ELSEWHERE = [0, 0, 1];
/** Two directions as near A's as each other, and unrelated to each other (cosine 0). */
const NEAR_A_UP = [Math.SQRT1_2, 0, Math.SQRT1_2];
const NEAR_A_DOWN = [Math.SQRT1_2, 0, -Math.SQRT1_2];

/** One level of two clusters (ids 0 and 1), `perCluster` papers each, A's first. */
function twoClusters(perCluster: number): ClusterHierarchy {
  const labels = Int32Array.from({ length: 2 * perCluster }, (_, i) => (i < perCluster ? 0 : 1));
  return {
    levels: [labels],
    nodes: [0, 1].map((id) => ({
      id,
      level: 0,
      parent: null,
      size: perCluster,
      centroid: [0, 0] as [number, number],
    })),
  };
}

/** Papers point at their cluster's direction; phrases wherever `directions` says. */
function fakeMeaning(
  perCluster: number,
  directions: Record<string, number[]>,
  asked: string[][] = [],
): LabelMeaning {
  const vectors = new Float32Array(2 * perCluster * DIM);
  for (let paper = 0; paper < 2 * perCluster; paper++)
    vectors.set(paper < perCluster ? TOWARDS_A : TOWARDS_B, paper * DIM);
  return {
    vectors,
    dim: DIM,
    embedPhrases: async (phrases) => {
      asked.push(phrases);
      const out = new Float32Array(phrases.length * DIM);
      phrases.forEach((phrase, row) => out.set(directions[phrase] ?? ELSEWHERE, row * DIM));
      return out;
    },
  };
}

function corpus(perCluster: number, aSentence: string, bSentence: string): string[] {
  return Array.from({ length: 2 * perCluster }, (_, i) =>
    i < perCluster
      ? `${aSentence} Paper ${i} reports its findings.`
      : `${bSentence} Paper ${i} reports its findings.`,
  );
}

const PER_CLUSTER = 30;
const B_SENTENCE = 'We study protein folding and gene expression in cell types.';

describe('TermMeaning', () => {
  it("measures how much nearer a term is to its cluster's centroid than to a sibling's", async () => {
    const hierarchy = twoClusters(4);
    const meaning = await TermMeaning.build(
      fakeMeaning(4, { ours: TOWARDS_A, theirs: TOWARDS_B, both: [1, 1, 0] }),
      hierarchy,
      [0, 1, 2],
      ['ours', 'theirs', 'both'],
      4,
    );
    expect(meaning.contrast(0, 0)).toBeCloseTo(1);
    expect(meaning.contrast(0, 1)).toBeCloseTo(-1);
    expect(meaning.contrast(1, 1)).toBeCloseTo(1);
    expect(meaning.contrast(0, 2)).toBeCloseTo(0);
    // Not embedded: no opinion.
    expect(meaning.contrast(0, 3)).toBe(0);
    expect(meaning.similarity(0, 2)).toBeCloseTo(Math.SQRT1_2);
    expect(meaning.similarity(0, 1)).toBeCloseTo(0);
  });

  it("compares a cluster without siblings with the whole corpus's centroid", async () => {
    const labels = Int32Array.from({ length: 8 }, (_, i) => (i < 4 ? 0 : -1));
    const hierarchy: ClusterHierarchy = {
      levels: [labels],
      nodes: [{ id: 0, level: 0, parent: null, size: 4, centroid: [0, 0] }],
    };
    const meaning = await TermMeaning.build(
      fakeMeaning(4, { ours: TOWARDS_A }),
      hierarchy,
      [0],
      ['ours'],
      1,
    );
    // The corpus centroid lies halfway between A and B: cos 1 to A against cos √½ to the corpus.
    expect(meaning.contrast(0, 0)).toBeCloseTo(1 - Math.SQRT1_2);
  });

  it('names a vector count that does not match the papers, or phrase vectors that do not match', async () => {
    const hierarchy = twoClusters(4);
    const short = { ...fakeMeaning(4, {}), vectors: new Float32Array(3 * DIM) };
    await expect(TermMeaning.build(short, hierarchy, [0], ['x'], 1)).rejects.toMatchObject({
      stage: 'label',
      code: 'length-mismatch',
    });
    const broken = { ...fakeMeaning(4, {}), embedPhrases: async () => new Float32Array(1) };
    await expect(TermMeaning.build(broken, hierarchy, [0], ['x'], 1)).rejects.toMatchObject({
      stage: 'label',
      code: 'phrase-vectors',
    });
  });
});

describe('labels ranked by meaning', () => {
  it("leaves out a frequent term that means a sibling's topic", async () => {
    const texts = corpus(
      PER_CLUSTER,
      'We study dark matter and galaxy clusters with gradient descent.',
      B_SENTENCE,
    );
    const hierarchy = twoClusters(PER_CLUSTER);
    const byFrequency = labelClusters(texts, hierarchy)[0]!.label;
    expect(byFrequency).toContain('gradient descent');
    const asked: string[][] = [];
    const meaning = fakeMeaning(
      PER_CLUSTER,
      {
        'dark matter': NEAR_A_UP,
        'galaxy clusters': NEAR_A_DOWN,
        'gradient descent': TOWARDS_B,
      },
      asked,
    );
    const [a] = await labelClustersAsync(texts, hierarchy, { meaning });
    expect(a!.label).toContain('dark matter');
    expect(a!.label).toContain('galaxy clusters');
    expect(a!.label).not.toContain('gradient descent');
    // One call for every candidate of every cluster, each phrase once.
    expect(asked).toHaveLength(1);
    expect(new Set(asked[0]).size).toBe(asked[0]!.length);
    expect(asked[0]).toEqual(expect.arrayContaining(['dark matter', 'protein folding']));
  });

  it('keeps one of two near-synonyms', async () => {
    const texts = corpus(
      PER_CLUSTER,
      'We study dark matter and invisible mass in clusters of stars.',
      B_SENTENCE,
    );
    const hierarchy = twoClusters(PER_CLUSTER);
    const byFrequency = labelClusters(texts, hierarchy)[0]!.label;
    expect(byFrequency).toContain('dark matter');
    expect(byFrequency).toContain('invisible mass');
    const meaning = fakeMeaning(PER_CLUSTER, {
      'dark matter': TOWARDS_A,
      'invisible mass': TOWARDS_A,
    });
    const [a] = await labelClustersAsync(texts, hierarchy, { meaning });
    const kept = ['dark matter', 'invisible mass'].filter((term) =>
      a!.label.split(' · ').includes(term),
    );
    expect(kept).toHaveLength(1);
  });

  it("fails with the embedder's error rather than labelling by frequency alone", async () => {
    const texts = corpus(PER_CLUSTER, 'We study dark matter and galaxy clusters.', B_SENTENCE);
    const meaning: LabelMeaning = {
      ...fakeMeaning(PER_CLUSTER, {}),
      embedPhrases: async () => {
        throw new Error('model lost');
      },
    };
    await expect(labelClustersAsync(texts, twoClusters(PER_CLUSTER), { meaning })).rejects.toThrow(
      'model lost',
    );
  });
});
