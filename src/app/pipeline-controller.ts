import { Task, TaskStatus } from '@lit/task';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { AtlasError, isCancelled } from '../lib/errors.ts';
import { packTexts, unpackPapers, type PackedTexts } from '../lib/packed-papers.ts';
import { nextTask } from '../lib/scheduling.ts';
import type { AtlasMap } from '../pipeline/atlas-map.ts';
import { growBlocker, partitionDuplicates, type DuplicatePaper } from '../pipeline/grow.ts';
import { MAX_CORPUS_BYTES, type CorpusFile } from '../pipeline/ingest/index.ts';
import { paperText, type AtlasStatus, type Paper, type StageProgress } from '../pipeline/types.ts';
import { readCorpusSource, type CorpusSource } from './corpus-source.ts';
import { EmbeddingService, type EmbedRequest } from './embedding-service.ts';
import { createIngestClient, createMapClient } from './workers.ts';
import type { IngestApi } from '../worker/ingest.worker.ts';
import type { MapWorkerQuestion } from '../worker/map.worker.ts';
import { transfer, type ResultOf, type Transferring } from '../worker/rpc.ts';

/** What the ingest worker makes of a source's files: papers to map, or a saved map. */
type ParsedSource = ResultOf<IngestApi['parse']>;

/** A new map of the source, or its papers added to the map on screen. */
export type RunMode = 'new' | 'add';

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
  /** Numbers each run's label index (`indexLabels`), so a run labels from its own. */
  private labelRuns = 0;
  private readonly runTask: Task<[CorpusSource, EmbedRequest, RunMode], RunResult>;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly baseUrl: string,
  ) {
    host.addController(this);
    this.embedding = new EmbeddingService({ modelBaseUrl: `${baseUrl}models/` });
    this.runTask = new Task(host, {
      autoRun: false,
      task: ([source, request, mode], { signal }) =>
        mode === 'add' && this.map
          ? this.addToMap(this.map, source, signal)
          : this.runChain(source, request, signal),
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

  /**
   * Runs the pipeline on `source`, aborting any run in progress; resolves when this run ends. With
   * mode `add`, the source's papers are added to the map on screen instead of making a new one.
   */
  async run(source: CorpusSource, request: EmbedRequest, mode: RunMode = 'new'): Promise<void> {
    this.notices = [];
    await this.runTask.run([source, request, mode]);
  }

  /** Stops the run in progress; the current map stays. */
  cancel(): void {
    this.runTask.abort();
  }

  /** Embeds a search query with the embedder that made the current map (semantic search). */
  async embedQuery(text: string): Promise<Float32Array> {
    const map = this.map;
    if (map && this.mapTexts && this.queriesReadyFor !== map) {
      await this.embedding.prepareQueries(this.mapTexts, map.embedder, map.lexicalModel);
      this.queriesReadyFor = map;
    }
    return this.embedding.embedQuery(text);
  }

  /** Reads the source's files and parses them in the ingest worker, reporting both stages. */
  private async loadAndParse(source: CorpusSource, signal: AbortSignal, labelTexts = false) {
    this.report(signal, 'loading');
    const raw = await readCorpusSource(source, {
      baseUrl: this.baseUrl,
      maxBytes: MAX_CORPUS_BYTES,
      signal,
    });
    this.report(signal, 'parsing');
    const parsed = await this.parseFiles(raw.files, signal, labelTexts);
    return { raw, parsed };
  }

  /**
   * Parses files in the ingest worker. A parser that stops making progress (a library looping on
   * damaged data, which no abort can interrupt) has its worker stopped; the other files are parsed
   * again without its file, which is named in the warnings as a file that fails any other way is.
   */
  private async parseFiles(
    files: CorpusFile[],
    signal: AbortSignal,
    labelTexts: boolean,
  ): Promise<ParsedSource> {
    let stuckFile: string | undefined;
    const stall = {
      afterMs: PARSE_STALL_MS,
      error: (last: StageProgress | undefined) => {
        stuckFile = last?.file;
        return parseStalled(last);
      },
    };
    const onProgress = (progress: StageProgress) => this.report(signal, 'parsing', progress);
    try {
      return await this.ingest.call('parse', { files, labelTexts }, { signal, onProgress, stall });
    } catch (error) {
      const rest = files.filter((file) => file.name !== stuckFile);
      if (!(error instanceof AtlasError) || stuckFile === undefined || rest.length === 0)
        throw error;
      let parsed: ParsedSource;
      try {
        parsed = await this.parseFiles(rest, signal, labelTexts);
      } catch (restError) {
        throw isCancelled(restError) ? restError : error;
      }
      if (parsed.kind === 'map') return parsed;
      const warning = `${stuckFile} was not loaded: ${error.readerMessage}`;
      return {
        ...parsed,
        result: { ...parsed.result, warnings: [warning, ...parsed.result.warnings] },
      };
    }
  }

  private async runChain(
    source: CorpusSource,
    request: EmbedRequest,
    signal: AbortSignal,
  ): Promise<RunResult> {
    const onProgress = (progress: StageProgress) => this.report(signal, progress.stage, progress);
    const { raw, parsed } = await this.loadAndParse(source, signal, true);
    if (parsed.kind === 'map') {
      const papers = await unpackPapers(parsed.papers, () => nextTask(signal));
      return { map: { ...parsed.map, papers }, texts: parsed.texts, queriesReady: false };
    }
    const warnings = [...raw.notices, ...parsed.result.warnings];
    this.notices = warnings;
    // From here the embed worker holds this run's embedder, not the current map's.
    this.queriesReadyFor = undefined;
    // The map worker reads the texts for the labels while the embed worker computes their vectors.
    const labelKey = ++this.labelRuns;
    const { labelTexts } = parsed;
    if (labelTexts) {
      this.mapWorker
        .call(
          'indexLabels',
          { key: labelKey, texts: labelTexts },
          { signal, transfer: [labelTexts.bytes.buffer as ArrayBuffer] },
        )
        // Its errors (and its cancellation) reach computeMapLayout below, which awaits the same index.
        .catch(() => undefined);
    }
    this.report(signal, 'embedding');
    // The page rebuilds the papers while the workers compute: it needs them only with the map. In
    // small chunks: the page shares the cores with the workers, and a chunk of 2,000 papers then took
    // over 100 ms at times, long enough to make the page stutter.
    const papersReady = unpackPapers(
      parsed.papers,
      () => nextTask(signal),
      BACKGROUND_UNPACK_CHUNK,
    );
    // Awaited below; if a stage fails first, its error is the run's, and this one goes unheard.
    papersReady.catch(() => undefined);
    const embedded = await this.embedding.embedCorpus(
      parsed.texts,
      { ...request, ...threadsFromUrl() },
      {
        signal,
        onProgress,
      },
    );
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
        labelKey,
        ...threadsFromUrl(),
      },
      {
        signal,
        transfer: [vectors.buffer, embedded.texts.bytes.buffer as ArrayBuffer],
        onProgress,
        answer: (question, answerSignal) => this.answerMapWorker(question, answerSignal),
      },
    );
    const lexicalModel = embedded.lexicalModel;
    return {
      map: { ...map, papers: await papersReady, ...(lexicalModel ? { lexicalModel } : {}) },
      texts,
      queriesReady: true,
    };
  }

  /**
   * Answers the map worker's questions during a run: it labels, but the embed worker holds the model
   * its label phrases are embedded with.
   */
  private async answerMapWorker(
    question: unknown,
    signal: AbortSignal | undefined,
  ): Promise<Transferring<Float32Array>> {
    const asked = question as Partial<MapWorkerQuestion> | null;
    if (asked?.kind !== 'embed-phrases' || !Array.isArray(asked.phrases)) {
      throw new AtlasError('worker', 'unknown-question', 'The map worker asked something unknown.');
    }
    const vectors = await this.embedding.embedPhrases(asked.phrases, signal);
    return transfer(vectors, [vectors.buffer]);
  }

  /**
   * Adds the source's papers to `map` without moving it: papers already on it are left out and
   * reported, the rest embedded with the map's own embedder and placed by `growLayout`. The grown map
   * replaces `map` only once it is complete.
   */
  private async addToMap(
    map: AtlasMap,
    source: CorpusSource,
    signal: AbortSignal,
  ): Promise<RunResult> {
    const onProgress = (progress: StageProgress) => this.report(signal, progress.stage, progress);
    const blocker = growBlocker(map);
    if (blocker) {
      throw new AtlasError('project', 'cannot-grow', blocker, {
        hint: 'Choose “New map” to map these papers on their own.',
      });
    }
    const { raw, parsed } = await this.loadAndParse(source, signal);
    if (parsed.kind === 'map') {
      throw new AtlasError(
        'parse',
        'map-not-added',
        `"${raw.name}" is a saved map, not a list of papers.`,
        {
          hint: 'Open it with “New map”, or add the corpus file it was made from.',
        },
      );
    }
    const added = await unpackPapers(parsed.papers, () => nextTask(signal));
    const { fresh, duplicates } = partitionDuplicates(map.papers, added);
    const notices = [...raw.notices, ...parsed.result.warnings];
    if (duplicates.length > 0) notices.push(duplicateNotice(duplicates, added, map));
    this.notices = notices;
    if (fresh.length === 0) {
      throw new AtlasError(
        'project',
        'nothing-new',
        `All ${added.length} papers in "${raw.name}" are already on the map.`,
        { hint: 'Add a file with papers the map does not have yet.' },
      );
    }
    const freshPapers = fresh.map((index) => added[index]!);
    this.queriesReadyFor = undefined;
    this.report(signal, 'embedding');
    const embedded = await this.embedding.embedAdded(freshPapers.map(paperText), map, {
      signal,
      onProgress,
    });
    this.notices = [...notices, ...embedded.notices];
    this.report(signal, 'projecting');
    // Copied, not transferred: the map stays on screen while the new papers are placed.
    const { papers, lexicalModel, ...layout } = map;
    const grown = await this.mapWorker.call(
      'growLayout',
      { map: layout, added: embedded.vectors },
      { signal, onProgress, transfer: [embedded.vectors.buffer] },
    );
    let unassigned = 0;
    for (const topic of grown.addedTopics) if (topic < 0) unassigned++;
    this.notices = [
      ...this.notices,
      `Added ${freshPapers.length} paper${freshPapers.length === 1 ? '' : 's'} to the map, shown ringed${unassigned ? `; ${unassigned} near no single topic ${unassigned === 1 ? 'is' : 'are'} left unassigned` : ''}. Nothing already on the map moved.`,
    ];
    const allPapers = [...papers, ...freshPapers];
    return {
      map: { ...grown.layout, papers: allPapers, ...(lexicalModel ? { lexicalModel } : {}) },
      texts: packTexts(allPapers.map(paperText)),
      queriesReady: false,
    };
  }

  /** The run's stage and progress, unless the run was superseded or cancelled. */
  private report(signal: AbortSignal, stage: AtlasStatus, progress?: StageProgress): void {
    if (signal.aborted) return;
    this.stage = stage;
    this.progress = progress;
    this.host.requestUpdate();
  }
}

