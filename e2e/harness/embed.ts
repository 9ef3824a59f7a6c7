/**
 * Test and benchmark page for the embedding engine: drives `EmbeddingService` (and so the real embed
 * worker) from Playwright through `window.embedHarness`. `?models=<url>` points at another model folder.
 */
import { EmbeddingService, type EmbedRequest } from '../../src/app/embedding-service.ts';
import type { StageProgress } from '../../src/pipeline/types.ts';

export interface HarnessRun {
  /** Plain numbers, so the result crosses into Playwright as JSON. */
  vectors: number[];
  dim: number;
  info: Awaited<ReturnType<EmbeddingService['embedCorpus']>>['info'];
  notices: string[];
  truncated: number;
  cached: number;
  stats: Awaited<ReturnType<EmbeddingService['embedCorpus']>>['stats'];
  progress: StageProgress[];
  milliseconds: number;
}

export interface HarnessOptions {
  /** Abort once this many texts are done (to test cancellation). */
  abortAfterDone?: number;
  /** Leave the vectors out of the reply (benchmarks on many texts). */
  omitVectors?: boolean;
}

const params = new URLSearchParams(location.search);
const service = new EmbeddingService({
  ...(params.get('models') ? { modelBaseUrl: params.get('models')! } : {}),
  allowRemoteModels: false,
});

const harness = {
  async embed(
    texts: string[],
    request: EmbedRequest,
    options: HarnessOptions = {},
  ): Promise<HarnessRun> {
    const controller = new AbortController();
    const progress: StageProgress[] = [];
    const started = performance.now();
    const result = await service.embedCorpus(texts, request, {
      signal: controller.signal,
      onProgress: (event) => {
        progress.push({ ...event, snapshot: undefined });
        if (options.abortAfterDone !== undefined && event.done >= options.abortAfterDone)
          controller.abort();
      },
    });
    return {
      vectors: options.omitVectors ? [] : Array.from(result.vectors),
      dim: result.dim,
      info: result.info,
      notices: result.notices,
      truncated: result.truncated,
      cached: result.cached,
      stats: result.stats,
      progress,
      milliseconds: performance.now() - started,
    };
  },
  /** Runs and reports how it ended: the error's name and message when it failed. */
  async embedExpectingFailure(
    texts: string[],
    request: EmbedRequest,
    options: HarnessOptions = {},
  ) {
    try {
      await harness.embed(texts, request, options);
      return { failed: false, name: '', message: '' };
    } catch (error) {
      const failure = error as Error;
      return { failed: true, name: failure.name, message: failure.message };
    }
  },
  async embedQuery(text: string): Promise<number[]> {
    return Array.from(await service.embedQuery(text));
  },
  cacheInfo: () => service.cacheInfo(),
  clearCache: () => service.clearCache(),
  environment: () => service.environment(),
};

declare global {
  interface Window {
    embedHarness: typeof harness;
  }
}

window.embedHarness = harness;
document.querySelector('#status')!.textContent = 'ready';
document.body.dataset['ready'] = 'true';
