/**
 * The embedding engine behind the embed worker: picks the embedder and device, reads and writes the
 * vector cache, batches by token length, reports progress, honours cancellation between batches, and
 * carries a run over from WebGPU to WASM when the GPU fails — keeping every finished batch.
 *
 * DOM-free: in the worker it drives Transformers.js on WebGPU/WASM; in Node tests it drives
 * onnxruntime-node or a substitute embedder.
 */
import type { EmbedderInfo } from '../atlas-map.ts';
import { AtlasError, isCancelled, throwIfCancelled, toAtlasError } from '../../lib/errors.ts';
import { rateAndEta } from '../../lib/scheduling.ts';
import type { ComputeHelpers } from '../project/parallel.ts';
import type { RunOptions } from '../types.ts';
import { planBatches } from './batching.ts';
import {
  embedLexical,
  fitLexicalEmbedding,
  fitLexicalEmbeddingOnThreads,
  LEXICAL_MODEL_ID,
  type LexicalModel,
} from './lexical.ts';
import {
  assertDtype,
  chooseDtype,
  MAX_TOKENS,
  resolveModel,
  type EmbedDtype,
  type ModelSpec,
  type NeuralDevice,
} from './models.ts';
import type { BatchEmbedder } from './neural.ts';
import { VectorCache } from './vector-cache.ts';
import type { GpuSupport } from './webgpu.ts';

export const EMBEDDER_KINDS = ['auto', 'neural', 'lexical'] as const;

export interface EmbedRequest {
  /** `auto`: neural where a model loads, else lexical (with a notice). */
  embedder: (typeof EMBEDDER_KINDS)[number];
  model?: string;
  /** Forces a device; without it WebGPU is used where an adapter exists. */
  device?: 'webgpu' | 'wasm';
  dtype?: EmbedDtype;
  /** Texts per batch at most (default 32). */
  maxBatchSize?: number;
  /** Keep corpus order instead of sorting by length (benchmarks compare the two). */
  unsortedBatches?: boolean;
  /** Test only: destroy the WebGPU device after this many batches, to exercise the WASM carry-over. */
  debugLoseDeviceAfterBatches?: number;
  /**
   * Threads the lexical fit's matrix products run on, this one included (default: as many as the
   * environment's helpers give). The vectors are the same, bit for bit, on any number.
   */
  threads?: number;
}

export interface EmbedResult {
  /** Row-major `texts.length × dim`, L2-normalised. */
  vectors: Float32Array;
  dim: number;
  info: EmbedderInfo;
  /** Plain sentences for readers: fallbacks and why, device changes, cache problems. */
  notices: string[];
  /** Texts cut at MAX_TOKENS, among those embedded in this run (cached texts were counted before). */
  truncated: number;
  /** Vectors read from the cache instead of computed. */
  cached: number;
  /**
   * Set when the GPU failed mid-run: these texts' rows are still zero and must be embedded on the CPU in
   * a fresh runtime (`embedWithRecovery` does this). Every other row is final and cached.
   */
  unfinished?: { indices: Int32Array; reason: string };
  /** The lexical embedder's fitted model, kept with the map so new papers can join its space. */
  lexicalModel?: LexicalModel;
  /** Facts for benchmarks and tests. */
  stats: {
    computed: number;
    batches: number;
    paddingShare: number;
    /** Batches computed on each device in this run. */
    batchesByDevice: Partial<Record<NeuralDevice, number>>;
    seconds: number;
  };
}

/** What the engine needs from its surroundings: the browser worker and Node tests provide different ones. */
export interface EngineEnvironment {
  /** The CPU device: `wasm` in browsers, `cpu` (onnxruntime-node) in Node. */
  cpuDevice: 'wasm' | 'cpu';
  detectGpu(): Promise<GpuSupport>;
  loadEmbedder(spec: ModelSpec, device: NeuralDevice, dtype: EmbedDtype): Promise<BatchEmbedder>;
  openCache(): Promise<VectorCache>;
  /** Helper threads for a run on `threads` threads (undefined: the default), if there are any. */
  helpers?(threads: number | undefined): ComputeHelpers | undefined;
}

interface ProgressClock {
  started: number;
  total: number;
  /** Work done before the clock started (cached vectors), which does not count towards the rate. */
  free: number;
}

/** Label phrases are a few tokens each: large batches cost little padding. */
const PHRASES_PER_BATCH = 128;

export class EmbedEngine {
  private embedder: BatchEmbedder | undefined;
  private lexicalModel: LexicalModel | undefined;
  private lastNeural: { spec: ModelSpec; device: NeuralDevice; dtype: EmbedDtype } | undefined;
  private lastKind: 'neural' | 'lexical' | undefined;
  private cache: Promise<VectorCache> | undefined;

