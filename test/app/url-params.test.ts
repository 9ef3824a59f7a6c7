import { describe, expect, it } from 'vitest';
import { readPipelineParams } from '../../src/app/url-params.ts';

describe('readPipelineParams', () => {
  it('opens the bundled corpus with the automatic embedder by default', () => {
    expect(readPipelineParams('')).toEqual({
      source: { kind: 'bundled', precomputed: true },
      embedder: 'auto',
      warnings: [],
    });
  });

  it('recomputes the bundled corpus when the URL asks for a particular embedding', () => {
    expect(readPipelineParams('?embedder=lexical').source).toEqual({
      kind: 'bundled',
      precomputed: false,
    });
    expect(readPipelineParams('?device=wasm').source).toEqual({
      kind: 'bundled',
      precomputed: false,
    });
  });

  it('reads papers to add to the map by link', () => {
    const params = readPipelineParams('?add=https%3A%2F%2Fexample.org%2Fnew.csv');
    expect(params.added).toEqual({ kind: 'url', url: 'https://example.org/new.csv' });
    expect(params.source).toEqual({ kind: 'bundled', precomputed: true });
    expect(readPipelineParams('?add=').added).toBeUndefined();
    expect(readPipelineParams('').added).toBeUndefined();
  });

  it('reads a corpus URL and the embedder choices', () => {
    const params = readPipelineParams(
      '?corpus=https%3A%2F%2Fexample.org%2Fpapers.csv&embedder=neural&model=Xenova/gte-small&device=wasm&dtype=q8',
    );
    expect(params).toEqual({
      source: { kind: 'url', url: 'https://example.org/papers.csv' },
      embedder: 'neural',
      model: 'Xenova/gte-small',
      device: 'wasm',
      dtype: 'q8',
      warnings: [],
    });
  });

  it('ignores invalid values with a warning that lists the valid ones', () => {
    const params = readPipelineParams('?device=cuda&embedder=magic');
    expect(params.device).toBeUndefined();
    expect(params.embedder).toBe('auto');
    expect(params.warnings).toEqual([
      'Ignored ?device=cuda: valid values are webgpu, wasm.',
      'Ignored ?embedder=magic: valid values are auto, neural, lexical.',
    ]);
  });
});
