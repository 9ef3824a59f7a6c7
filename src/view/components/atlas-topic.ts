import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { AtlasMap } from '../../pipeline/atlas-map.ts';
import type { TopicSummary } from '../model/topics.ts';
import { baseStyles, cardHeadStyles } from '../styles.ts';
import { paperRow } from './paper-row.ts';

/**
 * An opened topic (a cluster, from its label on the map): its label, keywords, size, its most central
 * papers, and a button that selects all of its papers. Emits `topic-select` (the member indices),
 * `topic-open-paper` (a paper index) and `topic-close`; it changes nothing itself. Labels and keywords
 * come from the corpus, so they are bound as text.
 */
@customElement('atlas-topic')
export class AtlasTopic extends LitElement {
  static override styles = [
    baseStyles,
    cardHeadStyles,
    css`
      :host {
        display: block;
      }
      .keywords {
        display: flex;
        flex-wrap: wrap;
        gap: 4px;
        margin: 0 0 10px;
        padding: 0;
        list-style: none;
      }
      .keywords li {
        font-size: 12px;
        border: 1px solid var(--atlas-border);
        border-radius: 999px;
        padding: 1px 8px;
        color: var(--atlas-muted);
      }
      ol {
        margin: 6px 0 0;
        padding: 0;
        list-style: none;
      }
    `,
  ];

  @property({ attribute: false }) map: AtlasMap | null = null;
  @property({ attribute: false }) topic: TopicSummary | null = null;

  override render() {
    const map = this.map;
    const topic = this.topic;
    if (!map || !topic) return nothing;
    const { cluster, members, central, space } = topic;
    const parent = map.clusters.find((c) => c.id === cluster.parent);
    const share = members.length / Math.max(1, map.papers.length);
    return html`<article aria-labelledby="topic-title">
      <header>
        <h3 id="topic-title" class="topic-label">${cluster.label}</h3>
        <button
          class="icon"
          aria-label="Close topic"
          title="Close (Esc)"
          @click=${() => this.send('topic-close', null)}
        >
          ✕
        </button>
      </header>
      <p class="meta topic-size">
        ${members.length.toLocaleString()} papers
        (${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%)${parent ? html` · in ${parent.label}` : nothing}
      </p>
      <ul class="keywords" aria-label="Keywords">
        ${cluster.keywords.map((keyword) => html`<li>${keyword}</li>`)}
      </ul>
      <button class="primary topic-select-all" @click=${() => this.send('topic-select', members)}>
        Select all ${members.length.toLocaleString()} papers
      </button>
      <h2>Most central papers</h2>
      <p class="meta">
        Nearest the topic's centre in ${space === 'embedding' ? 'embedding space' : 'the layout'}.
      </p>
      <ol class="papers topic-central" aria-label="Most central papers">
        ${central.map((i) =>
          paperRow(map.papers[i]!, i, (index) => this.send('topic-open-paper', index)),
        )}
      </ol>
    </article>`;
  }

  private send<T>(type: string, detail: T): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'atlas-topic': AtlasTopic;
  }
}
