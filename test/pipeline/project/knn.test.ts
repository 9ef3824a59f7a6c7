import { describe, expect, it } from 'vitest';
import { AtlasError, CancelledError } from '../../../src/lib/errors.ts';
import { createRandom } from '../../../src/lib/random.ts';
import { computeKnn, exactKnn } from '../../../src/pipeline/project/knn.ts';
import { approximateKnn } from '../../../src/pipeline/project/nn-descent.ts';
import { clusteredVectors } from '../../../src/pipeline/project/synthetic.ts';
import { inProcessHelpers } from './in-process-helpers.ts';

function gaussianVectors(n: number, dim: number, seed: number): Float32Array {
  const random = createRandom(seed);
  const out = new Float32Array(n * dim);
  for (let i = 0; i < out.length; i++) {
    out[i] = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  }
  return out;
}

/** Every pair's cosine distance in float64, then a full sort per row: the reference answer. */
function bruteForceKnn(
  vectors: Float32Array,
  dim: number,
  k: number,
): { indices: number[][]; distances: number[][] } {
  const n = vectors.length / dim;
  const indices: number[][] = [];
  const distances: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row: { index: number; distance: number }[] = [];
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let dot = 0;
      let normI = 0;
      let normJ = 0;
      for (let d = 0; d < dim; d++) {
        dot += vectors[i * dim + d]! * vectors[j * dim + d]!;
        normI += vectors[i * dim + d]! ** 2;
        normJ += vectors[j * dim + d]! ** 2;
      }
      row.push({ index: j, distance: 1 - dot / Math.sqrt(normI * normJ) });
    }
    row.sort((x, y) => x.distance - y.distance);
    indices.push(row.slice(0, k).map((entry) => entry.index));
    distances.push(row.slice(0, k).map((entry) => entry.distance));
  }
  return { indices, distances };
}

describe('exactKnn', () => {
  it('matches brute force on unnormalised vectors, across a ragged last block', async () => {
    const n = 211;
    const dim = 19;
    const k = 7;
    const vectors = gaussianVectors(n, dim, 3);
    for (let d = 0; d < dim; d++) vectors[5 * dim + d]! *= 40;
    const graph = await exactKnn(vectors, dim, k);
    const reference = bruteForceKnn(vectors, dim, k);
    expect(graph.k).toBe(k);
    for (let i = 0; i < n; i++) {
      expect(Array.from(graph.indices.subarray(i * k, (i + 1) * k))).toEqual(reference.indices[i]);
      for (let j = 0; j < k; j++) {
        expect(graph.distances[i * k + j]).toBeCloseTo(reference.distances[i]![j]!, 5);
      }
    }
  });

  it('excludes each point itself and sorts distances ascending', async () => {
    const { vectors } = clusteredVectors(300, 16, 4, { seed: 9 });
    const graph = await exactKnn(vectors, 16, 10);
    for (let i = 0; i < 300; i++) {
      const row = graph.indices.subarray(i * 10, (i + 1) * 10);
      expect(row.includes(i)).toBe(false);
      for (let j = 1; j < 10; j++) {
        expect(graph.distances[i * 10 + j]!).toBeGreaterThanOrEqual(
          graph.distances[i * 10 + j - 1]!,
        );
      }
    }
  });

  it('refuses a shape that is not whole rows, k not below n, and non-finite values', async () => {
    await expect(exactKnn(new Float32Array(10), 3, 2)).rejects.toMatchObject({ code: 'bad-shape' });
    await expect(exactKnn(new Float32Array(12), 3, 4)).rejects.toBeInstanceOf(AtlasError);
    await expect(exactKnn(new Float32Array(12), 3, 4)).rejects.toMatchObject({
      code: 'too-few-points',
    });
    const damaged = new Float32Array(30).fill(1);
    damaged[7] = Number.NaN;
    await expect(exactKnn(damaged, 3, 2)).rejects.toMatchObject({ code: 'non-finite-vector' });
  });

  it('gives the same graph, bit for bit, however its row blocks are dealt between threads', async () => {
    // 700 rows: 11 blocks of 64, the last ragged. Every tenth row repeats the one before, so some
    // rows have neighbours at exactly equal distances, which only the lower index may win.
    const vectors = gaussianVectors(700, 12, 3);
    for (let row = 10; row < 700; row += 10) {
      vectors.copyWithin(row * 12, (row - 1) * 12, row * 12);
    }
    const single = await exactKnn(vectors, 12, 9);
    for (const size of [1, 2, 4]) {
      const split = await exactKnn(vectors, 12, 9, { helpers: inProcessHelpers(size) });
      expect(split.indices).toEqual(single.indices);
      expect(split.distances).toEqual(single.distances);
    }
    // Row 9's twin (row 10) is at distance 0, so it leads row 9's list; row 10's twin leads its own.
    expect(single.distances[9 * 9]).toBe(0);
    expect(single.indices[9 * 9]).toBe(10);
    expect(single.indices[10 * 9]).toBe(9);
  });

  it('rejects with CancelledError when cancelled between blocks', async () => {
    const { vectors } = clusteredVectors(400, 8, 3);
    const controller = new AbortController();
    const search = exactKnn(vectors, 8, 5, {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(search).rejects.toBeInstanceOf(CancelledError);
  });
});

describe('computeKnn', () => {
  it('searches exactly up to the limit and approximately beyond it', async () => {
    const { vectors } = clusteredVectors(600, 16, 6, { seed: 5 });
    const exact = await exactKnn(vectors, 16, 8);
    const belowLimit = await computeKnn(vectors, 16, 8, { exactLimit: 600 });
    expect(belowLimit.indices).toEqual(exact.indices);
    const approximate = await approximateKnn(vectors, 16, 8, { seed: 3 });
    const aboveLimit = await computeKnn(vectors, 16, 8, { exactLimit: 599, seed: 3 });
    expect(aboveLimit.indices).toEqual(approximate.indices);
  });
});