  constructor(private readonly environment: EngineEnvironment) {}

  async embedCorpus(
    texts: string[],
    request: EmbedRequest,
    options: RunOptions = {},
  ): Promise<EmbedResult> {
    if (!(EMBEDDER_KINDS as readonly string[]).includes(request.embedder)) {
      throw new AtlasError(
        'embed',
        'unknown-embedder',
        `"${request.embedder}" is not an embedder.`,
        {
          hint: `Valid values: ${EMBEDDER_KINDS.join(', ')}.`,
        },
      );
    }
    if (request.device !== undefined && !['webgpu', 'wasm'].includes(request.device)) {
      throw new AtlasError(
        'embed',
        'unknown-device',
        `"${String(request.device)}" is not a device.`,
        {
          hint: 'Valid values: webgpu, wasm.',
        },
      );
    }
    if (request.dtype !== undefined) assertDtype(request.dtype);
    if (texts.length === 0) {
      throw new AtlasError('embed', 'no-texts', 'There are no texts to embed.', {
        hint: 'Load a corpus with at least one paper.',
      });
    }
    if (request.embedder === 'lexical')
      return this.embedLexically(texts, [], options, request.threads);
    const spec = resolveModel(request.model);
    try {
      return await this.embedNeurally(texts, spec, request, options);
    } catch (error) {
      if (request.embedder !== 'auto' || isCancelled(error) || !(error instanceof AtlasError))
        throw error;
      if (error.code !== 'model-load-failed') throw error;
      const notice = `Using the lexical (TF-IDF) embedder instead of ${spec.id}, because the model could not be loaded: ${error.readerMessage}`;
      return this.embedLexically(texts, [notice], options, request.threads);
    }
  }

  /** Embeds a search query with the embedder that made the last corpus vectors. */
  async embedQuery(text: string): Promise<Float32Array> {
    if (this.lastKind === 'lexical' && this.lexicalModel)
      return embedLexical(this.lexicalModel, [text]);
    const { embedder, spec } = await this.lastNeuralEmbedder();
    return embedder.embed([`${spec.queryPrefix ?? ''}${text}`]);
  }

  /**
   * Embeds short phrases (label candidates) as documents, with the neural model that made the last
   * corpus vectors, so they are compared with the papers in one space.
   */
  async embedPhrases(phrases: string[], { signal }: RunOptions = {}): Promise<Float32Array> {
    const { embedder, spec } = await this.lastNeuralEmbedder();
    const vectors = new Float32Array(phrases.length * spec.dim);
    for (let start = 0; start < phrases.length; start += PHRASES_PER_BATCH) {
      throwIfCancelled(signal);
      const batch = phrases.slice(start, start + PHRASES_PER_BATCH);
      vectors.set(await embedder.embed(batch), start * spec.dim);
    }
    return vectors;
  }

  /** The neural embedder of the last corpus, loaded again if it was lost or replaced. */
  private async lastNeuralEmbedder(): Promise<{ embedder: BatchEmbedder; spec: ModelSpec }> {
    const last = this.lastNeural;
    if (this.lastKind !== 'neural' || !last) {
      throw new AtlasError('embed', 'no-corpus', 'There is no neurally embedded corpus yet.', {
        hint: 'Embed a corpus with a neural model first; its phrases and queries use the same model.',
      });
    }
    let embedder = this.embedder;
    if (
      !embedder ||
      embedder.lost ||
      embedder.spec.id !== last.spec.id ||
      embedder.dtype !== last.dtype
    ) {
      embedder = await this.loadWithFallback(last.spec, last.device, last.dtype, []);
    }
    return { embedder, spec: last.spec };
  }

  /**
   * Readies `embedQuery` for a map opened from a bundle, whose vectors were made elsewhere: the lexical
   * model is fitted again on the same texts (deterministic, so it is the model that made the vectors);
   * a neural model is loaded on first query.
   */
  prepareQueries(
    texts: string[],
    info: EmbedderInfo,
    options: RunOptions & { lexicalModel?: LexicalModel } = {},
  ): void {
    if (info.kind === 'lexical') {
      const { lexicalModel, ...run } = options;
      // A grown map's texts no longer fit the model that made its vectors: use the model it carries.
      this.lexicalModel =
        lexicalModel ?? fitLexicalEmbedding(texts, { ...run, dims: info.dim }).model;
      this.lastKind = 'lexical';
      return;
    }
    const dtype = info.dtype ?? 'fp32';
    assertDtype(dtype);
    this.lastNeural = { spec: resolveModel(info.model), device: this.environment.cpuDevice, dtype };
    this.lastKind = 'neural';
  }

