import { describe, expect, it } from 'vitest';
import { AtlasError } from '../../../src/lib/errors.ts';
import type { AtlasMap } from '../../../src/pipeline/atlas-map.ts';
import { PaperSearch, type EmbedQuery } from '../../../src/view/model/paper-search.ts';
import { syntheticMap } from '../../../src/view/synthetic/synthetic-map.ts';

function tinyMap(): AtlasMap {
  const map = syntheticMap({ count: 3, seed: 1, vectorDim: 0 });
  const papers = [
    { id: 'a', title: 'Graph neural networks', abstract: 'Message passing on graphs.' },
    { id: 'b', title: 'Protein folding', abstract: 'We predict structures with graph models.' },
    { id: 'c', title: 'Galaxy surveys', abstract: 'Redshift estimation.' },
  ];
  // Unit vectors along the axes: a query along an axis ranks that paper first.
  const data = new Float32Array([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  return { ...map, papers, vectors: { data, dim: 3 } };
}

const signal = () => new AbortController().signal;

describe('paper search', () => {
  it('finds papers by text, title matches first, and says how many', async () => {
    const search = new PaperSearch(tinyMap());
    expect(search.pendingStatus({ text: 'graph', semantic: false })).toBe('Indexing 3 papers…');
    const result = await search.run({ text: ' graph ', semantic: false }, signal());
    expect(result.mode).toBe('text');
    expect([...result.indices]).toEqual([0, 1]);
    expect(result.terms[0]).toContain('graph');
    expect(result.status).toBe('2 papers match');
    expect(search.pendingStatus({ text: 'graph', semantic: false })).toBe('Searching…');
    const none = await search.run({ text: 'zebrafish', semantic: false }, signal());
    expect(none.indices.length).toBe(0);
    expect(none.status).toBe('No papers match “zebrafish”.');
  });

  it('ranks papers by meaning with the map’s embedder', async () => {
    const queries: string[] = [];
    const embedQuery: EmbedQuery = async (text) => {
      queries.push(text);
      return new Float32Array([0, 0.2, 1]);
    };
    const search = new PaperSearch(tinyMap(), () => embedQuery);
    expect(search.semanticAvailable).toBe(true);
    const result = await search.run({ text: 'stars', semantic: true }, signal());
    expect(queries).toEqual(['stars']);
    expect(result.mode).toBe('semantic');
    expect([...result.indices]).toEqual([2, 1, 0]);
    expect(result.scores[0]).toBeCloseTo(1 / Math.hypot(0.2, 1), 5);
    expect(result.status).toBe('3 nearest papers by meaning');
  });

  it('explains why semantic search is unavailable', async () => {
    const noModel = new PaperSearch(tinyMap());
    expect(noModel.semanticAvailable).toBe(false);
    const error = await noModel.run({ text: 'stars', semantic: true }, signal()).catch((e) => e);
    expect(error).toBeInstanceOf(AtlasError);
    expect((error as AtlasError).readerMessage).toMatch(/not available.*model is not loaded/s);

    const { vectors: _dropped, ...withoutVectors } = tinyMap();
    const noVectors = new PaperSearch(withoutVectors, () => async () => new Float32Array(3));
    expect(noVectors.semanticAvailable).toBe(false);
    const second = await noVectors.run({ text: 'stars', semantic: true }, signal()).catch((e) => e);
    expect((second as AtlasError).readerMessage).toMatch(/saved without vectors/);
  });

  it('rejects with a cancellation once its signal fires', async () => {
    const controller = new AbortController();
    const search = new PaperSearch(tinyMap(), () => async () => {
      controller.abort();
      return new Float32Array([1, 0, 0]);
    });
    await expect(search.run({ text: 'x', semantic: true }, controller.signal)).rejects.toThrow(
      /Cancelled/,
    );
  });
});
