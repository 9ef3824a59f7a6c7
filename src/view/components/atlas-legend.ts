import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { LegendEntry } from '../model/colors.ts';
import { COLOR_BY_VALUES, type ColorBy } from '../share/url-state.ts';
import { baseStyles } from '../styles.ts';

const COLOR_BY_NAMES: Record<ColorBy, string> = {
  cluster: 'Cluster',
  category: 'Category',
  year: 'Year',
  source: 'Source file',
};

/** Chooses the colouring and lists its entries; clicking an entry highlights its papers. */
@customElement('atlas-legend')
export class AtlasLegend extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      label {
        display: flex;
        align-items: center;
        gap: 8px;
        margin-bottom: 6px;
      }
      select {
        flex: 1;
        border: 1px solid var(--atlas-border);
        background: var(--atlas-surface-solid);
        border-radius: 7px;
        padding: 4px 6px;
        min-height: 32px;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        max-height: 32vh;
        overflow: auto;
      }
      li button {
        all: unset;
        box-sizing: border-box;
        display: flex;
        align-items: center;
        gap: 8px;
        width: 100%;
        padding: 3px 6px;
        border-radius: 6px;
        cursor: pointer;
        font-size: 13px;
      }
      li button:hover {
        background: color-mix(in srgb, var(--atlas-accent) 10%, transparent);
      }
      li button:focus-visible {
        outline: 2px solid var(--atlas-accent);
      }
      li button[aria-pressed='true'] {
        background: color-mix(in srgb, var(--atlas-accent) 20%, transparent);
        font-weight: 600;
      }
      .swatch {
        width: 12px;
        height: 12px;
        border-radius: 3px;
        flex: none;
      }
      .name {
        flex: 1;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .count {
        color: var(--atlas-muted);
        font-variant-numeric: tabular-nums;
        font-size: 12px;
      }
    `,
  ];

  @property({ attribute: false }) entries: LegendEntry[] = [];
  @property() colorBy: ColorBy = 'cluster';
  /** Index of the highlighted entry, or -1. */
  @property({ type: Number }) active = -1;

  override render() {
    return html`
      <label
        ><span class="muted">Colour by</span>
        <select aria-label="Colour by" @change=${this.onColorBy}>
          ${COLOR_BY_VALUES.map(
            (value) =>
              html`<option value=${value} ?selected=${value === this.colorBy}>
                ${COLOR_BY_NAMES[value]}
              </option>`,
          )}
        </select></label
      >
      <ul aria-label="Legend">
        ${this.entries.map(
          (entry, k) =>
            html`<li>
              <button
                aria-pressed=${k === this.active ? 'true' : 'false'}
                title="Highlight ${entry.label}"
                @click=${() => this.send('legend-toggle', k === this.active ? -1 : k)}
              >
                <span class="swatch" style="background: rgb(${entry.color.join(',')})"></span>
                <span class="name">${entry.label}</span>
                <span class="count">${entry.count.toLocaleString()}</span>
              </button>
            </li>`,
        )}
      </ul>
    `;
  }

  private onColorBy(event: Event) {
    this.dispatchEvent(
      new CustomEvent('legend-color-by', {
        detail: (event.target as HTMLSelectElement).value,
        bubbles: true,
      }),
    );
  }

  private send(type: string, detail: number) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'atlas-legend': AtlasLegend;
  }
}
