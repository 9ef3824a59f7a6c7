import { AtlasError } from '../../lib/errors.ts';

export type EmbedDtype = 'fp32' | 'fp16' | 'q8';
export type NeuralDevice = 'webgpu' | 'wasm' | 'cpu';
export const EMBED_DTYPES: readonly EmbedDtype[] = ['fp32', 'fp16', 'q8'];

/** A sentence-embedding model the app knows how to use: how it pools and what it needs for queries. */
export interface ModelSpec {
  id: string;
  label: string;
  /** The model card's own pooling: mean over tokens, or the [CLS] token. */
  pooling: 'mean' | 'cls';
  dim: number;
  /** Weight files published for the model, by Transformers.js dtype name. */
  dtypes: readonly EmbedDtype[];
  /** Text put before a search query (asymmetric retrieval models such as BGE). */
  queryPrefix?: string;
}

export const DEFAULT_MODEL_ID = 'Xenova/all-MiniLM-L6-v2';
/** The random-weight model of all-MiniLM-L6-v2's shape that `npm run models:test` generates. */
export const TEST_MODEL_ID = 'atlas-test/all-MiniLM-L6-v2-random';
/** Longest input in tokens, special tokens included; longer texts are truncated (and counted). */
export const MAX_TOKENS = 256;

export const MODEL_CATALOGUE: readonly ModelSpec[] = [
  {
    id: DEFAULT_MODEL_ID,
    label: 'all-MiniLM-L6-v2 (fast, general purpose)',
    pooling: 'mean',
    dim: 384,
    dtypes: ['fp32', 'fp16', 'q8'],
  },
  {
    id: 'Xenova/bge-small-en-v1.5',
    label: 'BGE small en v1.5 (retrieval-tuned)',
    pooling: 'cls',
    dim: 384,
    dtypes: ['fp32', 'fp16', 'q8'],
    queryPrefix: 'Represent this sentence for searching relevant passages: ',
  },
  {
    id: 'Xenova/gte-small',
    label: 'GTE small (general text embeddings)',
    pooling: 'mean',
    dim: 384,
    dtypes: ['fp32', 'fp16', 'q8'],
  },
  {
    id: TEST_MODEL_ID,
    label: 'all-MiniLM-L6-v2 shape with random weights (tests and benchmarks only)',
    pooling: 'mean',
    dim: 384,
    dtypes: ['fp32'],
  },
];

export function resolveModel(id: string = DEFAULT_MODEL_ID): ModelSpec {
  const spec = MODEL_CATALOGUE.find((model) => model.id === id);
  if (!spec) {
    throw new AtlasError('embed', 'unknown-model', `There is no embedding model called "${id}".`, {
      hint: `Valid models: ${MODEL_CATALOGUE.map((model) => model.id).join(', ')}.`,
    });
  }
  return spec;
}

export function assertDtype(dtype: string): asserts dtype is EmbedDtype {
  if (!(EMBED_DTYPES as readonly string[]).includes(dtype)) {
    throw new AtlasError('embed', 'unknown-dtype', `"${dtype}" is not a weight precision.`, {
      hint: `Valid values: ${EMBED_DTYPES.join(', ')}.`,
    });
  }
}

/**
 * The precision to run: the one asked for where the model has it and the device can run it, else the
 * best the device runs well (fp16 on WebGPU with shader-f16, fp32 on other GPUs, q8 on CPU/WASM).
 * Returns a notice when the request could not be honoured.
 */
export function chooseDtype(
  spec: ModelSpec,
  device: NeuralDevice,
  requested: EmbedDtype | undefined,
  hasShaderF16: boolean,
): { dtype: EmbedDtype; notice?: string } {
  const runnable = spec.dtypes.filter(
    (dtype) => dtype !== 'fp16' || device !== 'webgpu' || hasShaderF16,
  );
  if (requested && runnable.includes(requested)) return { dtype: requested };
  const preference: EmbedDtype[] =
    device === 'webgpu'
      ? hasShaderF16
        ? ['fp16', 'fp32', 'q8']
        : ['fp32', 'q8']
      : ['q8', 'fp32', 'fp16'];
  const dtype =
    preference.find((candidate) => runnable.includes(candidate)) ?? spec.dtypes[0] ?? 'fp32';
  if (!requested) return { dtype };
  const why =
    requested === 'fp16' && device === 'webgpu' && !hasShaderF16
      ? 'this GPU has no 16-bit float shaders (shader-f16)'
      : `${spec.id} has no ${requested} weights`;
  return { dtype, notice: `Embedding at ${dtype} instead of ${requested}, because ${why}.` };
}
