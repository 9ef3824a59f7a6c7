/**
 * Embedding on the publisher's or developer's machine: the app's own embed engine and neural embedder
 * (Transformers.js, length-sorted batches, the model's pooling, L2 normalisation) on native
 * onnxruntime-node with every core, so its vectors are the ones the browser computes for the same model.
 * Progress, rate and ETA go to the terminal.
 */
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { EmbedEngine, type EmbedResult } from '../src/pipeline/embed/engine.ts';
import type { EmbedDtype } from '../src/pipeline/embed/models.ts';
import { TransformersEmbedder } from '../src/pipeline/embed/neural.ts';
import { VectorCache } from '../src/pipeline/embed/vector-cache.ts';
import type { StageProgress } from '../src/pipeline/types.ts';

export const MODELS_DIR = join(resolve(import.meta.dirname, '..'), 'models');

/** Writes one self-overwriting progress line on a terminal (a line per 10% elsewhere). */
export function terminalProgress(label: string): (progress: StageProgress) => void {
  let lastDecile = -1;
  return ({ done, total, rate, etaSeconds }) => {
    const share = total > 0 ? done / total : 0;
    const line =
      `${label}: ${done}/${total} (${(share * 100).toFixed(0)}%)` +
      (rate ? `, ${rate.toFixed(1)} docs/s` : '') +
      (etaSeconds !== undefined && Number.isFinite(etaSeconds)
        ? `, ${Math.ceil(etaSeconds)} s left`
        : '');
    if (process.stdout.isTTY) {
      process.stdout.write(`\r${line}\x1b[K${done === total ? '\n' : ''}`);
    } else if (Math.floor(share * 10) > lastDecile) {
      lastDecile = Math.floor(share * 10);
      console.log(line);
    }
  };
}

/** Embeds `texts` with `model` at `dtype` on onnxruntime-node, all cores, nothing cached. */
export async function embedNative(
  texts: string[],
  model: string,
  dtype: EmbedDtype,
  onProgress?: (progress: StageProgress) => void,
): Promise<EmbedResult> {
  const setup = {
    modelBaseUrl: MODELS_DIR,
    allowRemoteModels: false,
    cpuThreads: availableParallelism(),
  };
  const engine = new EmbedEngine({
    cpuDevice: 'cpu',
    detectGpu: async () => ({ available: false, shaderF16: false }),
    loadEmbedder: (spec, device, precision) =>
      TransformersEmbedder.load(spec, device, precision, setup),
    openCache: () => VectorCache.open(null),
  });
  try {
    return await engine.embedCorpus(
      texts,
      { embedder: 'neural', model, dtype },
      onProgress ? { onProgress } : {},
    );
  } finally {
    await engine.dispose();
  }
}
