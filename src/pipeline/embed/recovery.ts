/**
 * Carrying a run over from a failed GPU to the CPU. When WebGPU fails mid-run the engine hands back
 * every finished vector and the list of texts still to do; those are embedded on WASM in a fresh
 * runtime (a new worker), because the old one shares state with the lost device. Nothing finished is
 * computed twice, and the reader is told.
 */
import { AtlasError } from '../../lib/errors.ts';
import { packTexts, unpackTexts, type PackedTexts } from '../../lib/packed-papers.ts';
import type { RunOptions } from '../types.ts';
import type { EmbedRequest, EmbedResult } from './engine.ts';

/** A run's result with its texts, handed back by the worker they were transferred to. */
export type CorpusEmbedding = EmbedResult & { texts: PackedTexts };

export type EmbedRun = (
  texts: PackedTexts,
  request: EmbedRequest,
  options?: RunOptions,
) => Promise<CorpusEmbedding>;

/** Runs `run`; if the GPU failed part-way, restarts the runtime and finishes the rest on WASM. */
export async function embedWithRecovery(
  run: EmbedRun,
  restartRuntime: () => void | Promise<void>,
  texts: PackedTexts,
  request: EmbedRequest,
  options: RunOptions = {},
): Promise<CorpusEmbedding> {
  const first = await run(texts, request, options);
  if (!first.unfinished) return first;
  const { indices, reason } = first.unfinished;
  const finished = texts.count - indices.length;
  await restartRuntime();
  const { debugLoseDeviceAfterBatches: _ignored, ...rest } = request;
  const all = unpackTexts(first.texts);
  const second = await run(
    packTexts(Array.from(indices, (index) => all[index]!)),
    { ...rest, device: 'wasm', ...(first.info.dtype ? { dtype: first.info.dtype } : {}) },
    {
      ...(options.signal ? { signal: options.signal } : {}),
      onProgress: (progress) =>
        options.onProgress?.({ ...progress, done: progress.done + finished, total: texts.count }),
    },
  );
  if (second.unfinished) {
    throw new AtlasError(
      'embed',
      'cpu-failed',
      'Embedding failed on the CPU after WebGPU stopped.',
      {
        hint: 'Reload the page and try again with ?device=wasm.',
      },
    );
  }
  const vectors = first.vectors;
  indices.forEach((index, row) =>
    vectors.set(second.vectors.subarray(row * first.dim, (row + 1) * first.dim), index * first.dim),
  );
  const batchesByDevice = { ...first.stats.batchesByDevice };
  for (const [device, count] of Object.entries(second.stats.batchesByDevice)) {
    const key = device as keyof typeof batchesByDevice;
    batchesByDevice[key] = (batchesByDevice[key] ?? 0) + count;
  }
  return {
    texts: first.texts,
    vectors,
    dim: first.dim,
    info: second.info,
    notices: [
      ...first.notices,
      `WebGPU stopped working after ${finished} of ${texts.count} texts (${reason}); the rest were embedded on the CPU (WASM), keeping the ${finished} vectors already computed.`,
      ...second.notices.filter((notice) => !first.notices.includes(notice)),
    ],
    truncated: first.truncated + second.truncated,
    cached: first.cached + second.cached,
    stats: {
      computed: first.stats.computed + second.stats.computed,
      batches: first.stats.batches + second.stats.batches,
      paddingShare: first.stats.paddingShare,
      batchesByDevice,
      seconds: first.stats.seconds + second.stats.seconds,
    },
  };
}
