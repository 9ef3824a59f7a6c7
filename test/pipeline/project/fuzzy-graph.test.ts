import { UMAP } from 'umap-js';
import { describe, expect, it } from 'vitest';
import { fuzzySimplicialSet } from '../../../src/pipeline/project/fuzzy-graph.ts';
import { exactKnn } from '../../../src/pipeline/project/knn.ts';
import { clusteredVectors } from '../../../src/pipeline/project/synthetic.ts';

interface UmapJsInternals {
  graph: { getAll(): { row: number; col: number; value: number }[] };
}

describe('fuzzySimplicialSet', () => {
  it("equals umap-js's graph for the same neighbours", async () => {
    const n = 240;
    const dim = 12;
    const nNeighbors = 10;
    const { vectors } = clusteredVectors(n, dim, 4, { seed: 6, spread: 2 });
    const knn = await exactKnn(vectors, dim, nNeighbors);

    // umap-js lists each point first among its own neighbours, at distance 0.
    const indices: number[][] = [];
    const distances: number[][] = [];
    for (let i = 0; i < n; i++) {
      indices.push([i, ...knn.indices.subarray(i * nNeighbors, (i + 1) * nNeighbors - 1)]);
      distances.push([0, ...knn.distances.subarray(i * nNeighbors, (i + 1) * nNeighbors - 1)]);
    }
    const umap = new UMAP({ nNeighbors, random: () => 0.5 });
    umap.setPrecomputedKNN(indices, distances);
    const rows = Array.from({ length: n }, (_, i) =>
      Array.from(vectors.subarray(i * dim, (i + 1) * dim)),
    );
    umap.initializeFit(rows);
    const expected = (umap as unknown as UmapJsInternals).graph
      .getAll()
      .filter((entry) => entry.value !== 0);

    const graph = fuzzySimplicialSet(knn, n, nNeighbors);
    expect(graph.columns.length).toBe(expected.length);
    for (const { row, col, value } of expected) {
      const start = graph.offsets[row]!;
      const entry = graph.columns.subarray(start, graph.offsets[row + 1]!).indexOf(col);
      expect(entry).toBeGreaterThanOrEqual(0);
      expect(graph.weights[start + entry]).toBeCloseTo(value, 6);
    }
  });

  it('is symmetric with columns sorted in each row', async () => {
    const { vectors } = clusteredVectors(150, 8, 3, { seed: 2 });
    const graph = fuzzySimplicialSet(await exactKnn(vectors, 8, 15), 150, 15);
    const weight = (row: number, column: number): number => {
      const start = graph.offsets[row]!;
      const entry = graph.columns.subarray(start, graph.offsets[row + 1]!).indexOf(column);
      return entry < 0 ? 0 : graph.weights[start + entry]!;
    };
    for (let row = 0; row < 150; row++) {
      for (let entry = graph.offsets[row]!; entry < graph.offsets[row + 1]!; entry++) {
        if (entry > graph.offsets[row]!)
          expect(graph.columns[entry]!).toBeGreaterThan(graph.columns[entry - 1]!);
        expect(weight(graph.columns[entry]!, row)).toBe(graph.weights[entry]);
        expect(graph.weights[entry]!).toBeGreaterThan(0);
        expect(graph.weights[entry]!).toBeLessThanOrEqual(1);
      }
    }
  });
});
