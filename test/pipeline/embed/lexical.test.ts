import { describe, expect, it } from 'vitest';
import {
  embedLexical,
  fitLexicalEmbedding,
  fitLexicalEmbeddingOnThreads,
  lexicalTerms,
  symmetricEigen,
} from '../../../src/pipeline/embed/lexical.ts';
import { CancelledError } from '../../../src/lib/errors.ts';
import { createRandom } from '../../../src/lib/random.ts';
import { inProcessHelpers } from '../project/in-process-helpers.ts';

/** Abstracts from three fields, each built from its own vocabulary plus shared boilerplate. */
function corpus(count: number, seed = 3): { texts: string[]; topics: number[] } {
  const fields = [
    'galaxy star cluster redshift dark matter halo telescope survey cosmology supernova luminosity',
    'protein folding enzyme binding molecule gene expression cell membrane receptor mutation',
    'transformer language token attention pretraining corpus translation decoder prompt benchmark',
  ].map((words) => words.split(' '));
  const boilerplate =
    'In this paper we propose a novel approach and show that our method achieves strong results.';
  const random = createRandom(seed);
  const texts: string[] = [];
  const topics: number[] = [];
  for (let i = 0; i < count; i++) {
    const topic = i % fields.length;
    const words = Array.from({ length: 25 }, () => fields[topic]![Math.floor(random() * 11)]);
    texts.push(`${boilerplate} ${words.join(' ')}.`);
    topics.push(topic);
  }
  return { texts, topics };
}

function dot(a: Float32Array, i: number, b: Float32Array, j: number, dim: number): number {
  let sum = 0;
  for (let c = 0; c < dim; c++) sum += a[i * dim + c]! * b[j * dim + c]!;
  return sum;
}

describe('lexicalTerms', () => {
  it('drops English and academic stop words, numbers and plurals, and adds adjacent bigrams', () => {
    const terms = lexicalTerms(
      'In this paper we propose a novel approach: graph networks reach 95 results.',
    );
    expect(terms).toEqual(['graph', 'network', 'graph network', 'reach', 'network reach']);
  });
});

