import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type {
  FacetCounts,
  FacetField,
  FacetFilter,
  FacetIndex,
  TimeFacet,
  ValueFacet,
} from '../model/facets.ts';
import { baseStyles } from '../styles.ts';
import './atlas-time-facet.ts';
import {
  emitIntent,
  facetHeader,
  facetStyles,
  formatCount,
  type FacetChange,
  type TimePlayback,
} from './facet-shared.ts';

/**
 * The facet panel: how many papers the filters keep, the date facet (`atlas-time-facet`), and bars of
 * categories, sources and authors, each drawn for the current filter over the full distribution. It
 * renders what it is given and emits intents (`facet-change`, `facets-clear`; the date facet adds
 * `time-playback`); it never filters anything itself. Bars are buttons with their counts, so every
 * value chart reads as text too.
 */
@customElement('atlas-facets')
export class AtlasFacets extends LitElement {
  static override styles = [
    baseStyles,
    facetStyles,
    css`
      :host {
        display: block;
        font-size: 13px;
      }
      atlas-time-facet + section {
        margin-top: 12px;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        max-height: 26vh;
        overflow: auto;
      }
      li button {
        all: unset;
        box-sizing: border-box;
        position: relative;
        display: flex;
        gap: 6px;
        width: 100%;
        padding: 2px 6px;
        border-radius: 5px;
        cursor: pointer;
      }
      li button:focus-visible {
        outline: 2px solid var(--atlas-accent);
      }
      li button[aria-pressed='true'] {
        font-weight: 600;
      }
      .bar-total,
      .bar-current {
        position: absolute;
        inset: 0 auto 0 0;
        border-radius: 5px;
        z-index: 0;
      }
      .bar-total {
        background: color-mix(in srgb, var(--atlas-muted) 14%, transparent);
      }
      .bar-current {
        background: color-mix(in srgb, var(--atlas-accent) 28%, transparent);
      }
      li button[aria-pressed='true'] .bar-current {
        background: color-mix(in srgb, var(--atlas-accent) 45%, transparent);
      }
      .name {
        position: relative;
        flex: 1;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      li .count {
        position: relative;
      }
    `,
  ];

  @property({ attribute: false }) index: FacetIndex | null = null;
  @property({ attribute: false }) counts: FacetCounts | null = null;
  @property({ attribute: false }) filters: readonly FacetFilter[] = [];
  @property({ attribute: false }) playback: TimePlayback = { playing: false, window: 6, speed: 1 };
  /** The window the player shows now, and its count (set while playing). */
  @property({ attribute: false }) playStep: { from: number; to: number; count: number } | null =
    null;

  override render() {
    const index = this.index;
    if (!index) return nothing;
    const time = index.facets.find((facet): facet is TimeFacet => facet.field === 'time');
    const timeFilter = this.filterOf('time');
    const active = this.filters.length > 0;
    const passCount = this.counts?.passCount ?? index.paperCount;
    const heading = active
      ? `${formatCount(passCount)} of ${formatCount(index.paperCount)} papers`
      : 'Filters';
    return html`
      <header>
        <h3>${heading}</h3>
        ${
          active
            ? html`<button class="link" @click=${() => emitIntent(this, 'facets-clear', null)}>
                Clear all
              </button>`
            : nothing
        }
      </header>
      ${
        time
          ? html`<atlas-time-facet
              .facet=${time}
              .counts=${this.counts?.counts.get('time') ?? null}
              .filter=${timeFilter?.field === 'time' ? timeFilter : null}
              .playback=${this.playback}
              .playStep=${this.playStep}
            ></atlas-time-facet>`
          : html`<p class="muted">This corpus has no dates, so there is no time filter.</p>`
      }
      ${index.facets
        .filter((facet): facet is ValueFacet => facet.field !== 'time')
        .map((facet) => this.renderValues(facet))}
    `;
  }

  private filterOf(field: FacetField): FacetFilter | undefined {
    return this.filters.find((filter) => filter.field === field);
  }

  private renderValues(facet: ValueFacet) {
    const current = this.counts?.counts.get(facet.field) ?? facet.totals;
    const filter = this.filterOf(facet.field);
    const chosen = new Set(filter && filter.field !== 'time' ? filter.values : []);
    let peak = 1;
    for (const total of facet.totals) peak = Math.max(peak, total);
    return html`<section aria-labelledby="facet-${facet.field}">
      ${facetHeader(facet.field, filter !== undefined, () => this.change(facet.field, null))}
      <ul aria-labelledby="facet-${facet.field}">
        ${facet.values.map((value, code) => {
          const total = facet.totals[code]!;
          const now = current[code]!;
          return html`<li>
            <button
              aria-pressed=${chosen.has(value) ? 'true' : 'false'}
              title="${value}: ${formatCount(now)} of ${formatCount(total)} papers"
              @click=${() => this.toggleValue(facet, value, chosen)}
            >
              <span class="bar-total" style="width:${(100 * total) / peak}%"></span>
              <span class="bar-current" style="width:${(100 * now) / peak}%"></span>
              <span class="name">${value}</span>
              <span class="count"
                >${formatCount(now)}${now === total ? '' : ` / ${formatCount(total)}`}</span
              >
            </button>
          </li>`;
        })}
      </ul>
    </section>`;
  }

  private toggleValue(facet: ValueFacet, value: string, chosen: Set<string>): void {
    const next = new Set(chosen);
    if (next.has(value)) next.delete(value);
    else next.add(value);
    this.change(facet.field, next.size ? { field: facet.field, values: [...next] } : null);
  }

  private change(field: FacetField, filter: FacetFilter | null): void {
    emitIntent(this, 'facet-change', { field, filter } satisfies FacetChange);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'atlas-facets': AtlasFacets;
  }
}