/**
 * How long a parse may go without reporting before its worker is taken as stuck. Parsers report at
 * least every second while they run; the longest step that reports nothing (decoding or JSON-parsing
 * a 200 MB file at once) takes a few seconds.
 */
const PARSE_STALL_MS = 20_000;
/** Papers the page rebuilds between yields while the workers run (`unpackPapers`). */
const BACKGROUND_UNPACK_CHUNK = 500;

function parseStalled(last: StageProgress | undefined): AtlasError {
  const file = last?.file ?? 'The corpus';
  return new AtlasError(
    'parse',
    'parse-stalled',
    `${file} could not be read: its parser made no progress for ${PARSE_STALL_MS / 1000} s${last?.message ? ` (${last.message})` : ''}, which damaged data can cause.`,
    {
      hint: 'Download or copy the file again, or save it again from the program that made it (e.g. with pandas: df.to_parquet(path)).',
    },
  );
}

/** `?threads=N` caps the compute threads of the lexical fit and the map (1: the deterministic mode). */
function threadsFromUrl(): { threads?: number } {
  const threads = Number(new URLSearchParams(location.search).get('threads'));
  return Number.isInteger(threads) && threads >= 1 ? { threads } : {};
}

/** One notice for the added papers left out as already on the map (or twice in the file), naming a few. */
function duplicateNotice(duplicates: DuplicatePaper[], added: Paper[], map: AtlasMap): string {
  const shown = duplicates.slice(0, 3).map((duplicate) => {
    const title = added[duplicate.added]!.title || added[duplicate.added]!.id;
    return duplicate.inBatch ? `“${title}” (twice in the file)` : `“${title}”`;
  });
  const more =
    duplicates.length > shown.length ? ` and ${duplicates.length - shown.length} more` : '';
  const onMap = duplicates.filter((duplicate) => !duplicate.inBatch).length;
  return `${duplicates.length} paper${duplicates.length === 1 ? ' was' : 's were'} left out as duplicates (${onMap} already on “${map.name}”): ${shown.join(', ')}${more}.`;
}