describe('fitLexicalEmbedding', () => {
  it('fits the vocabulary that lexicalTerms reads, whatever the script', () => {
    const texts = [
      'Über 𝒳-Graphs: self-supervised λ-networks, 12 NETWORKS, studies of 中文 retrieval.',
      'Graph networks for λ-calculus; x\ud835y studies 😀 retrieval retrieval.',
      'ΣΥΣΤΗΜΑΤΑ and systems: İstanbul datasets, 3D scenes, 𝟘 and ٣ days.',
    ];
    const { model } = fitLexicalEmbedding(texts, { dims: 2, maxFeatures: 1000 });
    const expected = [...new Set(texts.flatMap(lexicalTerms))].sort();
    expect([...model.vocabulary.keys()]).toEqual(expected);
    expect([...model.vocabulary.values()]).toEqual(expected.map((_, column) => column));
  });

  it('gives L2-normalised vectors that group texts by topic', () => {
    const { texts, topics } = corpus(90);
    const { vectors, dim } = fitLexicalEmbedding(texts, { dims: 16, seed: 1 });
    expect(vectors.length).toBe(texts.length * dim);
    expect(dim).toBe(16);
    for (let i = 0; i < texts.length; i++)
      expect(dot(vectors, i, vectors, i, dim)).toBeCloseTo(1, 5);
    let same = 0;
    let other = 0;
    let sameCount = 0;
    let otherCount = 0;
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        const similarity = dot(vectors, i, vectors, j, dim);
        if (topics[i] === topics[j]) {
          same += similarity;
          sameCount++;
        } else {
          other += similarity;
          otherCount++;
        }
      }
    }
    expect(same / sameCount).toBeGreaterThan(0.7);
    expect(other / otherCount).toBeLessThan(0.2);
  });

  it('is deterministic for a seed', () => {
    const { texts } = corpus(60);
    const first = fitLexicalEmbedding(texts, { dims: 8, seed: 9 });
    const second = fitLexicalEmbedding(texts, { dims: 8, seed: 9 });
    expect(second.vectors).toEqual(first.vectors);
  });

  it('embeds a query into the fitted space, next to the texts it shares words with', () => {
    const { texts, topics } = corpus(60);
    const { vectors, dim, model } = fitLexicalEmbedding(texts, { dims: 12, seed: 2 });
    expect(embedLexical(model, [texts[4]!])).toEqual(vectors.slice(4 * dim, 5 * dim));
    const query = embedLexical(model, ['enzyme binding and protein folding']);
    let best = -1;
    let bestIndex = -1;
    for (let i = 0; i < texts.length; i++) {
      const similarity = dot(query, 0, vectors, i, dim);
      if (similarity > best) [best, bestIndex] = [similarity, i];
    }
    expect(topics[bestIndex]).toBe(1);
    expect(Array.from(embedLexical(model, ['zzz qqq'])).every((value) => value === 0)).toBe(true);
  });

  it('caps dimensions at what a tiny corpus supports', () => {
    const { dim, vectors } = fitLexicalEmbedding(
      ['alpha beta gamma', 'delta epsilon', 'alpha delta'],
      {
        dims: 128,
      },
    );
    expect(dim).toBeLessThanOrEqual(3);
    expect(vectors.length).toBe(3 * dim);
  });

  it('embeds its own texts as a query, through the fitted model, to the very vectors it fitted', () => {
    const { texts } = corpus(60);
    const { vectors, model } = fitLexicalEmbedding(texts, { dims: 8 });
    expect(Array.from(embedLexical(model, texts))).toEqual(Array.from(vectors));
  });

  it('projects onto orthonormal directions, leaving zero the ones texts that repeat cannot span', () => {
    // 4 distinct texts, each 10 times: the tf-idf rows span 4 dimensions, the SVD is asked for 8.
    const distinct = corpus(4).texts;
    const texts = Array.from({ length: 40 }, (_, i) => distinct[i % 4]!);
    const { vectors, dim, model } = fitLexicalEmbedding(texts, { dims: 8 });
    expect(dim).toBe(8);
    const cols = model.vocabulary.size;
    const column = (c: number) =>
      Array.from({ length: cols }, (_, r) => model.projection[r * dim + c]!);
    const norms = Array.from({ length: dim }, (_, c) => Math.hypot(...column(c)));
    expect(norms.filter((norm) => norm > 0.5)).toHaveLength(4);
    for (let a = 0; a < dim; a++) {
      for (let b = a; b < dim; b++) {
        const product = column(a).reduce((sum, value, r) => sum + value * column(b)[r]!, 0);
        const expected = a === b && norms[a]! > 0.5 ? 1 : 0;
        expect(Math.abs(product - expected), `directions ${a} and ${b}`).toBeLessThan(1e-5);
      }
    }
    expect(vectors.every(Number.isFinite)).toBe(true);
    for (let i = 4; i < 40; i++) expect(dot(vectors, i, vectors, i % 4, dim)).toBeCloseTo(1, 5);
  });

  it('fits the same vectors and model, bit for bit, with its products shared between threads', async () => {
    const { texts } = corpus(90);
    const alone = fitLexicalEmbedding(texts, { dims: 12 });
    for (const size of [1, 2, 4]) {
      const helpers = inProcessHelpers(size);
      const shared = await fitLexicalEmbeddingOnThreads(texts, { dims: 12, helpers });
      expect(Array.from(shared.vectors), `${size + 1} threads`).toEqual(Array.from(alone.vectors));
      expect(Array.from(shared.model.projection)).toEqual(Array.from(alone.model.projection));
      expect(helpers.calls).toContain('sparseShare');
      expect(helpers.calls.at(-1)).toBe('detachSparse');
    }
  });

  it('stops when cancelled', () => {
    const controller = new AbortController();
    controller.abort();
    expect(() => fitLexicalEmbedding(corpus(30).texts, { signal: controller.signal })).toThrow(
      CancelledError,
    );
  });
});

describe('symmetricEigen', () => {
  it('diagonalises a symmetric matrix', () => {
    const size = 6;
    const random = createRandom(5);
    const m = new Float64Array(size * size);
    for (let i = 0; i < size; i++) {
      for (let j = i; j < size; j++) m[i * size + j] = m[j * size + i] = random() - 0.5;
    }
    const { values, vectors } = symmetricEigen(m, size);
    for (let k = 0; k < size; k++) {
      for (let i = 0; i < size; i++) {
        let mv = 0;
        for (let j = 0; j < size; j++) mv += m[i * size + j]! * vectors[j * size + k]!;
        expect(mv).toBeCloseTo(values[k]! * vectors[i * size + k]!, 9);
      }
    }
  });
});
