/**
 * The embed worker: runs the embedding engine (Transformers.js on WebGPU or WASM, or the lexical
 * embedder) off the main thread. The page talks to it through `EmbeddingService`.
 */
import { AtlasError } from '../lib/errors.ts';
import { unpackTexts, type PackedTexts } from '../lib/packed-papers.ts';
import type { EmbedderInfo } from '../pipeline/atlas-map.ts';
import { EmbedEngine, type EmbedRequest } from '../pipeline/embed/engine.ts';
import type { LexicalModel } from '../pipeline/embed/lexical.ts';
import { TransformersEmbedder, type TransformersSetup } from '../pipeline/embed/neural.ts';
import { VectorCache } from '../pipeline/embed/vector-cache.ts';
import { detectWebGpu } from '../pipeline/embed/webgpu.ts';
import { helpersFor } from './pool.ts';
import { exposeApi, transfer, type CallContext } from './rpc.ts';

/** Where models and ONNX Runtime's files are served; the page resolves them against its own URL. */
export interface EmbedWorkerSetup {
  modelBaseUrl: string;
  ortWasmPaths: { mjs: string; wasm: string };
  allowRemoteModels: boolean;
}

let engine: EmbedEngine | undefined;
/** Where model-loading messages go during the current embedCorpus call. */
let reportLoading: ((message: string) => void) | undefined;
let cache: Promise<VectorCache> | undefined;

/** One cache for the worker's life, shared by the engine and the cache calls. */
function openCache(): Promise<VectorCache> {
  cache ??= VectorCache.open();
  return cache;
}

/** Threads need SharedArrayBuffer, which only cross-origin-isolated pages get. */
function wasmThreads(): number {
  return self.crossOriginIsolated
    ? Math.max(1, Math.min(navigator.hardwareConcurrency || 1, 8))
    : 1;
}

function engineFor(setup: EmbedWorkerSetup): EmbedEngine {
  const transformersSetup: TransformersSetup = {
    ...setup,
    wasmThreads: wasmThreads(),
    onLoadProgress: (message) => reportLoading?.(message),
  };
  engine ??= new EmbedEngine({
    cpuDevice: 'wasm',
    detectGpu: detectWebGpu,
    loadEmbedder: (spec, device, dtype) =>
      TransformersEmbedder.load(spec, device, dtype, transformersSetup),
    openCache,
    helpers: helpersFor,
  });
  return engine;
}

const embedApi = {
  async embedCorpus(
    args: { texts: PackedTexts; request: EmbedRequest; setup: EmbedWorkerSetup },
    context: CallContext,
  ) {
    const texts = unpackTexts(args.texts);
    let lastMessage = '';
    reportLoading = (message) => {
      if (message === lastMessage) return;
      lastMessage = message;
      context.progress({ stage: 'embedding', done: 0, total: args.texts.count, message });
    };
    let result;
    try {
      result = await engineFor(args.setup).embedCorpus(texts, args.request, {
        signal: context.signal,
        onProgress: (progress) => context.progress(progress),
      });
    } finally {
      reportLoading = undefined;
    }
    // The texts were transferred here; they go back with the vectors for the map stage.
    return transfer({ ...result, texts: args.texts }, [
      result.vectors.buffer,
      args.texts.bytes.buffer as ArrayBuffer,
    ]);
  },
  async embedQuery(args: { text: string }) {
    if (!engine) {
      throw new AtlasError('embed', 'no-corpus', 'There is no embedded corpus to search yet.', {
        hint: 'Embed a corpus first; queries use the same embedder.',
      });
    }
    const vector = await engine.embedQuery(args.text);
    return transfer(vector, [vector.buffer]);
  },
  /** Label phrases embedded as the last corpus was (its neural model), for ranking labels by meaning. */
  async embedPhrases(args: { phrases: string[] }, context: CallContext) {
    if (!engine) {
      throw new AtlasError('embed', 'no-corpus', 'There is no embedded corpus to label yet.', {
        hint: 'Embed a corpus first; its label phrases use the same model.',
      });
    }
    const vectors = await engine.embedPhrases(args.phrases, { signal: context.signal });
    return transfer(vectors, [vectors.buffer]);
  },
  async prepareQueries(
    args: {
      texts: PackedTexts;
      info: EmbedderInfo;
      setup: EmbedWorkerSetup;
      lexicalModel?: LexicalModel;
    },
    context: CallContext,
  ) {
    const texts = unpackTexts(args.texts);
    engineFor(args.setup).prepareQueries(texts, args.info, {
      signal: context.signal,
      ...(args.lexicalModel ? { lexicalModel: args.lexicalModel } : {}),
    });
  },
  /** Vectors of papers added to a lexical map, through the map's fitted model (nothing refitted). */
  async embedWithLexicalModel(args: {
    texts: PackedTexts;
    model: LexicalModel;
    setup: EmbedWorkerSetup;
  }) {
    const vectors = engineFor(args.setup).embedWithLexicalModel(
      unpackTexts(args.texts),
      args.model,
    );
    return transfer(vectors, [vectors.buffer]);
  },
  async cacheInfo() {
    return (await openCache()).info();
  },
  async clearCache() {
    await (await openCache()).clear();
  },
  /** Facts the page cannot see from outside: threads, isolation, WebGPU. For diagnostics and benchmarks. */
  async environment() {
    const gpu = await detectWebGpu();
    return {
      crossOriginIsolated: self.crossOriginIsolated,
      hardwareConcurrency: navigator.hardwareConcurrency,
      webgpu: gpu.available,
      shaderF16: gpu.shaderF16,
      wasmThreads: wasmThreads(),
    };
  },
};

export type EmbedWorkerApi = typeof embedApi;

exposeApi(embedApi, self);
