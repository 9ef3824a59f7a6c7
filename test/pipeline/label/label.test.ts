import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../src/lib/random.ts';
import type { ClusterHierarchy } from '../../../src/pipeline/cluster/index.ts';
import { isCancelled } from '../../../src/lib/errors.ts';
import {
  abbreviates,
  indexLabelTexts,
  labelClusters,
  labelClustersAsync,
} from '../../../src/pipeline/label/index.ts';
import { BOILERPLATE_WORDS } from '../../../src/pipeline/label/stop-words.ts';

/** Four topics in two broad areas; each topic has signature phrases and some loose words. */
const TOPICS = [
  {
    area: 0,
    phrases: ['protein folding', 'molecular dynamics', 'binding affinity'],
    words: ['residues', 'conformations', 'ligand'],
  },
  {
    area: 0,
    phrases: ['gene expression', 'single-cell sequencing', 'cell types'],
    words: ['transcriptomes', 'genomic', 'tissues'],
  },
  {
    area: 1,
    phrases: ['speech recognition', 'acoustic models', 'word error rate'],
    words: ['phonemes', 'utterances', 'audio'],
  },
  {
    area: 1,
    phrases: ['machine translation', 'parallel corpora', 'low-resource languages'],
    words: ['translations', 'bilingual', 'decoder'],
  },
];
const SHARED = ['data', 'training', 'learning', 'networks', 'accuracy', 'scalable'];
const BOILERPLATE_SENTENCES = [
  'In this paper we propose a novel approach.',
  'Experimental results show that our method achieves state-of-the-art performance.',
  'We demonstrate the effectiveness of the proposed framework, as noted by Smith et al.',
  'Extensive experiments show significant improvements over existing methods.',
];

function makeCorpus(perTopic: number, seed: number): { texts: string[]; topic: number[] } {
  const random = createRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const texts: string[] = [];
  const topic: number[] = [];
  TOPICS.forEach((spec, index) => {
    for (let i = 0; i < perTopic; i++) {
      const sentences = [
        `A study of ${pick(spec.phrases)} with ${pick(SHARED)}.`,
        pick(BOILERPLATE_SENTENCES),
        `We model ${pick(spec.phrases)} and ${pick(spec.words)}, using ${pick(SHARED)} ${pick(SHARED)}.`,
        `Our ${pick(spec.words)} analysis of ${pick(spec.phrases)} improves ${pick(SHARED)}.`,
        pick(BOILERPLATE_SENTENCES),
      ];
      texts.push(sentences.join(' '));
      topic.push(index);
    }
  });
  return { texts, topic };
}

/** Broad level: areas (ids 0, 1); fine level: topics (ids 2..5), with a few noise papers. */
function topicHierarchy(topic: number[]): ClusterHierarchy {
  const fine = Int32Array.from(topic, (t, i) => (i % 17 === 16 ? -1 : 2 + t));
  const broad = Int32Array.from(topic, (t) => TOPICS[t]!.area);
  const count = (labels: Int32Array, id: number) => labels.filter((label) => label === id).length;
  return {
    levels: [broad, fine],
    nodes: [
      ...[0, 1].map((id) => ({
        id,
        level: 0,
        parent: null,
        size: count(broad, id),
        centroid: [0, 0] as [number, number],
      })),
      ...TOPICS.map((spec, t) => ({
        id: 2 + t,
        level: 1,
        parent: spec.area,
        size: count(fine, 2 + t),
        centroid: [0, 0] as [number, number],
      })),
    ],
  };
}

const corpus = makeCorpus(30, 3);
const hierarchy = topicHierarchy(corpus.topic);
const labels = labelClusters(corpus.texts, hierarchy);
const labelOf = (id: number) => labels.find((label) => label.id === id)!;

