import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { inProcessHelpers } from '../project/in-process-helpers.ts';
import { describe, expect, it } from 'vitest';
import { AtlasError, CancelledError } from '../../../src/lib/errors.ts';
import { hashString } from '../../../src/lib/hash.ts';
import { EmbedEngine, type EngineEnvironment } from '../../../src/pipeline/embed/engine.ts';
import {
  TEST_MODEL_ID,
  type EmbedDtype,
  type ModelSpec,
  type NeuralDevice,
} from '../../../src/pipeline/embed/models.ts';
import type { BatchEmbedder } from '../../../src/pipeline/embed/neural.ts';
import { packTexts, unpackTexts } from '../../../src/lib/packed-papers.ts';
import { embedWithRecovery, type EmbedRun } from '../../../src/pipeline/embed/recovery.ts';
import { VectorCache } from '../../../src/pipeline/embed/vector-cache.ts';
import type { StageProgress } from '../../../src/pipeline/types.ts';

const DIM = 384;

/** A vector that depends only on the text, so results can be checked row by row. */
function expectedVector(text: string): Float32Array {
  const seed = parseInt(hashString(text), 16);
  const vector = Float32Array.from({ length: DIM }, (_, i) => Math.sin(seed + i));
  const norm = Math.hypot(...vector);
  return vector.map((value) => value / norm);
}

/** Records every text it embeds; on `webgpu` it can lose its device after some batches. */
class FakeEmbedder implements BatchEmbedder {
  readonly dim = DIM;
  lost = false;
  embedded: string[] = [];
  batches = 0;
  constructor(
    readonly spec: ModelSpec,
    readonly device: NeuralDevice,
    readonly dtype: EmbedDtype,
    private readonly onBatch: (embedder: FakeEmbedder) => void = () => {},
    private readonly loseWhileComputingBatch = 0,
  ) {}
  tokenCounts(texts: string[]): Int32Array {
    return Int32Array.from(texts, (text) => text.split(' ').length + 2);
  }
  async embed(texts: string[]): Promise<Float32Array> {
    this.onBatch(this);
    if (this.lost) throw new Error('GPUDevice was lost');
    this.batches++;
    this.embedded.push(...texts);
    const out = new Float32Array(texts.length * DIM);
    texts.forEach((text, row) => out.set(expectedVector(text), row * DIM));
    if (this.device === 'webgpu' && this.batches === this.loseWhileComputingBatch) this.lost = true;
    return out;
  }
  async loseDevice(): Promise<void> {
    this.lost = true;
  }
  async dispose(): Promise<void> {}
}

interface Setup {
  gpu?: boolean;
  /** The adapter is a software emulation (SwiftShader and the like). */
  softwareGpu?: boolean;
  failLoad?: (device: NeuralDevice) => boolean;
  onBatch?: (embedder: FakeEmbedder) => void;
  factory?: IDBFactory;
  loseWhileComputingBatch?: number;
}

function setUp({
  gpu = false,
  softwareGpu = false,
  failLoad = () => false,
  onBatch,
  factory = new IDBFactory(),
  loseWhileComputingBatch = 0,
}: Setup = {}) {
  const loaded: FakeEmbedder[] = [];
  const environment: EngineEnvironment = {
    cpuDevice: 'wasm',
    detectGpu: async () => ({ available: gpu, shaderF16: false, software: softwareGpu }),
    loadEmbedder: async (spec, device, dtype) => {
      if (failLoad(device)) {
        throw new AtlasError('embed', 'model-load-failed', `No model files for ${spec.id}.`);
      }
      const embedder = new FakeEmbedder(spec, device, dtype, onBatch, loseWhileComputingBatch);
      loaded.push(embedder);
      return embedder;
    },
    openCache: () => VectorCache.open(factory),
  };
  let restarted = new EmbedEngine(environment);
  /** Like the service: a GPU failure part-way is finished on WASM by a fresh engine (a new worker). */
  const embedRecovering: EmbedRun = (all, request, options) =>
    embedWithRecovery(
      async (t, r, o) => ({ ...(await restarted.embedCorpus(unpackTexts(t), r, o)), texts: t }),
      () => {
        restarted = new EmbedEngine(environment);
      },
      all,
      request,
      options,
    );
  return { engine: new EmbedEngine(environment), loaded, embedRecovering };
}