  /**
   * Embeds papers added to a lexical map through its fitted model, refitting nothing, so they land in
   * the map's own space; later queries use that model too.
   */
  embedWithLexicalModel(texts: string[], model: LexicalModel): Float32Array {
    this.lexicalModel = model;
    this.lastKind = 'lexical';
    return embedLexical(model, texts);
  }

  async cacheInfo(): Promise<{ entries: number; bytes: number }> {
    return (await this.openCache()).info();
  }

  async clearCache(): Promise<void> {
    await (await this.openCache()).clear();
  }

  async dispose(): Promise<void> {
    await this.embedder?.dispose();
    this.embedder = undefined;
  }

  private openCache(): Promise<VectorCache> {
    this.cache ??= this.environment.openCache();
    return this.cache;
  }

  private async embedLexically(
    texts: string[],
    notices: string[],
    options: RunOptions,
    threads: number | undefined,
  ): Promise<EmbedResult> {
    const started = performance.now();
    const helpers = this.environment.helpers?.(threads);
    const { vectors, dim, model } = await fitLexicalEmbeddingOnThreads(texts, {
      ...options,
      helpers,
    });
    this.lexicalModel = model;
    this.lastKind = 'lexical';
    return {
      vectors,
      dim,
      info: { kind: 'lexical', model: LEXICAL_MODEL_ID, device: 'cpu', dim },
      lexicalModel: model,
      notices,
      truncated: 0,
      cached: 0,
      stats: {
        computed: texts.length,
        batches: 1,
        paddingShare: 0,
        batchesByDevice: {},
        seconds: (performance.now() - started) / 1000,
      },
    };
  }

