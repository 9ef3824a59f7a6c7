import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { AtlasMap } from '../../pipeline/atlas-map.ts';
import type { RankedPapers } from '../model/neighbours.ts';
import { baseStyles, cardHeadStyles } from '../styles.ts';
import { authorLine, safeHttpUrl } from './text-highlight.ts';
import { paperRow } from './paper-row.ts';

/**
 * The selected paper: its record, its cluster path (each cluster a button that opens its topic, the
 * keyboard's way to a topic, whose label on the map only a pointer can click), and its nearest papers
 * (each one click away).
 */
@customElement('atlas-details')
export class AtlasDetails extends LitElement {
  static override styles = [
    baseStyles,
    cardHeadStyles,
    css`
      :host {
        display: block;
      }
      .path {
        display: flex;
        flex-wrap: wrap;
        gap: 4px;
        margin: 0 0 10px;
      }
      .chip {
        font-size: 12px;
        border: 1px solid var(--atlas-border);
        border-radius: 999px;
        padding: 1px 8px;
        color: var(--atlas-muted);
      }
      button.chip {
        min-height: 0;
        background: none;
      }
      p.abstract {
        margin: 0 0 12px;
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
      .actions {
        display: flex;
        gap: 8px;
        flex-wrap: wrap;
        margin-bottom: 14px;
      }
      a {
        color: var(--atlas-accent);
      }
      ol {
        margin: 6px 0 0;
        padding: 0;
        list-style: none;
      }
      .score {
        font-variant-numeric: tabular-nums;
        color: var(--atlas-muted);
        font-size: 12px;
        margin-left: 6px;
      }
    `,
  ];

  @property({ attribute: false }) map: AtlasMap | null = null;
  @property({ type: Number }) index = -1;
  @property({ attribute: false }) neighbours:
    (RankedPapers & { space: 'embedding' | 'layout' }) | null = null;
  @property({ type: Boolean }) pinned = false;

  override render() {
    const map = this.map;
    const paper = map?.papers[this.index];
    if (!map || !paper) return nothing;
    const url = safeHttpUrl(paper.url);
    const path = map.clusterLevels
      .map((level) => level[this.index] ?? -1)
      .filter((id) => id >= 0)
      .map((id) => ({ id, label: map.clusters.find((c) => c.id === id)?.label ?? String(id) }));
    const meta = [authorLine(paper.authors, 6), paper.year, paper.source]
      .filter(Boolean)
      .join(' · ');
    return html`
      <article aria-labelledby="details-title">
        <header>
          <h3 class="title" id="details-title">${paper.title}</h3>
          <button
            class="icon"
            aria-label="Close details"
            title="Close (Esc)"
            @click=${() => this.send('details-close')}
          >
            ✕
          </button>
        </header>
        ${meta ? html`<p class="meta">${meta}</p>` : nothing}
        <div class="path" aria-label="Clusters">
          ${path.map(
            ({ id, label }) =>
              html`<button
                class="chip"
                title="Open topic"
                @click=${() => this.send('details-topic', id)}
              >
                ${label}
              </button>`,
          )}
          ${(paper.categories ?? []).map((c) => html`<span class="chip">${c}</span>`)}
        </div>
        <div class="actions">
          <button
            class=${this.pinned ? '' : 'primary'}
            aria-pressed=${this.pinned ? 'true' : 'false'}
            @click=${() => this.send('details-pin')}
          >
            ${this.pinned ? 'In reading list ✓' : 'Add to reading list'}
          </button>
          ${
            url
              ? html`<a href=${url} target="_blank" rel="noopener noreferrer">Open paper ↗</a>`
              : nothing
          }
        </div>
        <p class="abstract">${paper.abstract}</p>
        ${this.renderNeighbours(map)}
      </article>
    `;
  }

  private renderNeighbours(map: AtlasMap) {
    const neighbours = this.neighbours;
    if (!neighbours || neighbours.indices.length === 0) return nothing;
    return html`
      <h2>
        Nearest papers
        <span class="muted"
          >(${neighbours.space === 'embedding' ? 'by meaning' : 'on the map'})</span
        >
      </h2>
      <ol class="papers neighbours" aria-label="Nearest papers">
        ${[...neighbours.indices].map((i, k) => {
          const score = neighbours.scores[k]!;
          return paperRow(map.papers[i]!, i, (index) => this.send('details-select', index), {
            score:
              neighbours.space === 'embedding'
                ? `cos ${score.toFixed(2)}`
                : `d ${(-score).toFixed(2)}`,
          });
        })}
      </ol>
    `;
  }

  private send(type: string, detail?: number) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'atlas-details': AtlasDetails;
  }
}
