import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { AtlasMap } from '../../pipeline/atlas-map.ts';
import type { ReadingItem } from '../share/url-state.ts';
import { baseStyles } from '../styles.ts';
import './atlas-bibliography-export.ts';

export interface ReadingRow extends ReadingItem {
  index: number;
  title: string;
}

/** Pinned papers in the reader's order, each with a short note; part of the shared link. */
@customElement('atlas-reading-list')
export class AtlasReadingList extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      ol {
        list-style: none;
        margin: 6px 0 0;
        padding: 0;
        counter-reset: item;
      }
      li {
        border: 1px solid var(--atlas-border);
        border-radius: 8px;
        padding: 6px;
        margin-bottom: 6px;
        counter-increment: item;
      }
      .row {
        display: flex;
        gap: 4px;
        align-items: flex-start;
      }
      .row button.paper {
        flex: 1;
      }
      .row button.paper::before {
        content: counter(item) '. ';
        color: var(--atlas-muted);
      }
      .export {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 8px;
        align-items: center;
      }
      input {
        width: 100%;
        margin-top: 4px;
        border: 1px solid var(--atlas-border);
        border-radius: 6px;
        padding: 4px 6px;
        background: transparent;
        font-size: 13px;
      }
    `,
  ];

  @property({ attribute: false }) items: ReadingRow[] = [];
  /** The open map, whose papers the list exports. */
  @property({ attribute: false }) map: AtlasMap | undefined;

  override render() {
    if (this.items.length === 0) {
      return html`<p class="muted">
        Pin papers from their details to build a reading list; it travels with the link.
      </p>`;
    }
    const inMap = this.items.filter((item) => item.index >= 0);
    const missing = this.items.length - inMap.length;
    return html`<div class="export">
        <atlas-bibliography-export
          .map=${this.map}
          .indices=${inMap.map((item) => item.index)}
          .notes=${new Map(inMap.map((item) => [item.id, item.note]))}
          stem="reading-list"
        ></atlas-bibliography-export>
        ${
          missing > 0
            ? html`<span class="muted"
                >${missing} not in this map ${missing === 1 ? 'is' : 'are'} left out.</span
              >`
            : nothing
        }
      </div>
      <ol class="papers" aria-label="Reading list">
        ${this.items.map(
          (item, k) =>
            html`<li data-id=${item.id}>
              <div class="row">
                <button class="paper" @click=${() => this.send('reading-open', item.index)}>
                  <span class="paper-title">${item.title}</span>
                </button>
                <button
                  class="icon"
                  aria-label="Move up: ${item.title}"
                  ?disabled=${k === 0}
                  @click=${() => this.move(k, -1)}
                >
                  ↑
                </button>
                <button
                  class="icon"
                  aria-label="Move down: ${item.title}"
                  ?disabled=${k === this.items.length - 1}
                  @click=${() => this.move(k, 1)}
                >
                  ↓
                </button>
                <button
                  class="icon"
                  aria-label="Remove: ${item.title}"
                  @click=${() => this.removeItem(k)}
                >
                  ✕
                </button>
              </div>
              <input
                aria-label="Note for ${item.title}"
                placeholder="Add a note…"
                maxlength="280"
                .value=${item.note}
                @change=${(e: Event) => this.setNote(k, (e.target as HTMLInputElement).value)}
              />
              ${item.index < 0 ? html`<span class="muted">Not in this map.</span>` : nothing}
            </li>`,
        )}
      </ol>`;
  }

  private emit(items: ReadingItem[]) {
    this.dispatchEvent(new CustomEvent('reading-change', { detail: items, bubbles: true }));
  }

  private plain(): ReadingItem[] {
    return this.items.map(({ id, note }) => ({ id, note }));
  }

  private move(k: number, by: number) {
    const items = this.plain();
    const [item] = items.splice(k, 1);
    items.splice(k + by, 0, item!);
    this.emit(items);
  }

  private removeItem(k: number) {
    const items = this.plain();
    items.splice(k, 1);
    this.emit(items);
  }

  private setNote(k: number, note: string) {
    const items = this.plain();
    items[k] = { ...items[k]!, note: note.slice(0, 280) };
    this.emit(items);
  }

  private send(type: string, detail: number) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'atlas-reading-list': AtlasReadingList;
  }
}