describe('labelClusters', () => {
  it('labels every cluster of every level, in node order', () => {
    expect(labels.map((label) => label.id)).toEqual(hierarchy.nodes.map((node) => node.id));
    for (const label of labels) {
      expect(label.label.length).toBeGreaterThan(0);
      expect(label.keywords.length).toBeGreaterThan(0);
      expect(label.keywords.length).toBeLessThanOrEqual(10);
    }
  });

  it('names each topic by its own terms, preferring phrases', () => {
    TOPICS.forEach((spec, t) => {
      const { label, keywords } = labelOf(2 + t);
      const terms = label.split(' · ');
      expect(terms.length).toBeGreaterThanOrEqual(2);
      expect(terms.length).toBeLessThanOrEqual(3);
      const own = [...spec.phrases, ...spec.words];
      for (const term of terms)
        expect(own.some((word) => word.includes(term) || term.includes(word))).toBe(true);
      expect(terms.some((term) => term.includes(' '))).toBe(true);
      expect(
        keywords
          .slice(0, 3)
          .every((keyword) => own.some((word) => word.includes(keyword) || keyword.includes(word))),
      ).toBe(true);
    });
  });

  it('names each broad area by terms of its own topics', () => {
    for (const area of [0, 1]) {
      const own = TOPICS.filter((spec) => spec.area === area).flatMap((spec) => [
        ...spec.phrases,
        ...spec.words,
      ]);
      for (const term of labelOf(area).label.split(' · ')) {
        expect(own.some((word) => word.includes(term) || term.includes(word))).toBe(true);
      }
    }
  });

  it('never puts boilerplate or shared filler in a label', () => {
    for (const { label } of labels) {
      for (const word of label.split(/ · | /u)) {
        expect(BOILERPLATE_WORDS).not.toContain(word);
        expect([
          'paper',
          'propose',
          'novel',
          'results',
          'et',
          'al',
          'state-of-the-art',
        ]).not.toContain(word);
      }
    }
  });

  it('never repeats a word within a label', () => {
    for (const { label } of labels) {
      const words = label.split(/ · | /u).map((word) => word.replace(/s$/u, ''));
      expect(new Set(words).size).toBe(words.length);
    }
  });

  it("gives a child a label that differs from its parent's", () => {
    for (const node of hierarchy.nodes.filter((node) => node.parent !== null)) {
      expect(labelOf(node.id).label).not.toBe(labelOf(node.parent!).label);
    }
  });

  it("never gives two siblings a shared term, nor a child its parent's terms", () => {
    // Both speech clusters are best described by "speech recognition"; each has weaker terms of its own.
    const own = [
      ['noisy rooms', 'far-field microphones', 'reverberant halls'],
      ['children voices', 'accented speakers', 'elderly users'],
      ['protein folding', 'molecular dynamics', 'binding sites'],
    ];
    const texts = own.flatMap((phrases, cluster) =>
      Array.from({ length: 6 }, (_, i) =>
        cluster < 2 ? `Speech recognition for ${phrases[i % 3]}.` : `Study of ${phrases[i % 3]}.`,
      ),
    );
    const fine = Int32Array.from(texts, (_, i) => 1 + Math.floor(i / 6));
    const small: ClusterHierarchy = {
      levels: [new Int32Array(texts.length), fine],
      nodes: [
        { id: 0, level: 0, parent: null, size: 18, centroid: [0, 0] },
        ...[1, 2, 3].map((id) => ({
          id,
          level: 1,
          parent: 0,
          size: 6,
          centroid: [0, 0] as [number, number],
        })),
      ],
    };
    const [, first, second, third] = labelClusters(texts, small);
    const terms = [first!, second!, third!].map(({ label }) => label.split(' · '));
    for (let a = 0; a < terms.length; a++) {
      for (let b = a + 1; b < terms.length; b++) {
        expect(terms[a]!.filter((term) => terms[b]!.includes(term))).toEqual([]);
      }
    }
    // The term both speech clusters share most is still listed among each one's keywords.
    expect(first!.keywords).toContain('speech recognition');
    expect(second!.keywords).toContain('speech recognition');
    for (const node of hierarchy.nodes.filter((node) => node.parent !== null)) {
      const parentTerms = labelOf(node.parent!).label.split(' · ');
      for (const term of labelOf(node.id).label.split(' · '))
        expect(parentTerms).not.toContain(term);
    }
  });

  it('takes only noun phrases: no verbs, adjectives alone or fragments of longer phrases', () => {
    const random = createRandom(5);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const topics = [
      ['graph neural networks', 'message passing', 'node classification'],
      ['retrieval-augmented generation', 'dense retrieval', 'RAG pipelines'],
    ];
    const texts = topics.flatMap((phrases) =>
      Array.from(
        { length: 40 },
        () =>
          `Existing methods tend to overfit, assuming ${pick(phrases)} is hard. ` +
          `We take inspiration from ${pick(phrases)} and report robust ${pick(phrases)} on $\\mathcal{O}(n^2)$ benchmarks. ` +
          `Fine-tuning ${pick(phrases)} with LLMs remains challenging.`,
      ),
    );
    const topic = Int32Array.from(texts, (_, i) => (i < 40 ? 0 : 1));
    const twoTopics: ClusterHierarchy = {
      levels: [topic],
      nodes: [0, 1].map((id) => ({
        id,
        level: 0,
        parent: null,
        size: 40,
        centroid: [0, 0] as [number, number],
      })),
    };
    const result = labelClusters(texts, twoTopics);
    const terms = result.flatMap(({ label, keywords }) => [...label.split(' · '), ...keywords]);
    const words = terms.flatMap((term) => term.split(' '));
    for (const verb of ['tend', 'overfit', 'assuming', 'take', 'remains']) {
      expect(words).not.toContain(verb);
    }
    for (const adjective of ['hard', 'robust', 'challenging'])
      expect(terms).not.toContain(adjective);
    expect(words).not.toContain('mathcal');
    expect(terms).toContain('graph neural networks');
    expect(
      terms.some(
        (term) => term.includes('retrieval-augmented generation') || term === 'rag pipelines',
      ),
    ).toBe(true);
    // "graph neural" is only ever written inside "graph neural networks".
    expect(result.flatMap(({ keywords }) => keywords)).not.toContain('graph neural');
  });

  it('folds plurals and keeps the common written form', () => {
    const texts = [
      'Graph networks for molecules.',
      'Neural networks on graphs.',
      'Graph networks and graphs.',
      'Unrelated words about weather.',
      'More unrelated weather words.',
    ];
    const small: ClusterHierarchy = {
      levels: [new Int32Array([0, 0, 0, 1, 1]), new Int32Array([2, 2, 2, 3, 3])],
      nodes: [
        { id: 0, level: 0, parent: null, size: 3, centroid: [0, 0] },
        { id: 1, level: 0, parent: null, size: 2, centroid: [0, 0] },
        { id: 2, level: 1, parent: 0, size: 3, centroid: [0, 0] },
        { id: 3, level: 1, parent: 1, size: 2, centroid: [0, 0] },
      ],
    };
    const [first] = labelClusters(texts, small, { keywordsPerCluster: 4 });
    expect(first!.keywords).toContain('graph networks');
    expect(first!.keywords).not.toContain('graph network');
    expect(
      first!.keywords.filter((keyword) => keyword.startsWith('network')).length,
    ).toBeLessThanOrEqual(1);
  });

  it('tokenises non-Latin scripts', () => {
    const texts = [
      'Über Sprachmodelle für Übersetzung',
      'Sprachmodelle für Übersetzung im Test',
      'Кошки и собаки',
      'Кошки любят собаки',
    ];
    const small: ClusterHierarchy = {
      levels: [new Int32Array([0, 0, 1, 1]), new Int32Array([2, 2, 3, 3])],
      nodes: [
        { id: 0, level: 0, parent: null, size: 2, centroid: [0, 0] },
        { id: 1, level: 0, parent: null, size: 2, centroid: [0, 0] },
        { id: 2, level: 1, parent: 0, size: 2, centroid: [0, 0] },
        { id: 3, level: 1, parent: 1, size: 2, centroid: [0, 0] },
      ],
    };
    const result = labelClusters(texts, small);
    expect(result[0]!.keywords.some((keyword) => keyword.includes('übersetzung'))).toBe(true);
    expect(result[1]!.keywords.some((keyword) => keyword.includes('кошки'))).toBe(true);
  });

  it('refuses texts or clusters that do not match', () => {
    expect(() => labelClusters(corpus.texts.slice(1), hierarchy)).toThrow(/texts/);
    const broken = { ...hierarchy, nodes: hierarchy.nodes.filter((node) => node.id !== 3) };
    expect(() => labelClusters(corpus.texts, broken)).toThrow(/cluster 3/);
  });

  it('is deterministic', () => {
    expect(labelClusters(corpus.texts, hierarchy)).toEqual(labels);
  });

  it('has a cancellable variant that gives the same labels and reports progress', async () => {
    const big = makeCorpus(600, 5);
    const bigHierarchy = topicHierarchy(big.topic);
    const seen: number[] = [];
    const result = await labelClustersAsync(big.texts, bigHierarchy, {
      onProgress: (progress) => seen.push(progress.done),
    });
    expect(result).toEqual(labelClusters(big.texts, bigHierarchy));
    expect(seen.length).toBeGreaterThan(1);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));

    const controller = new AbortController();
    const cancelled = labelClustersAsync(big.texts, bigHierarchy, {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    expect(isCancelled(await cancelled.catch((error: unknown) => error))).toBe(true);
  });

  it('labels from an index built ahead of the clusters exactly as from the texts, and refuses an index of other texts', async () => {
    const big = makeCorpus(600, 5);
    const bigHierarchy = topicHierarchy(big.topic);
    const index = indexLabelTexts(big.texts);
    expect(await labelClustersAsync(big.texts, bigHierarchy, { index })).toEqual(
      labelClusters(big.texts, bigHierarchy),
    );
    const other = indexLabelTexts(big.texts.slice(1));
    await expect(labelClustersAsync(big.texts, bigHierarchy, { index: other })).rejects.toThrow(
      `built from ${big.texts.length - 1} texts, but ${big.texts.length} texts were given`,
    );
    const controller = new AbortController();
    controller.abort();
    const cancelled = indexLabelTexts(big.texts, { signal: controller.signal });
    expect(isCancelled(await cancelled.catch((error: unknown) => error))).toBe(true);
  });
});