  private async embedNeurally(
    texts: string[],
    spec: ModelSpec,
    request: EmbedRequest,
    { signal, onProgress }: RunOptions,
  ): Promise<EmbedResult> {
    const started = performance.now();
    const notices: string[] = [];
    const gpu =
      request.device === 'wasm'
        ? { available: false, shaderF16: false }
        : await this.environment.detectGpu();
    const softwareOnly = gpu.available && gpu.software === true && request.device !== 'webgpu';
    let device: NeuralDevice =
      gpu.available && !softwareOnly ? 'webgpu' : this.environment.cpuDevice;
    if (softwareOnly) {
      notices.push(
        'WebGPU here runs in software on the CPU, so the texts were embedded with WASM, which is faster (device=webgpu uses it anyway).',
      );
    }
    if (request.device === 'webgpu' && !gpu.available) {
      notices.push(
        'WebGPU is not available in this browser, so the texts were embedded on the CPU (WASM).',
      );
    }
    const choice = chooseDtype(spec, device, request.dtype, gpu.shaderF16);
    const dtype = choice.dtype;
    if (choice.notice) notices.push(choice.notice);

    const cache = await this.openCache();
    const space = `${spec.id}|${dtype}`;
    const keys = texts.map((text) => VectorCache.key(space, text));
    const hits = await cache.getMany(keys, spec.dim);
    const vectors = new Float32Array(texts.length * spec.dim);
    const missing: number[] = [];
    hits.forEach((hit, index) => (hit ? vectors.set(hit, index * spec.dim) : missing.push(index)));
    const cached = texts.length - missing.length;
    const clock: ProgressClock = { started: performance.now(), total: texts.length, free: cached };
    const report = (done: number, message?: string) =>
      onProgress?.(progressAt(clock, done, message));
    report(cached, cached > 0 ? `${cached} vectors from the cache` : undefined);

    const stats: EmbedResult['stats'] = {
      computed: missing.length,
      batches: 0,
      paddingShare: 0,
      batchesByDevice: {},
      seconds: 0,
    };
    let truncated = 0;
    let unfinishedRun: EmbedResult['unfinished'];
    if (missing.length > 0) {
      const embedder = await this.loadWithFallback(spec, device, dtype, notices);
      device = embedder.device;
      throwIfCancelled(signal);
      const missingTexts = missing.map((index) => texts[index]!);
      const counts = embedder.tokenCounts(missingTexts);
      const lengths = counts.map((count) => Math.min(count, MAX_TOKENS));
      truncated = counts.reduce((sum, count) => sum + (count > MAX_TOKENS ? 1 : 0), 0);
      const plan = planBatches(lengths, {
        sortByLength: !request.unsortedBatches,
        ...(request.maxBatchSize ? { maxBatchSize: request.maxBatchSize } : {}),
      });
      stats.batches = plan.batches.length;
      stats.paddingShare = plan.paddingShare;
      let done = cached;
      for (let b = 0; b < plan.batches.length; b++) {
        throwIfCancelled(signal);
        const batch = plan.batches[b]!;
        const batchTexts = Array.from(batch, (i) => missingTexts[i]!);
        let batchVectors: Float32Array;
        try {
          batchVectors = await embedder.embed(batchTexts);
          // A result that arrives after the device was lost may be garbage: it is not kept.
          if (embedder.lost) {
            throw new AtlasError('embed', 'device-lost', 'the WebGPU device was lost');
          }
        } catch (error) {
          if (embedder.device !== 'webgpu' || isCancelled(error))
            throw toAtlasError(error, 'embed');
          // ONNX Runtime's WASM module shares state with the lost GPU, so the rest cannot safely run in
          // this runtime: hand back what is finished and let the caller go on in a fresh one.
          this.embedder = undefined;
          await releaseLostEmbedder(embedder);
          const unfinishedBatches = plan.batches.slice(b);
          const unfinished = unfinishedBatches.flatMap((rest) =>
            Array.from(rest, (i) => missing[i]!),
          );
          // Those texts are counted again where they are finished.
          for (const rest of unfinishedBatches) {
            for (const i of rest) if (counts[i]! > MAX_TOKENS) truncated--;
          }
          unfinishedRun = { indices: Int32Array.from(unfinished).sort(), reason: describe(error) };
          break;
        }
        const rowKeys: string[] = [];
        batch.forEach((missingIndex, row) => {
          const textIndex = missing[missingIndex]!;
          vectors.set(
            batchVectors.subarray(row * spec.dim, (row + 1) * spec.dim),
            textIndex * spec.dim,
          );
          rowKeys.push(keys[textIndex]!);
        });
        stats.batchesByDevice[embedder.device] = (stats.batchesByDevice[embedder.device] ?? 0) + 1;
        await cache.putMany(rowKeys, batchVectors, spec.dim);
        done += batch.length;
        report(done);
        if (request.debugLoseDeviceAfterBatches === b + 1 && embedder.device === 'webgpu') {
          await embedder.loseDevice();
        }
      }
    }
    if (cache.disabledNotice) notices.push(cache.disabledNotice);
    this.lastNeural = { spec, device: unfinishedRun ? this.environment.cpuDevice : device, dtype };
    this.lastKind = 'neural';
    stats.seconds = (performance.now() - started) / 1000;
    if (unfinishedRun) stats.computed -= unfinishedRun.indices.length;
    return {
      vectors,
      dim: spec.dim,
      info: { kind: 'neural', model: spec.id, device, dtype, dim: spec.dim },
      notices,
      truncated,
      cached,
      stats,
      ...(unfinishedRun ? { unfinished: unfinishedRun } : {}),
    };
  }

  /** The loaded embedder when it matches, else a new one; WebGPU that fails to load falls back to the CPU. */
  private async loadWithFallback(
    spec: ModelSpec,
    device: NeuralDevice,
    dtype: EmbedDtype,
    notices: string[],
  ): Promise<BatchEmbedder> {
    const current = this.embedder;
    if (
      current &&
      !current.lost &&
      current.spec.id === spec.id &&
      current.device === device &&
      current.dtype === dtype
    ) {
      return current;
    }
    if (current) {
      this.embedder = undefined;
      await releaseLostEmbedder(current);
    }
    try {
      this.embedder = await this.environment.loadEmbedder(spec, device, dtype);
    } catch (error) {
      if (device !== 'webgpu') throw error;
      notices.push(
        `WebGPU could not run ${spec.id} (${describe(error)}), so the texts were embedded on the CPU (WASM).`,
      );
      this.embedder = await this.environment.loadEmbedder(spec, this.environment.cpuDevice, dtype);
    }
    return this.embedder;
  }
}

function progressAt(clock: ProgressClock, done: number, message?: string) {
  return {
    stage: 'embedding' as const,
    done,
    total: clock.total,
    ...rateAndEta(done, clock.total, clock.started, clock.free),
    ...(message ? { message } : {}),
  };
}

/**
 * Frees an embedder that is being replaced. On a lost GPU device its buffers are already gone and
 * releasing them may fail; that failure says nothing the device loss did not, so it is not raised.
 */
async function releaseLostEmbedder(embedder: BatchEmbedder): Promise<void> {
  try {
    await embedder.dispose();
  } catch (error) {
    if (!embedder.lost) throw error;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
