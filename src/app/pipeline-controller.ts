import { Task, TaskStatus } from '@lit/task';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { isCancelled } from '../lib/errors.ts';
import { unpackPapers, type PackedTexts } from '../lib/packed-papers.ts';
import { nextTask } from '../lib/scheduling.ts';
import type { AtlasMap } from '../pipeline/atlas-map.ts';
import {
  EmbeddingService,
  type CorpusEmbedding,
  type EmbedRequest,
} from '../pipeline/embed/service.ts';
import { MAX_CORPUS_BYTES } from '../pipeline/ingest/index.ts';
import type { AtlasStatus, Paper, StageProgress } from '../pipeline/types.ts';
import { readCorpusSource, type CorpusSource } from './corpus-source.ts';
import { createIngestClient, createMapClient } from './workers.ts';

/** A parsed corpus with the name it is shown under. */
export interface LoadedCorpus {
  name: string;
  papers: Paper[];
  /**
   * The papers' texts (`paperText`), packed by the ingest worker for the embed and map workers. They
   * are transferred to each worker in turn and come back with its result.
   */
  texts: PackedTexts;
  skipped: { count: number; reasons: Record<string, number> };
  warnings: string[];
}

type CorpusStageResult =
  { kind: 'corpus'; corpus: LoadedCorpus } | { kind: 'map'; map: AtlasMap; texts: PackedTexts };

/**
 * Runs the pipeline for the app, one Lit Task per stage: corpus (load + parse), embedding, map
 * (projection, clusters, labels). What is on screen (`map`) changes only when a run completes, so a
 * failed or cancelled run leaves the current map in place.
 */
export class PipelineController implements ReactiveController {
  map: AtlasMap | undefined;
  progress: StageProgress | undefined;
  notices: string[] = [];
  private stage: AtlasStatus = 'idle';
  private error: Error | undefined;
  /** The map whose embedder the embed worker holds, ready to embed search queries. */
  private queriesReadyFor: AtlasMap | undefined;
  /** The generation of the run in progress, or 0. */
  private activeRun = 0;
  /** The current map's texts, packed, for readying semantic search on a map opened from a bundle. */
  private mapTexts: PackedTexts | undefined;
  private generation = 0;
  private readonly ingest = createIngestClient();
  private readonly mapWorker = createMapClient();
  readonly embedding: EmbeddingService;