const texts = Array.from({ length: 100 }, (_, i) => `paper ${i} ${'word '.repeat(i % 17)}`.trim());
const neural = { embedder: 'neural', model: TEST_MODEL_ID } as const;

function expectRowsMatch(vectors: Float32Array, all: string[]): void {
  all.forEach((text, row) => {
    expect(Array.from(vectors.subarray(row * DIM, (row + 1) * DIM))).toEqual(
      Array.from(expectedVector(text)),
    );
  });
}

describe('EmbedEngine', () => {
  it('embeds every text once, in corpus order, with progress up to the total', async () => {
    const { engine, loaded } = setUp();
    const progress: StageProgress[] = [];
    const result = await engine.embedCorpus(texts, neural, { onProgress: (p) => progress.push(p) });
    expectRowsMatch(result.vectors, texts);
    expect(result.info).toEqual({
      kind: 'neural',
      model: TEST_MODEL_ID,
      device: 'wasm',
      dtype: 'fp32',
      dim: DIM,
    });
    expect(loaded[0]!.embedded.sort()).toEqual([...texts].sort());
    expect(result.cached).toBe(0);
    const last = progress.at(-1)!;
    expect(last).toMatchObject({ stage: 'embedding', done: 100, total: 100 });
    expect(progress.every((p, i) => i === 0 || p.done >= progress[i - 1]!.done)).toBe(true);
    expect(progress.some((p) => p.rate! > 0 && p.etaSeconds !== undefined)).toBe(true);
    const unsorted = await setUp().engine.embedCorpus(texts, { ...neural, unsortedBatches: true });
    expectRowsMatch(unsorted.vectors, texts);
    expect(result.stats.paddingShare).toBeLessThan(unsorted.stats.paddingShare / 2);
  });

  it('reads cached vectors: reopening computes nothing, ten new papers compute ten', async () => {
    const factory = new IDBFactory();
    const first = setUp({ factory });
    await first.engine.embedCorpus(texts, neural);
    const reopened = setUp({ factory });
    const again = await reopened.engine.embedCorpus(texts, neural);
    expect(again.cached).toBe(100);
    expect(reopened.loaded).toHaveLength(0);
    expectRowsMatch(again.vectors, texts);
    const grown = [...texts, ...Array.from({ length: 10 }, (_, i) => `new paper ${i}`)];
    const more = await reopened.engine.embedCorpus(grown, neural);
    expect(more.cached).toBe(100);
    expect(reopened.loaded[0]!.embedded).toHaveLength(10);
    expectRowsMatch(more.vectors, grown);
    expect(await reopened.engine.cacheInfo()).toMatchObject({ entries: 110 });
    await reopened.engine.clearCache();
    expect(await reopened.engine.cacheInfo()).toEqual({ entries: 0, bytes: 0 });
  });

  it('carries on on WASM from the last finished batch when WebGPU is lost mid-run', async () => {
    const request = { ...neural, maxBatchSize: 10, debugLoseDeviceAfterBatches: 3 };
    const partial = await setUp({ gpu: true }).engine.embedCorpus(texts, request);
    expect(partial.unfinished!.indices).toHaveLength(70);
    expect(partial.stats.computed).toBe(30);
    const { loaded, embedRecovering } = setUp({ gpu: true });
    const progress: StageProgress[] = [];
    const result = await embedRecovering(packTexts(texts), request, {
      onProgress: (p) => progress.push(p),
    });
    expect(progress.at(-1)).toMatchObject({ done: 100, total: 100 });
    const [gpu, cpu] = loaded;
    expect(gpu!.device).toBe('webgpu');
    expect(cpu!.device).toBe('wasm');
    expect(gpu!.embedded).toHaveLength(30);
    expect(cpu!.embedded).toHaveLength(70);
    expect(new Set([...gpu!.embedded, ...cpu!.embedded]).size).toBe(100);
    expectRowsMatch(result.vectors, texts);
    expect(result.info.device).toBe('wasm');
    expect(result.stats.batchesByDevice).toEqual({ webgpu: 3, wasm: 7 });
    expect(result.stats.computed).toBe(100);
    expect(result.unfinished).toBeUndefined();
    expect(result.notices.join(' ')).toMatch(
      /WebGPU stopped working after 30 of 100 texts.*keeping the 30 vectors/,
    );
  });

  it('does not keep a batch that finished after the device was lost', async () => {
    const { loaded, embedRecovering } = setUp({ gpu: true, loseWhileComputingBatch: 2 });
    const result = await embedRecovering(packTexts(texts), { ...neural, maxBatchSize: 10 });
    const [gpu, cpu] = loaded;
    // The second GPU batch ran but its device was gone by the time it returned: WASM redoes it.
    expect(gpu!.batches).toBe(2);
    expect(cpu!.embedded).toHaveLength(90);
    expect(result.stats.batchesByDevice).toEqual({ webgpu: 1, wasm: 9 });
    expectRowsMatch(result.vectors, texts);
  });

  it('falls back from WebGPU to WASM when the model cannot load on the GPU', async () => {
    const { engine, loaded } = setUp({ gpu: true, failLoad: (device) => device === 'webgpu' });
    const result = await engine.embedCorpus(texts.slice(0, 5), neural);
    expect(loaded.map((e) => e.device)).toEqual(['wasm']);
    expect(result.info.device).toBe('wasm');
    expect(result.notices.join(' ')).toMatch(/WebGPU could not run/);
  });

  it('embeds with WASM where WebGPU is a software emulation, unless WebGPU is asked for', async () => {
    const chosen = setUp({ gpu: true, softwareGpu: true });
    const result = await chosen.engine.embedCorpus(texts.slice(0, 5), neural);
    expect(result.info.device).toBe('wasm');
    expect(result.notices.join(' ')).toMatch(/runs in software/);
    const forced = setUp({ gpu: true, softwareGpu: true });
    const onGpu = await forced.engine.embedCorpus(texts.slice(0, 5), {
      ...neural,
      device: 'webgpu',
    });
    expect(onGpu.info.device).toBe('webgpu');
    expect(onGpu.notices).toEqual([]);
  });

  it('falls back to the lexical embedder, with a notice, when no model loads (auto)', async () => {
    const { engine } = setUp({ failLoad: () => true });
    const result = await engine.embedCorpus(texts, { ...neural, embedder: 'auto' });
    expect(result.info.kind).toBe('lexical');
    expect(result.info.model).toBe('tfidf-svd');
    expect(result.notices.join(' ')).toMatch(
      /lexical \(TF-IDF\) embedder instead of .*could not be loaded/,
    );
    const query = await engine.embedQuery('paper 3');
    expect(query.length).toBe(result.dim);
  });

  it('fails plainly when the neural embedder is required and no model loads', async () => {
    const { engine } = setUp({ failLoad: () => true });
    await expect(engine.embedCorpus(texts, neural)).rejects.toMatchObject({
      code: 'model-load-failed',
    });
  });

  it('stops within one batch when cancelled', async () => {
    const controller = new AbortController();
    const { engine, loaded } = setUp({
      onBatch: (embedder) => {
        if (embedder.batches === 1) controller.abort();
      },
    });
    await expect(
      engine.embedCorpus(texts, { ...neural, maxBatchSize: 10 }, { signal: controller.signal }),
    ).rejects.toBeInstanceOf(CancelledError);
    expect(loaded[0]!.batches).toBe(2);
  });

  it('embeds label phrases with the neural model that made the corpus vectors, in order', async () => {
    const { engine, loaded } = setUp();
    await expect(engine.embedPhrases(['x'])).rejects.toMatchObject({ code: 'no-corpus' });
    await engine.embedCorpus(texts.slice(0, 3), neural);
    const phrases = Array.from({ length: 300 }, (_, i) => `phrase ${i}`);
    const vectors = await engine.embedPhrases(phrases);
    const dim = vectors.length / phrases.length;
    for (const index of [0, 127, 128, 299]) {
      expect(Array.from(vectors.subarray(index * dim, (index + 1) * dim))).toEqual(
        Array.from(expectedVector(phrases[index]!)),
      );
    }
    expect(loaded).toHaveLength(1);
  });

  it('embeds no label phrases for a lexical corpus', async () => {
    const { engine } = setUp();
    await engine.embedCorpus(texts, { ...neural, embedder: 'lexical' });
    await expect(engine.embedPhrases(['x'])).rejects.toMatchObject({ code: 'no-corpus' });
  });

  it('embeds queries with the model that made the corpus vectors, prefix included', async () => {
    const { engine, loaded } = setUp();
    await expect(engine.embedQuery('x')).rejects.toMatchObject({ code: 'no-corpus' });
    await engine.embedCorpus(texts.slice(0, 3), neural);
    const query = await engine.embedQuery('dark matter');
    expect(Array.from(query)).toEqual(Array.from(expectedVector('dark matter')));
    expect(loaded).toHaveLength(1);
  });

  it('fits a lexical corpus on the helper threads the environment gives for the run, to the same vectors', async () => {
    const corpus = texts.map((text, i) => `${text} topic${i % 5} graph${i % 3}`);
    const alone = await setUp().engine.embedCorpus(corpus, { embedder: 'lexical', threads: 1 });
    const asked: (number | undefined)[] = [];
    const helpers = inProcessHelpers(1);
    const engine = new EmbedEngine({
      cpuDevice: 'wasm',
      detectGpu: async () => ({ available: false, shaderF16: false, software: false }),
      loadEmbedder: () => Promise.reject(new Error('no model here')),
      openCache: () => VectorCache.open(new IDBFactory()),
      helpers: (threads) => {
        asked.push(threads);
        return threads === 1 ? undefined : helpers;
      },
    });
    const shared = await engine.embedCorpus(corpus, { embedder: 'lexical' });
    expect(asked).toEqual([undefined]);
    expect(helpers.calls).toContain('sparseShare');
    expect(Array.from(shared.vectors)).toEqual(Array.from(alone.vectors));
  });

  it("embeds added papers and later queries through a lexical map's own model, refitting nothing", async () => {
    const { engine } = setUp();
    const corpus = texts.map((text, i) => `${text} topic${i % 5} graph${i % 3}`);
    const fitted = await engine.embedCorpus(corpus, { embedder: 'lexical' });
    const model = fitted.lexicalModel!;
    expect(model.dim).toBe(fitted.dim);
    // The first corpus row through the model is that row's own vector: the same space.
    const again = engine.embedWithLexicalModel([corpus[0]!], model);
    expect(again).toEqual(fitted.vectors.subarray(0, fitted.dim));

    // A grown map's texts would fit another model; prepareQueries keeps the one it is handed.
    const other = setUp().engine;
    other.prepareQueries(['unrelated words only', 'nothing in common'], fitted.info, {
      lexicalModel: model,
    });
    expect(await other.embedQuery('topic1 graph2')).toEqual(
      engine.embedWithLexicalModel(['topic1 graph2'], model),
    );
  });

  it('rejects unknown embedders, models, devices and dtypes, naming the valid values', async () => {
    const { engine } = setUp();
    const hint = (pattern: RegExp) => ({ hint: expect.stringMatching(pattern) });
    await expect(engine.embedCorpus(texts, { embedder: 'magic' as never })).rejects.toMatchObject(
      hint(/auto, neural, lexical/),
    );
    await expect(
      engine.embedCorpus(texts, { embedder: 'neural', model: 'nope' }),
    ).rejects.toMatchObject({
      hint: expect.stringContaining('Xenova/all-MiniLM-L6-v2'),
    });
    await expect(
      engine.embedCorpus(texts, { ...neural, device: 'tpu' as never }),
    ).rejects.toMatchObject(hint(/webgpu, wasm/));
    await expect(
      engine.embedCorpus(texts, { ...neural, dtype: 'int4' as never }),
    ).rejects.toMatchObject(hint(/fp32, fp16, q8/));
    await expect(engine.embedCorpus([], neural)).rejects.toMatchObject({ code: 'no-texts' });
  });
});
