import { provide } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { EmbedderInfo } from '../pipeline/atlas-map.ts';
import type { EmbedRequest } from './embedding-service.ts';
import type { AtlasStatus } from '../pipeline/types.ts';
import '../view/index.ts';
import {
  applyShareState,
  atlasServicesContext,
  decodeShareState,
  type AtlasServices,
  type ShareState,
} from '../view/index.ts';
import './atlas-settings.ts';
import type { CacheFigures } from './atlas-settings.ts';
import type { CorpusSource } from './corpus-source.ts';
import { PipelineController } from './pipeline-controller.ts';
import { readPipelineParams, type PipelineParams } from './url-params.ts';

/** How `<atlas-app embedder>` names the embedder that made the current vectors, e.g. `neural:Xenova/all-MiniLM-L6-v2:wasm:fp32`. */
export function embedderLabel(info: EmbedderInfo): string {
  return [info.kind, info.model, info.device, ...(info.dtype ? [info.dtype] : [])].join(':');
}

/**
 * The root element: runs the pipeline for the corpus the URL names (or the bundled one, or a dropped
 * file) and shows the explorer. Its attributes reflect the pipeline for people and automation:
 * `status`, `doc-count` and `embedder`.
 */
@customElement('atlas-app')
export class AtlasApp extends LitElement {
  @property({ reflect: true }) status: AtlasStatus = 'idle';
  @property({ type: Number, reflect: true, attribute: 'doc-count' }) docCount = 0;
  @property({ reflect: true }) embedder: string | undefined;
  /** How many papers the latest "Add to this map" placed (ringed on the map as new); 0 if none. */
  @property({ type: Number, reflect: true, attribute: 'added-count' }) addedCount = 0;

  private readonly pipeline = new PipelineController(this, import.meta.env.BASE_URL);
  private readonly params = readPipelineParams(location.search);
  private readonly sharedView = decodeShareState(location.search);
  private lastSource: CorpusSource = this.params.source;
  @state() private request: EmbedRequest = requestOf(this.params);
  @state() private cache: CacheFigures | null = null;

