import { Task, TaskStatus } from '@lit/task';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { isCancelled } from '../lib/errors.ts';
import { MAX_CORPUS_BYTES, type ParseResult } from '../pipeline/ingest/index.ts';
import type { AtlasStatus, StageProgress } from '../pipeline/types.ts';
import { readCorpusSource, type CorpusSource } from './corpus-source.ts';
import { createIngestClient } from './workers.ts';

/** A parsed corpus with the name it is shown under. */
export interface LoadedCorpus extends ParseResult {
  name: string;
}

/**
 * Runs the pipeline for the app, one Lit Task per stage. What is on screen (`corpus`) changes only
 * when a run completes, so a failed or cancelled run leaves the current corpus and map in place.
 */
export class PipelineController implements ReactiveController {
  corpus: LoadedCorpus | undefined;
  progress: StageProgress | undefined;
  private stage: AtlasStatus = 'idle';
  private readonly ingest = createIngestClient();
  private generation = 0;

  readonly corpusTask: Task<[CorpusSource], LoadedCorpus>;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly baseUrl: string,
  ) {
    host.addController(this);
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
        return { ...parsed, name: raw.name };
      },
    });
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.cancel();
    this.ingest.terminate();
  }

  /** The status `<atlas-app status>` reflects. */
  get status(): AtlasStatus {
    if (this.running) return this.stage;
    if (this.lastError) return 'error';
    return this.corpus ? 'ready' : 'idle';
  }

  /** The error of the last run, unless it was cancelled. */
  get lastError(): Error | undefined {
    const error = this.corpusTask.status === TaskStatus.ERROR ? this.corpusTask.error : undefined;
    if (error === undefined || isCancelled(error)) return undefined;
    return error instanceof Error ? error : new Error(String(error));
  }

  get running(): boolean {
    return this.corpusTask.status === TaskStatus.PENDING;
  }

  async run(source: CorpusSource): Promise<void> {
    const generation = ++this.generation;
    await this.corpusTask.run([source]);
    if (generation !== this.generation) return;
    if (this.corpusTask.status === TaskStatus.COMPLETE) this.corpus = this.corpusTask.value;
    this.progress = undefined;
    this.host.requestUpdate();
  }

  /** Stops the run in progress; the current corpus and map stay. */
  cancel(): void {
    this.generation++;
    this.corpusTask.abort();
    this.progress = undefined;
    this.host.requestUpdate();
  }

  private setStage(stage: AtlasStatus): void {
    this.stage = stage;
    this.host.requestUpdate();
  }
}
