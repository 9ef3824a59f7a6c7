/**
 * The page's client of the embedding engine. All work happens in the embed worker; this class only
 * resolves URLs against the page (its base URL, the models and ONNX Runtime folders) and forwards calls.
 *
 *   const service = new EmbeddingService();
 *   const { vectors, dim, info, notices } = await service.embedCorpus(texts, { embedder: 'auto' }, { signal, onProgress });
 *   const queryVector = await service.embedQuery('graph neural networks');
 */
import { AtlasError } from '../lib/errors.ts';
import { packTexts, type PackedTexts } from '../lib/packed-papers.ts';
import type { AtlasMap, EmbedderInfo } from '../pipeline/atlas-map.ts';
import type { LexicalModel } from '../pipeline/embed/lexical.ts';
import type { EmbedRequest } from '../pipeline/embed/engine.ts';
import {
  embedWithRecovery,
  type CorpusEmbedding,
  type EmbedRun,
} from '../pipeline/embed/recovery.ts';
import type { RunOptions } from '../pipeline/types.ts';
import type { EmbedWorkerSetup } from '../worker/embed.worker.ts';
import { createEmbedClient } from './workers.ts';

export type { EmbedRequest } from '../pipeline/embed/engine.ts';
export type { CorpusEmbedding } from '../pipeline/embed/recovery.ts';

/** ONNX Runtime's runtime build that Transformers.js loads (WASM with the WebGPU execution provider). */
const ORT_RUNTIME = 'ort-wasm-simd-threaded.asyncify';

export interface EmbeddingServiceOptions {
  /** Where `<model id>/` folders are served, on this site; default `${BASE_URL}models/`. */
  modelBaseUrl?: string;
  /** Whether models missing locally may be fetched from the Hugging Face hub (default true). */
  allowRemoteModels?: boolean;
}

export class EmbeddingService {
  private readonly client = createEmbedClient();
  private readonly setup: EmbedWorkerSetup;

  constructor(options: EmbeddingServiceOptions = {}) {
    const page = globalThis.location?.href ?? 'http://localhost/';
    const base = new URL(import.meta.env.BASE_URL, page);
    this.setup = {
      modelBaseUrl: sameOriginPath(new URL(options.modelBaseUrl ?? 'models/', base)),
      ortWasmPaths: {
        mjs: new URL(`ort/${ORT_RUNTIME}.mjs`, base).href,
        wasm: new URL(`ort/${ORT_RUNTIME}.wasm`, base).href,
      },
      allowRemoteModels: options.allowRemoteModels ?? true,
    };
  }

  /**
   * Embeds every text; progress comes as stage `embedding` with done/total/rate/etaSeconds. Large
   * corpora should come packed (`packTexts`, e.g. from the ingest worker), so the page never builds them.
   * Packed texts are transferred to the worker, not copied, and come back with the result: the
   * caller's copy is detached until then.
   */
  embedCorpus(
    texts: string[] | PackedTexts,
    request: EmbedRequest,
    options: RunOptions = {},
  ): Promise<CorpusEmbedding> {
    const run: EmbedRun = (runTexts, runRequest, runOptions = {}) =>
      this.client.call(
        'embedCorpus',
        { texts: runTexts, request: runRequest, setup: this.setup },
        {
          transfer: [runTexts.bytes.buffer as ArrayBuffer],
          ...(runOptions.signal ? { signal: runOptions.signal } : {}),
          ...(runOptions.onProgress ? { onProgress: runOptions.onProgress } : {}),
        },
      );
    // A new worker is a fresh ONNX Runtime, untouched by the lost GPU device.
    const packed = Array.isArray(texts) ? packTexts(texts) : texts;
    return embedWithRecovery(run, () => this.client.terminate(), packed, request, options);
  }

  /** A query vector from the embedder that made the last corpus vectors (for semantic search). */
  embedQuery(text: string): Promise<Float32Array> {
    return this.client.call('embedQuery', { text });
  }

  /** Label phrases from the neural model that made the last corpus vectors (ranking labels by meaning). */
  embedPhrases(phrases: string[], signal?: AbortSignal): Promise<Float32Array> {
    return this.client.call('embedPhrases', { phrases }, signal ? { signal } : {});
  }

  /**
   * Readies `embedQuery` for a map opened from a bundle, with the embedder that made its vectors (a
   * lexical map's own fitted model where it carries one).
   */
  prepareQueries(
    texts: PackedTexts,
    info: EmbedderInfo,
    lexicalModel?: LexicalModel,
  ): Promise<void> {
    return this.client.call('prepareQueries', {
      texts,
      info,
      setup: this.setup,
      ...(lexicalModel ? { lexicalModel } : {}),
    });
  }

  /**
   * Vectors for papers added to a map, from the map's own embedder: a lexical map's fitted model
   * (nothing refitted), or the neural model and dtype that made its vectors (never another embedder).
   */
  async embedAdded(
    texts: string[],
    map: Pick<AtlasMap, 'embedder' | 'lexicalModel'>,
    options: RunOptions = {},
  ): Promise<{ vectors: Float32Array; notices: string[] }> {
    const packed = packTexts(texts);
    if (map.embedder.kind === 'lexical') {
      if (!map.lexicalModel) {
        throw new AtlasError(
          'embed',
          'no-lexical-model',
          'This map does not carry its lexical model.',
          {
            hint: 'Make a new map of its papers and the new ones instead.',
          },
        );
      }
      const vectors = await this.client.call(
        'embedWithLexicalModel',
        { texts: packed, model: map.lexicalModel, setup: this.setup },
        {
          transfer: [packed.bytes.buffer as ArrayBuffer],
          ...(options.signal ? { signal: options.signal } : {}),
        },
      );
      return { vectors, notices: [] };
    }
    const { model, dtype } = map.embedder;
    const result = await this.embedCorpus(
      packed,
      { embedder: 'neural', model, ...(dtype ? { dtype } : {}) },
      options,
    );
    return { vectors: result.vectors, notices: result.notices };
  }

  cacheInfo(): Promise<{ entries: number; bytes: number }> {
    return this.client.call('cacheInfo', {});
  }

  clearCache(): Promise<void> {
    return this.client.call('clearCache', {});
  }

  /** Threads, isolation and WebGPU as the worker sees them. */
  environment(): Promise<{
    crossOriginIsolated: boolean;
    hardwareConcurrency: number;
    webgpu: boolean;
    shaderF16: boolean;
    wasmThreads: number;
  }> {
    return this.client.call('environment', {});
  }

  /** Stops the worker; calls in flight are rejected. */
  dispose(): void {
    this.client.terminate();
  }
}

/**
 * Transformers.js looks for local model files only under a path (it treats a full URL as remote), so
 * the model folder must be on this site and is passed as its path.
 */
function sameOriginPath(url: URL): string {
  if (globalThis.location && url.origin !== globalThis.location.origin) {
    throw new AtlasError(
      'embed',
      'cross-origin-models',
      `Models must be served from this site, not ${url.origin}.`,
      {
        hint: "Put the model folders under the app's own models/ folder; other sites are reached through the Hugging Face hub.",
      },
    );
  }
  return url.pathname;
}
