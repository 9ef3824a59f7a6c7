/**
 * The explorer's search: the query the reader types, and one Lit Task that runs it against the current
 * map (debounced while typing, restarted and aborted as the query changes) and renders its pending,
 * complete and error states.
 */
import { Task } from '@lit/task';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { AtlasError, isCancelled } from '../../lib/errors.ts';
import type { AtlasMap } from '../../pipeline/atlas-map.ts';
import {
  PaperSearch,
  type EmbedQuery,
  type SearchQuery,
  type SearchResult,
} from '../model/paper-search.ts';

/** How long typing pauses before a search runs: embedding a query costs more than a text lookup. */
const TYPING_DELAY_MS = { text: 120, semantic: 450 } as const;
const IDLE_STATUS = 'Type to search; press / from anywhere.';

function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason as Error);
      },
      { once: true },
    );
  });
}

export class SearchController implements ReactiveController {
  text = '';
  semantic = false;
  /** The last finished search's result; kept on screen while the next one runs. */
  result: SearchResult | null = null;
  private search: PaperSearch | null = null;
  private delayMs = 0;
  private readonly task: Task<readonly [PaperSearch | null, string, boolean], SearchResult | null>;

  constructor(
    private readonly host: ReactiveControllerHost,
    /** Called when a search finishes (with null once the query is empty) or fails. */
    onChange: () => void,
  ) {
    host.addController(this);
    this.task = new Task(host, {
      args: () => [this.search, this.text.trim(), this.semantic] as const,
      task: async ([search, text, semantic], { signal }) => {
        if (!search || !text) return null;
        await pause(this.delayMs, signal);
        return search.run({ text, semantic }, signal);
      },
      onComplete: (result) => {
        this.result = result;
        onChange();
      },
      onError: (error) => {
        if (isCancelled(error)) return;
        this.result = null;
        console.error(error);
        onChange();
      },
    });
  }

  hostDisconnected(): void {
    this.task.abort();
  }

  get query(): SearchQuery {
    return { text: this.text, semantic: this.semantic };
  }

  get active(): boolean {
    return this.text.trim().length > 0;
  }

  get semanticAvailable(): boolean {
    return this.search?.semanticAvailable ?? false;
  }

  /** Searches a new map, with `query` where given; `queryEmbedder` gives the map's query embedder. */
  setMap(
    map: AtlasMap | null,
    queryEmbedder: () => EmbedQuery | undefined,
    query?: SearchQuery,
  ): void {
    this.search = map ? new PaperSearch(map, queryEmbedder) : null;
    this.result = null;
    if (query) {
      this.text = query.text;
      this.semantic = query.semantic;
    }
    this.delayMs = 0;
    this.host.requestUpdate();
  }

  /** The reader typed: search once typing pauses. */
  type(text: string): void {
    this.text = text;
    this.delayMs = TYPING_DELAY_MS[this.semantic ? 'semantic' : 'text'];
    this.host.requestUpdate();
  }

  setSemantic(semantic: boolean): void {
    this.semantic = semantic;
    this.delayMs = 0;
    this.host.requestUpdate();
  }

  /** Runs the query now, also when it has not changed (Enter, or after an error). */
  runNow(): void {
    this.delayMs = 0;
    void this.task.run();
  }

  clear(): void {
    this.text = '';
    this.host.requestUpdate();
  }

  /** The status line: what the search is doing, how many papers it found, or why it failed. */
  renderStatus(): string {
    const search = this.search;
    if (!search || !this.active) return IDLE_STATUS;
    return (
      this.task.render({
        initial: () => IDLE_STATUS,
        pending: () => search.pendingStatus(this.query),
        complete: (result) => result?.status ?? IDLE_STATUS,
        error: (error) =>
          error instanceof AtlasError
            ? error.readerMessage
            : `Search failed: ${error instanceof Error ? error.message : String(error)}`,
      }) ?? IDLE_STATUS
    );
  }
}