  @provide({ context: atlasServicesContext })
  services: AtlasServices = {
    embedQuery: (text) => this.pipeline.embedQuery(text),
  };

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('atlas-file-selected', (event) =>
      this.open({ kind: 'files', files: event.detail }),
    );
    this.addEventListener('atlas-files-added', (event) => this.add(event.detail));
    this.addEventListener('atlas-cancel', () => this.pipeline.cancel());
    this.addEventListener('atlas-retry', () => this.open(this.lastSource));
    this.addEventListener('atlas-view-state-changed', (event) => this.rememberView(event.detail));
    this.addEventListener('atlas-recompute', (event) => this.recompute(event.detail));
    this.addEventListener('atlas-clear-cache', () => void this.clearCache());
    this.open(this.params.source, this.params.added);
  }

  /** Opens `source` as a new map; then, if the link names papers to add (`?add=`), adds them to it. */
  private open(source: CorpusSource, added?: CorpusSource): void {
    this.lastSource = source;
    void this.pipeline
      .run(source, this.request)
      .then(async () => {
        if (added && this.pipeline.map && this.pipeline.status === 'ready') {
          await this.pipeline.run(added, this.request, 'add');
        }
      })
      .then(() => this.refreshCache());
  }

  /** Adds the papers of `files` to the map on screen; the map stays as it is if that fails. */
  private add(files: File[]): void {
    void this.pipeline.run({ kind: 'files', files }, this.request, 'add');
  }

  /** Maps the current corpus again with other embedding choices, which the URL then carries. */
  private recompute(request: EmbedRequest): void {
    this.request = request;
    const url = new URL(location.href);
    for (const key of ['embedder', 'model', 'device', 'dtype'] as const) {
      const value = request[key];
      if (value && !(key === 'embedder' && value === 'auto')) url.searchParams.set(key, value);
      else url.searchParams.delete(key);
    }
    history.replaceState(history.state, '', url);
    const source =
      this.lastSource.kind === 'bundled'
        ? { kind: 'bundled' as const, precomputed: false }
        : this.lastSource;
    this.open(source);
  }

  private async refreshCache(): Promise<void> {
    try {
      this.cache = await this.pipeline.embedding.cacheInfo();
    } catch {
      this.cache = null;
    }
  }

  private async clearCache(): Promise<void> {
    await this.pipeline.embedding.clearCache();
    await this.refreshCache();
  }

  /** Keeps the URL in step with the view, so "Copy link" and reloads reopen the same view. */
  private rememberView(state: ShareState): void {
    const corpus = this.lastSource.kind === 'url' ? this.lastSource.url : undefined;
    const url = applyShareState(location.href, {
      ...state,
      ...(corpus ? { corpus } : { corpus: undefined }),
    });
    history.replaceState(history.state, '', url);
  }

  protected override willUpdate(): void {
    const map = this.pipeline.map;
    this.status = this.pipeline.status;
    this.docCount = map?.papers.length ?? 0;
    this.addedCount = map?.grownFrom !== undefined ? map.papers.length - map.grownFrom : 0;
    this.embedder = map ? embedderLabel(map.embedder) : undefined;
  }

  override render() {
    const notices = [
      ...this.params.warnings,
      ...this.sharedView.warnings,
      ...this.pipeline.notices,
    ];
    const map = this.pipeline.map;
    return html`
      <header>
        <h1>
          <img src=${`${import.meta.env.BASE_URL}favicon.svg`} alt="" width="22" height="22" />
          Abstract Atlas
        </h1>
        ${map ? html`<span class="corpus" title=${map.name}>${map.name}</span>` : nothing}
        <atlas-settings
          .map=${map ?? null}
          .request=${this.request}
          .cache=${this.cache}
          ?busy=${this.pipeline.running}
        ></atlas-settings>
      </header>
      ${
        notices.length
          ? html`<ul class="notices" aria-label="Notices">
              ${notices.map((notice) => html`<li>${notice}</li>`)}
            </ul>`
          : nothing
      }
      <atlas-explorer
        .map=${map ?? null}
        .initialState=${this.sharedView.state}
        .corpus=${this.lastSource.kind === 'url' ? this.lastSource.url : undefined}
        .progress=${
          this.pipeline.running
            ? (this.pipeline.progress ?? { stage: this.pipeline.status, done: 0, total: 0 })
            : null
        }
        .error=${this.pipeline.lastError ?? null}
      ></atlas-explorer>
    `;
  }

  static override styles = css`
    :host {
      display: flex;
      flex-direction: column;
      height: 100%;
      font-family:
        Inter,
        'Segoe UI',
        system-ui,
        -apple-system,
        Roboto,
        sans-serif;
    }
    header {
      display: flex;
      align-items: center;
      gap: 12px;
      padding: 6px 12px;
      border-bottom: 1px solid color-mix(in srgb, CanvasText 14%, transparent);
      position: relative;
      z-index: 5;
      min-height: 44px;
      box-sizing: border-box;
    }
    h1 {
      display: flex;
      align-items: center;
      gap: 8px;
      margin: 0;
      font-size: 1rem;
      white-space: nowrap;
    }
    .corpus {
      flex: 1;
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      opacity: 0.7;
      font-size: 0.9rem;
    }
    atlas-settings {
      margin-left: auto;
      align-self: flex-start;
      position: absolute;
      right: 12px;
      top: 6px;
    }
    atlas-explorer {
      flex: 1;
      min-height: 0;
    }
    .notices {
      margin: 0;
      padding: 0.4rem 1rem 0.4rem 2rem;
      font-size: 0.85rem;
      background: color-mix(in srgb, #f5b700 18%, Canvas);
      color: CanvasText;
    }
  `;
}

function requestOf(params: PipelineParams): EmbedRequest {
  const { embedder, model, device, dtype } = params;
  return {
    embedder,
    ...(model ? { model } : {}),
    ...(device ? { device } : {}),
    ...(dtype ? { dtype } : {}),
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'atlas-app': AtlasApp;
  }
}
