import { Task, TaskStatus } from '@lit/task';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { isCancelled } from '../lib/errors.ts';
import { unpackPapers, type PackedTexts } from '../lib/packed-papers.ts';
import { nextTask } from '../lib/scheduling.ts';
import type { AtlasMap } from '../pipeline/atlas-map.ts';
import { MAX_CORPUS_BYTES } from '../pipeline/ingest/index.ts';
import type { AtlasStatus, StageProgress } from '../pipeline/types.ts';
import { readCorpusSource, type CorpusSource } from './corpus-source.ts';
import { EmbeddingService, type EmbedRequest } from './embedding-service.ts';
import { createIngestClient, createMapClient } from './workers.ts';

/** What a finished run puts on screen. */
interface RunResult {
  map: AtlasMap;
  /** The map's texts, packed, for readying semantic search. */
  texts: PackedTexts;
  /** Whether the embed worker holds the embedder that made the map (it just embedded the corpus). */
  queriesReady: boolean;
}

/**
 * Runs the pipeline for the app: one Lit Task whose run is the whole chain (load, parse, embed, map)
 * under one abort signal. The task's state gives `status`, `running` and `lastError`; the stage within a
 * run comes from the chain's own progress. What is on screen (`map`) changes only when a run completes,
 * so a failed or cancelled run leaves the current map in place; a new run aborts the one in progress.
 */
export class PipelineController implements ReactiveController {
  map: AtlasMap | undefined;
  progress: StageProgress | undefined;
  notices: string[] = [];
  readonly embedding: EmbeddingService;
  private stage: AtlasStatus = 'loading';
  /** The map whose embedder the embed worker holds, ready to embed search queries. */
  private queriesReadyFor: AtlasMap | undefined;
  /** The current map's texts, packed, for readying semantic search on a map opened from a bundle. */
  private mapTexts: PackedTexts | undefined;
  private readonly ingest = createIngestClient();
  private readonly mapWorker = createMapClient();
  private readonly runTask: Task<[CorpusSource, EmbedRequest], RunResult>;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly baseUrl: string,
  ) {
    host.addController(this);
    this.embedding = new EmbeddingService({ modelBaseUrl: `${baseUrl}models/` });
    this.runTask = new Task(host, {
      autoRun: false,
      task: ([source, request], { signal }) => this.runChain(source, request, signal),
      onComplete: (result) => {
        this.map = result.map;
        this.mapTexts = result.texts;
        this.queriesReadyFor = result.queriesReady ? result.map : undefined;
      },
    });
  }

  hostDisconnected(): void {
    this.cancel();
    this.ingest.terminate();
    this.mapWorker.terminate();
  }

  /** True from the start of a run to its end. */
  get running(): boolean {
    return this.runTask.status === TaskStatus.PENDING;
  }

  /** The error that ended the last run, unless it was cancelled. */
  get lastError(): Error | undefined {
    const { status, error } = this.runTask;
    if (status !== TaskStatus.ERROR || isCancelled(error)) return undefined;
    return error instanceof Error ? error : new Error(String(error));
  }

  /** The status `<atlas-app status>` reflects. */
  get status(): AtlasStatus {
    if (this.running) return this.stage;
    if (this.lastError) return 'error';
    return this.map ? 'ready' : 'idle';
  }

  /** Runs the pipeline on `source`, aborting any run in progress; resolves when this run ends. */
  async run(source: CorpusSource, request: EmbedRequest): Promise<void> {
    this.notices = [];
    await this.runTask.run([source, request]);
  }

  /** Stops the run in progress; the current map stays. */
  cancel(): void {
    this.runTask.abort();
  }

  /** Embeds a search query with the embedder that made the current map (semantic search). */
  async embedQuery(text: string): Promise<Float32Array> {
    const map = this.map;
    if (map && this.mapTexts && this.queriesReadyFor !== map) {
      await this.embedding.prepareQueries(this.mapTexts, map.embedder);
      this.queriesReadyFor = map;
    }
    return this.embedding.embedQuery(text);
  }

  private async runChain(
    source: CorpusSource,
    request: EmbedRequest,
    signal: AbortSignal,
  ): Promise<RunResult> {
    const onProgress = (progress: StageProgress) => this.report(signal, progress.stage, progress);
    this.report(signal, 'loading');
    const raw = await readCorpusSource(source, {
      baseUrl: this.baseUrl,
      maxBytes: MAX_CORPUS_BYTES,
      signal,
    });
    this.report(signal, 'parsing');
    const parsed = await this.ingest.call('parse', { files: raw.files }, { signal });
    const papers = await unpackPapers(parsed.papers, () => nextTask(signal));
    if (parsed.kind === 'map') {
      return { map: { ...parsed.map, papers }, texts: parsed.texts, queriesReady: false };
    }
    const { warnings } = parsed.result;
    this.notices = warnings;
    // From here the embed worker holds this run's embedder, not the current map's.
    this.queriesReadyFor = undefined;
    this.report(signal, 'embedding');
    const embedded = await this.embedding.embedCorpus(parsed.texts, request, {
      signal,
      onProgress,
    });
    this.notices = [...warnings, ...embedded.notices];
    this.report(signal, 'projecting');
    // The vectors and texts move to the map worker: this run needs them nowhere else.
    const { vectors } = embedded;
    const { map, texts } = await this.mapWorker.call(
      'computeMapLayout',
      {
        name: raw.name,
        texts: embedded.texts,
        vectors,
        dim: embedded.dim,
        embedder: embedded.info,
      },
      {
        signal,
        transfer: [vectors.buffer, embedded.texts.bytes.buffer as ArrayBuffer],
        onProgress,
      },
    );
    return { map: { ...map, papers }, texts, queriesReady: true };
  }

  /** The run's stage and progress, unless the run was superseded or cancelled. */
  private report(signal: AbortSignal, stage: AtlasStatus, progress?: StageProgress): void {
    if (signal.aborted) return;
    this.stage = stage;
    this.progress = progress;
    this.host.requestUpdate();
  }
}