  readonly corpusTask: Task<[CorpusSource], CorpusStageResult>;
  readonly embedTask: Task<[LoadedCorpus, EmbedRequest], CorpusEmbedding>;
  readonly mapTask: Task<[LoadedCorpus, CorpusEmbedding], { map: AtlasMap; texts: PackedTexts }>;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly baseUrl: string,
  ) {
    host.addController(this);
    this.embedding = new EmbeddingService({ modelBaseUrl: `${baseUrl}models/` });
    this.corpusTask = new Task(host, {
      autoRun: false,
      task: async ([source], { signal }) => {
        this.setStage('loading');
        const raw = await readCorpusSource(source, {
          baseUrl: this.baseUrl,
          maxBytes: MAX_CORPUS_BYTES,
          signal,
        });
        this.setStage('parsing');
        const parsed = await this.ingest.call('parse', { files: raw.files }, { signal });
        const papers = await unpackPapers(parsed.papers, () => nextTask(signal));
        if (parsed.kind === 'map') {
          return { kind: 'map', map: { ...parsed.map, papers }, texts: parsed.texts };
        }
        return {
          kind: 'corpus',
          corpus: { ...parsed.result, papers, texts: parsed.texts, name: raw.name },
        };
      },
    });
    this.embedTask = new Task(host, {
      autoRun: false,
      task: async ([corpus, request], { signal }) => {
        this.setStage('embedding');
        return this.embedding.embedCorpus(corpus.texts, request, {
          signal,
          onProgress: (progress) => this.onProgress(progress),
        });
      },
    });
    this.mapTask = new Task(host, {
      autoRun: false,
      task: async ([corpus, embedded], { signal }) => {
        this.setStage('projecting');
        // The vectors and texts move to the map worker: this run needs them nowhere else.
        const { vectors } = embedded;
        const { map, texts } = await this.mapWorker.call(
          'computeMapLayout',
          {
            name: corpus.name,
            texts: embedded.texts,
            vectors,
            dim: embedded.dim,
            embedder: embedded.info,
            ...threadsFromUrl(),
          },
          {
            signal,
            transfer: [vectors.buffer, embedded.texts.bytes.buffer as ArrayBuffer],
            onProgress: (progress) => this.onProgress(progress),
          },
        );
        return { map: { ...map, papers: corpus.papers }, texts };
      },
    });
  }

  hostDisconnected(): void {
    this.cancel();
    this.ingest.terminate();
    this.mapWorker.terminate();
  }

  private get tasks() {
    return [this.corpusTask, this.embedTask, this.mapTask] as const;
  }

  /** True from the start of a run to its end, between its stages too. */
  get running(): boolean {
    return this.activeRun !== 0;
  }

  /** The error that ended the last run, unless it was cancelled. */
  get lastError(): Error | undefined {
    return this.error;
  }

  /** The status `<atlas-app status>` reflects. */
  get status(): AtlasStatus {
    if (this.running) return this.stage;
    if (this.lastError) return 'error';
    return this.map ? 'ready' : 'idle';
  }

  async run(source: CorpusSource, request: EmbedRequest): Promise<void> {
    const generation = ++this.generation;
    const current = () => generation === this.generation;
    this.activeRun = generation;
    this.notices = [];
    this.error = undefined;
    for (const task of this.tasks) task.abort();
    const loaded = await this.runStage(this.corpusTask, [source]);
    if (!current() || !loaded) return this.finish(generation);
    if (loaded.kind === 'map') {
      this.map = loaded.map;
      this.mapTexts = loaded.texts;
      return this.finish(generation);
    }
    this.notices = loaded.corpus.warnings;
    this.queriesReadyFor = undefined;
    const embedded = await this.runStage(this.embedTask, [loaded.corpus, request]);
    if (!current() || !embedded) return this.finish(generation);
    this.notices = [...loaded.corpus.warnings, ...embedded.notices];
    const mapped = await this.runStage(this.mapTask, [loaded.corpus, embedded]);
    if (!current()) return;
    if (mapped) {
      this.map = mapped.map;
      this.mapTexts = mapped.texts;
      this.queriesReadyFor = mapped.map;
    }
    this.finish(generation);
  }

  /** Runs one stage's task; its value, or undefined after recording why it failed. */
  private async runStage<A extends readonly unknown[], R>(
    task: Task<A, R>,
    args: A,
  ): Promise<R | undefined> {
    await task.run(args);
    if (task.status === TaskStatus.COMPLETE) return task.value;
    if (task.status === TaskStatus.ERROR && !isCancelled(task.error)) {
      this.error = task.error instanceof Error ? task.error : new Error(String(task.error));
    }
    return undefined;
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

  /** Stops the run in progress; the current map stays. */
  cancel(): void {
    this.generation++;
    for (const task of this.tasks) task.abort();
    this.finish(this.activeRun);
  }

  private finish(generation: number): void {
    if (generation !== this.activeRun) return;
    this.activeRun = 0;
    this.progress = undefined;
    this.host.requestUpdate();
  }

  private onProgress(progress: StageProgress): void {
    this.progress = progress;
    this.stage = progress.stage;
    this.host.requestUpdate();
  }

  private setStage(stage: AtlasStatus): void {
    this.stage = stage;
    this.progress = undefined;
    this.host.requestUpdate();
  }
}

/** `?threads=N` caps the map's compute threads (1: the deterministic single-thread mode). */
function threadsFromUrl(): { threads?: number } {
  const threads = Number(new URLSearchParams(location.search).get('threads'));
  return Number.isInteger(threads) && threads >= 1 ? { threads } : {};
}