describe('abbreviates', () => {
  it('knows an acronym by the initials of the words and hyphenated parts it stands for', () => {
    const words = (term: string) => term.split(' ');
    expect(abbreviates(words('rag'), words('retrieval-augmented generation'))).toBe(true);
    expect(abbreviates(words('large language model'), words('llm'))).toBe(true);
    expect(abbreviates(words('llm'), words('language model'))).toBe(true);
    expect(abbreviates(words('gnn'), words('graph neural network'))).toBe(true);
    // A word that merely ends in the initials is no acronym of them.
    expect(abbreviates(words('data'), words('test accuracy'))).toBe(false);
    expect(abbreviates(words('rag'), words('graph'))).toBe(false);
    expect(abbreviates(words('language model'), words('graph neural network'))).toBe(false);
  });
});

describe('a label and its acronyms', () => {
  it('never holds a phrase and its acronym together', () => {
    const n = 30;
    const texts = Array.from({ length: 2 * n }, (_, i) =>
      i < n
        ? `Large language models (LLMs) need instruction tuning. LLMs and large language models improve with instruction tuning, case ${i}.`
        : `Protein folding shapes gene expression in cell types, case ${i}.`,
    );
    const labels = Int32Array.from({ length: 2 * n }, (_, i) => (i < n ? 0 : 1));
    const hierarchy: ClusterHierarchy = {
      levels: [labels],
      nodes: [0, 1].map((id) => ({ id, level: 0, parent: null, size: n, centroid: [0, 0] })),
    };
    const terms = labelClusters(texts, hierarchy)[0]!.label.split(' · ');
    expect(terms).toContain('instruction tuning');
    const named = terms.filter((term) =>
      ['large language models', 'language models', 'llms'].includes(term),
    );
    expect(named).toHaveLength(1);
  });
});
