import { EMBED_DTYPES, type EmbedDtype } from '../pipeline/embed/models.ts';
import type { CorpusSource } from './corpus-source.ts';

/** The pipeline choices a URL can make (`?corpus=&add=&embedder=&model=&device=&dtype=`), validated. */
export interface PipelineParams {
  source: CorpusSource;
  /** `?add=<url>`: papers to add to the map once it is open ("Add to this map" by link). */
  added?: CorpusSource;
  embedder: 'auto' | 'neural' | 'lexical';
  model?: string;
  device?: 'webgpu' | 'wasm';
  dtype?: EmbedDtype;
  /** Values the URL gave that are not valid, as sentences naming the valid ones. */
  warnings: string[];
}

function pick<T extends string>(
  params: URLSearchParams,
  key: string,
  valid: readonly T[],
  warnings: string[],
): T | undefined {
  const value = params.get(key);
  if (value === null || value === '') return undefined;
  if ((valid as readonly string[]).includes(value)) return value as T;
  warnings.push(`Ignored ?${key}=${value}: valid values are ${valid.join(', ')}.`);
  return undefined;
}

export function readPipelineParams(search: string): PipelineParams {
  const params = new URLSearchParams(search);
  const warnings: string[] = [];
  const corpus = params.get('corpus');
  const added = params.get('add');
  const model = params.get('model');
  const device = pick(params, 'device', ['webgpu', 'wasm'] as const, warnings);
  const dtype = pick(params, 'dtype', EMBED_DTYPES, warnings);
  const embedder =
    pick(params, 'embedder', ['auto', 'neural', 'lexical'] as const, warnings) ?? 'auto';
  // The bundled corpus's precomputed map is used unless the URL asks for a particular embedding.
  const precomputed = embedder === 'auto' && !model && !device && !dtype;
  return {
    source: corpus ? { kind: 'url', url: corpus } : { kind: 'bundled', precomputed },
    ...(added ? { added: { kind: 'url' as const, url: added } } : {}),
    embedder,
    ...(model ? { model } : {}),
    ...(device ? { device } : {}),
    ...(dtype ? { dtype } : {}),
    warnings,
  };
}
