/**
 * The neural embedder: a Transformers.js feature-extraction pipeline run batch by batch, with the model's
 * own pooling (mean or [CLS]) and L2 normalisation, texts truncated at MAX_TOKENS. Runs wherever
 * Transformers.js runs: in the embed worker (WebGPU or WASM) and in Node (onnxruntime-node, for tests and
 * benchmarks). Never on the main thread.
 */
import type { FeatureExtractionPipeline, Tensor } from '@huggingface/transformers';
import { AtlasError } from '../../lib/errors.ts';
import { MAX_TOKENS, type EmbedDtype, type ModelSpec, type NeuralDevice } from './models.ts';
import type { GpuDeviceLike } from './webgpu.ts';

/** What the engine needs from an embedder; tests substitute their own. */
export interface BatchEmbedder {
  readonly spec: ModelSpec;
  readonly device: NeuralDevice;
  readonly dtype: EmbedDtype;
  readonly dim: number;
  /** True once the GPU device behind this embedder is gone: its later results cannot be trusted. */
  readonly lost: boolean;
  /** Token counts, special tokens included, before truncation. */
  tokenCounts(texts: string[]): Int32Array;
  /** Row-major `texts.length × dim`, each row L2-normalised. */
  embed(texts: string[]): Promise<Float32Array>;
  /** Test hook: destroys the GPU device, as a driver reset or a lost GPU would. */
  loseDevice(): Promise<void>;
  dispose(): Promise<void>;
}

export interface TransformersSetup {
  /** Where `<model id>/config.json` etc. are looked up first: a URL in browsers, a folder in Node. */
  modelBaseUrl: string;
  allowRemoteModels: boolean;
  /** ONNX Runtime's own runtime files, self-hosted (browsers only). */
  ortWasmPaths?: { mjs: string; wasm: string };
  /** WASM threads; more than 1 needs cross-origin isolation. */
  wasmThreads?: number;
  /** onnxruntime-node intra-op threads (Node only), e.g. to match the browser's thread count. */
  cpuThreads?: number;
  onLoadProgress?: (message: string) => void;
}

type Transformers = typeof import('@huggingface/transformers');

let transformersModule: Promise<Transformers> | undefined;

/** Loads Transformers.js on first use, so the lexical embedder never pays for it. */
async function loadTransformers(setup: TransformersSetup): Promise<Transformers> {
  transformersModule ??= import('@huggingface/transformers');
  const transformers = await transformersModule;
  const { env } = transformers;
  env.localModelPath = setup.modelBaseUrl.endsWith('/')
    ? setup.modelBaseUrl
    : `${setup.modelBaseUrl}/`;
  env.allowLocalModels = true;
  env.allowRemoteModels = setup.allowRemoteModels;
  const wasm = env.backends.onnx.wasm;
  if (wasm) {
    if (setup.ortWasmPaths) wasm.wasmPaths = { ...setup.ortWasmPaths };
    if (setup.wasmThreads !== undefined) wasm.numThreads = setup.wasmThreads;
  }
  return transformers;
}

export class TransformersEmbedder implements BatchEmbedder {
  readonly dim: number;
  private deviceLost = false;
  private gpuDevice: GpuDeviceLike | undefined;

  private constructor(
    readonly spec: ModelSpec,
    readonly device: NeuralDevice,
    readonly dtype: EmbedDtype,
    private readonly extractor: FeatureExtractionPipeline,
    private readonly transformers: Transformers,
  ) {
    this.dim = spec.dim;
  }

  static async load(
    spec: ModelSpec,
    device: NeuralDevice,
    dtype: EmbedDtype,
    setup: TransformersSetup,
  ): Promise<TransformersEmbedder> {
    const transformers = await loadTransformers(setup);
    let extractor: FeatureExtractionPipeline;
    try {
      extractor = await transformers.pipeline('feature-extraction', spec.id, {
        device,
        dtype,
        ...(device === 'cpu' && setup.cpuThreads
          ? { session_options: { intraOpNumThreads: setup.cpuThreads, interOpNumThreads: 1 } }
          : {}),
        progress_callback: (info) => {
          if (info.status === 'progress' && setup.onLoadProgress) {
            setup.onLoadProgress(`Loading ${info.file}: ${Math.round(info.progress)}%`);
          }
        },
      });
    } catch (cause) {
      throw new AtlasError(
        'embed',
        'model-load-failed',
        `The embedding model ${spec.id} (${dtype}) could not be loaded on ${device}: ${cause instanceof Error ? cause.message : String(cause)}`,
        {
          hint: setup.allowRemoteModels
            ? `Put the model files under ${setup.modelBaseUrl}${spec.id}/ (npm run models) or check the network connection to the Hugging Face hub.`
            : `Put the model files under ${setup.modelBaseUrl}${spec.id}/ (npm run models).`,
          cause,
        },
      );
    }
    const embedder = new TransformersEmbedder(spec, device, dtype, extractor, transformers);
    if (device === 'webgpu') await embedder.watchGpuDevice();
    return embedder;
  }

  get lost(): boolean {
    return this.deviceLost;
  }

  tokenCounts(texts: string[]): Int32Array {
    const tokenizer = this.extractor.tokenizer;
    return Int32Array.from(texts, (text) => tokenizer.encode(text).length);
  }

  async embed(texts: string[]): Promise<Float32Array> {
    const { tokenizer, model } = this.extractor;
    const inputs = tokenizer(texts, { padding: true, truncation: true, max_length: MAX_TOKENS });
    const outputs = (await model(inputs)) as { last_hidden_state: Tensor };
    const hidden = outputs.last_hidden_state;
    const pooled =
      this.spec.pooling === 'mean'
        ? this.transformers.mean_pooling(hidden, inputs.attention_mask as Tensor)
        : hidden.slice(null, 0);
    const normalised = pooled.normalize(2, -1);
    const asFloat32 = normalised.type === 'float32' ? normalised : normalised.to('float32');
    const data = Float32Array.from(asFloat32.data as Float32Array);
    for (const tensor of new Set([hidden, pooled, normalised, asFloat32])) tensor.dispose();
    if (data.length !== texts.length * this.dim) {
      throw new AtlasError(
        'embed',
        'unexpected-output',
        `${this.spec.id} returned ${data.length / Math.max(texts.length, 1)} numbers per text; ${this.dim} were expected.`,
      );
    }
    return data;
  }

  async loseDevice(): Promise<void> {
    if (!this.gpuDevice) {
      throw new AtlasError(
        'embed',
        'no-gpu-device',
        'There is no WebGPU device to lose: this run is not on WebGPU.',
      );
    }
    this.gpuDevice.destroy();
    await this.gpuDevice.lost;
  }

  async dispose(): Promise<void> {
    await this.extractor.dispose();
  }

  /** ONNX Runtime creates the GPU device; listen for its loss so no result computed after it is kept. */
  private async watchGpuDevice(): Promise<void> {
    const webgpu = this.transformers.env.backends.onnx.webgpu;
    const device = webgpu
      ? ((await webgpu.device) as unknown as GpuDeviceLike | undefined)
      : undefined;
    if (!device) return;
    this.gpuDevice = device;
    void device.lost.then(() => {
      this.deviceLost = true;
    });
  }
}
