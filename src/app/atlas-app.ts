import { provide } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { EmbedderInfo } from '../pipeline/atlas-map.ts';
import type { AtlasStatus } from '../pipeline/types.ts';
import '../view/index.ts';
import {
  applyShareState,
  atlasServicesContext,
  decodeShareState,
  type AtlasServices,
  type ShareState,
} from '../view/index.ts';
import type { CorpusSource } from './corpus-source.ts';
import { PipelineController } from './pipeline-controller.ts';
import { readPipelineParams } from './url-params.ts';

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

  private readonly pipeline = new PipelineController(this, import.meta.env.BASE_URL);
  private readonly params = readPipelineParams(location.search);
  private readonly sharedView = decodeShareState(location.search);
  private lastSource: CorpusSource = this.params.source;

  @provide({ context: atlasServicesContext })
  services: AtlasServices = {
    embedQuery: (text) => this.pipeline.embedding.embedQuery(text),
  };

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('atlas-file-selected', (event) =>
      this.open({ kind: 'files', files: event.detail }),
    );
    this.addEventListener('atlas-cancel', () => this.pipeline.cancel());
    this.addEventListener('atlas-retry', () => this.open(this.lastSource));
    this.addEventListener('atlas-view-state-changed', (event) => this.rememberView(event.detail));
    this.open(this.params.source);
  }

  private open(source: CorpusSource): void {
    this.lastSource = source;
    const { embedder, model, device, dtype } = this.params;
    void this.pipeline.run(source, {
      embedder,
      ...(model ? { model } : {}),
      ...(device ? { device } : {}),
      ...(dtype ? { dtype } : {}),
    });
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
    this.embedder = map ? embedderLabel(map.embedder) : undefined;
  }

  override render() {
    const notices = [
      ...this.params.warnings,
      ...this.sharedView.warnings,
      ...this.pipeline.notices,
    ];
    return html`
      ${
        notices.length
          ? html`<ul class="notices" aria-label="Notices">
              ${notices.map((notice) => html`<li>${notice}</li>`)}
            </ul>`
          : nothing
      }
      <atlas-explorer
        .map=${this.pipeline.map ?? null}
        .initialState=${this.sharedView.state}
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

declare global {
  interface HTMLElementTagNameMap {
    'atlas-app': AtlasApp;
  }
}
