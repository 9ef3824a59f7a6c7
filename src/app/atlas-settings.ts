import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AtlasMap } from '../pipeline/atlas-map.ts';
import type { EmbedRequest } from './embedding-service.ts';
import { MODEL_CATALOGUE } from '../pipeline/embed/models.ts';
import { baseStyles } from '../view/styles.ts';

export interface CacheFigures {
  entries: number;
  bytes: number;
}

const EMBEDDER_NAMES: Record<EmbedRequest['embedder'], string> = {
  auto: 'Automatic (neural where a model loads)',
  neural: 'Neural model',
  lexical: 'Lexical (TF-IDF, no model)',
};

function megabytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(bytes < 10 * 2 ** 20 ? 1 : 0)} MB`;
}

/**
 * The map's provenance and quality, the embedding choices for recomputing it, and the vector cache.
 * Sends `atlas-recompute` (detail: EmbedRequest) and `atlas-clear-cache`.
 */
@customElement('atlas-settings')
export class AtlasSettings extends LitElement {
  @property({ attribute: false }) map: AtlasMap | null = null;
  @property({ attribute: false }) request: EmbedRequest = { embedder: 'auto' };
  @property({ attribute: false }) cache: CacheFigures | null = null;
  @property({ type: Boolean }) busy = false;
  @state() private draft: EmbedRequest = { embedder: 'auto' };

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('request')) this.draft = { ...this.request };
  }

  override render() {
    const map = this.map;
    const quality = map?.quality;
    return html`<details>
      <summary aria-label="Map settings">⚙ Map</summary>
      <div class="body">
        ${
          map
            ? html`<section aria-label="How this map was made">
                <h3>This map</h3>
                <p>
                  ${map.papers.length.toLocaleString()} papers ·
                  ${map.embedder.kind === 'lexical' ? 'lexical TF-IDF' : map.embedder.model}
                  (${map.embedder.device}${map.embedder.dtype ? `, ${map.embedder.dtype}` : ''},
                  ${map.embedder.dim} dims) · seed ${map.seed}
                </p>
                ${
                  quality
                    ? html`<dl class="quality">
                        <dt
                          title="How well the layout keeps each paper's ${quality.k} nearest neighbours"
                        >
                          Trustworthiness
                        </dt>
                        <dd>${quality.trustworthiness.toFixed(3)}</dd>
                        <dt>Topics</dt>
                        <dd>${quality.clusterCount}</dd>
                        <dt>Unclustered</dt>
                        <dd>${(quality.noiseShare * 100).toFixed(0)}%</dd>
                        <dt title="Separation of the topics in the layout (-1 to 1)">Silhouette</dt>
                        <dd>${quality.silhouette.toFixed(2)}</dd>
                      </dl>`
                    : nothing
                }
              </section>`
            : nothing
        }
        <section aria-label="Recompute">
          <h3>Recompute</h3>
          <label
            >Embedder
            <select
              aria-label="Embedder"
              @change=${(e: Event) => this.set({ embedder: (e.target as HTMLSelectElement).value as EmbedRequest['embedder'] })}
            >
              ${(Object.keys(EMBEDDER_NAMES) as EmbedRequest['embedder'][]).map(
                (kind) =>
                  html`<option value=${kind} ?selected=${kind === this.draft.embedder}>
                    ${EMBEDDER_NAMES[kind]}
                  </option>`,
              )}
            </select></label
          >
          ${
            this.draft.embedder === 'lexical'
              ? nothing
              : html`<label
                    >Model
                    <select
                      aria-label="Model"
                      @change=${(e: Event) => this.set({ model: (e.target as HTMLSelectElement).value })}
                    >
                      ${MODEL_CATALOGUE.map(
                        (model) =>
                          html`<option
                            value=${model.id}
                            ?selected=${model.id === (this.draft.model ?? MODEL_CATALOGUE[0]!.id)}
                          >
                            ${model.label}
                          </option>`,
                      )}
                    </select></label
                  >
                  <label
                    >Device
                    <select
                      aria-label="Device"
                      @change=${(e: Event) => {
                        const value = (e.target as HTMLSelectElement).value;
                        this.set({
                          device: value === 'webgpu' || value === 'wasm' ? value : undefined,
                        });
                      }}
                    >
                      <option value="" ?selected=${!this.draft.device}>Best available</option>
                      <option value="webgpu" ?selected=${this.draft.device === 'webgpu'}>
                        WebGPU
                      </option>
                      <option value="wasm" ?selected=${this.draft.device === 'wasm'}>
                        WASM (CPU)
                      </option>
                    </select></label
                  >`
          }
          <button ?disabled=${this.busy} @click=${this.recompute}>Recompute map</button>
        </section>
        <section aria-label="Vector cache">
          <h3>Vector cache</h3>
          <p>
            ${
              this.cache
                ? `${this.cache.entries.toLocaleString()} vectors, ${megabytes(this.cache.bytes)}`
                : 'Not available'
            }
          </p>
          <button
            ?disabled=${!this.cache || this.cache.entries === 0}
            @click=${() => this.dispatchEvent(new CustomEvent('atlas-clear-cache', { bubbles: true, composed: true }))}
          >
            Clear cache
          </button>
        </section>
      </div>
    </details>`;
  }

  private set(change: Partial<EmbedRequest>): void {
    const next = { ...this.draft, ...change };
    for (const key of Object.keys(next) as (keyof EmbedRequest)[])
      if (next[key] === undefined) delete next[key];
    this.draft = next;
  }

  private recompute(): void {
    const request: EmbedRequest = { ...this.draft };
    if (request.embedder === 'lexical') {
      delete request.model;
      delete request.device;
    }
    this.dispatchEvent(
      new CustomEvent('atlas-recompute', { detail: request, bubbles: true, composed: true }),
    );
  }

  static override styles = [
    baseStyles,
    css`
      details {
        background: var(--atlas-surface);
        border: 1px solid var(--atlas-border);
        border-radius: var(--atlas-radius);
        box-shadow: var(--atlas-shadow);
        max-width: min(360px, calc(100vw - 24px));
      }
      summary {
        cursor: pointer;
        padding: 6px 12px;
        font-weight: 600;
        list-style: none;
      }
      summary:focus-visible {
        outline: 2px solid var(--atlas-accent);
      }
      .body {
        padding: 0 12px 12px;
        display: grid;
        gap: 10px;
      }
      h3 {
        margin: 4px 0;
        font-size: 0.8rem;
        text-transform: uppercase;
        letter-spacing: 0.04em;
        color: var(--atlas-muted);
      }
      p {
        margin: 0 0 6px;
      }
      label {
        display: grid;
        gap: 2px;
        margin-bottom: 6px;
        font-size: 0.85rem;
        color: var(--atlas-muted);
      }
      select {
        max-width: 100%;
      }
      .quality {
        display: grid;
        grid-template-columns: auto auto;
        gap: 2px 12px;
        margin: 0;
      }
      dd {
        margin: 0;
        font-variant-numeric: tabular-nums;
        text-align: right;
      }
    `,
  ];
}

declare global {
  interface HTMLElementTagNameMap {
    'atlas-settings': AtlasSettings;
  }
  interface HTMLElementEventMap {
    'atlas-recompute': CustomEvent<EmbedRequest>;
    'atlas-clear-cache': CustomEvent<void>;
  }
}
