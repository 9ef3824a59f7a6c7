import { LitElement, css, html, nothing, svg, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import {
  type Facet,
  type FacetCounts,
  type FacetField,
  type FacetFilter,
  type FacetIndex,
  type TimeFacet,
  timeKeyLabel,
  type ValueFacet,
} from '../model/facets.ts';
import { baseStyles } from '../styles.ts';

const FIELD_NAMES: Record<FacetField, string> = {
  time: 'Date',
  category: 'Category',
  source: 'Source file',
  author: 'Author',
};

/** Window lengths the time player offers, in the facet's unit. */
const WINDOWS = { month: [3, 6, 12, 24], year: [1, 2, 3, 5] } as const;
const SPEEDS = [0.5, 1, 2, 4] as const;

export interface FacetChange {
  field: FacetField;
  /** The facet's new filter, or null to clear it. */
  filter: FacetFilter | null;
}

export interface TimePlayback {
  playing: boolean;
  /** Window length in bins of the time facet. */
  window: number;
  /** Steps per second. */
  speed: number;
}

/**
 * The facet panel: a histogram of dates with a brush, and bars of categories, sources and authors,
 * each drawn for the current filter over the full distribution. It renders what it is given and emits
 * intents (`facet-change`, `facets-clear`, `time-playback`); it never filters anything itself.
 * Every chart has a text equivalent: bars are buttons with their counts, the histogram has range
 * selects and a table.
 */
@customElement('atlas-facets')
export class AtlasFacets extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
        font-size: 13px;
      }
      section + section {
        margin-top: 12px;
      }
      header {
        display: flex;
        align-items: baseline;
        gap: 8px;
        margin-bottom: 4px;
      }
      h3 {
        font-size: 13px;
        margin: 0;
        flex: 1;
      }
      .count,
      .muted {
        color: var(--atlas-muted);
        font-variant-numeric: tabular-nums;
      }
      button.link {
        all: unset;
        cursor: pointer;
        color: var(--atlas-accent);
        font-size: 12px;
      }
      button.link:focus-visible {
        outline: 2px solid var(--atlas-accent);
      }
      svg.histogram {
        display: block;
        width: 100%;
        height: 64px;
        cursor: crosshair;
        touch-action: none;
      }
      .total {
        fill: color-mix(in srgb, var(--atlas-muted) 30%, transparent);
      }
      .current {
        fill: var(--atlas-accent);
      }
      .brush {
        fill: color-mix(in srgb, var(--atlas-accent) 14%, transparent);
        stroke: var(--atlas-accent);
        stroke-width: 1;
      }
      .range,
      .player {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 6px;
        margin-top: 4px;
      }
      select {
        border: 1px solid var(--atlas-border);
        background: var(--atlas-surface-solid);
        border-radius: 6px;
        padding: 2px 4px;
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
      details.table summary {
        cursor: pointer;
        color: var(--atlas-muted);
        font-size: 12px;
      }
      table {
        border-collapse: collapse;
        font-variant-numeric: tabular-nums;
      }
      td,
      th {
        padding: 0 6px;
        text-align: right;
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

  /** Bins of a brush being dragged on the histogram, before the pointer is let go. */
  @state() private dragging: { anchor: number; at: number } | null = null;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('index')) this.dragging = null;
  }

  override render() {
    const index = this.index;
    if (!index) return nothing;
    const time = index.facets.find((facet): facet is TimeFacet => facet.field === 'time');
    const active = this.filters.length > 0;
    const passCount = this.counts?.passCount ?? index.paperCount;
    return html`
      <header>
        <h3>${active ? `${fmt(passCount)} of ${fmt(index.paperCount)} papers` : 'Filters'}</h3>
        ${
          active
            ? html`<button class="link" @click=${() => this.emit('facets-clear', null)}>
                Clear all
              </button>`
            : nothing
        }
      </header>
      ${
        time
          ? this.renderTime(time)
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

  private sectionHeader(facet: Facet) {
    const filter = this.filterOf(facet.field);
    return html`<header>
      <h3 id="facet-${facet.field}">${FIELD_NAMES[facet.field]}</h3>
      ${
        filter
          ? html`<button
              class="link"
              aria-label="Clear the ${FIELD_NAMES[facet.field].toLowerCase()} filter"
              @click=${() => this.change(facet.field, null)}
            >
              Clear
            </button>`
          : nothing
      }
    </header>`;
  }

  private renderTime(facet: TimeFacet) {
    const current = this.counts?.counts.get('time') ?? facet.totals;
    const filter = this.filterOf('time');
    const range =
      this.dragging !== null
        ? {
            from: Math.min(this.dragging.anchor, this.dragging.at),
            to: Math.max(this.dragging.anchor, this.dragging.at),
          }
        : filter?.field === 'time'
          ? { from: filter.from - facet.firstKey, to: filter.to - facet.firstKey }
          : null;
    let peak = 1;
    for (const total of facet.totals) peak = Math.max(peak, total);
    const width = facet.binCount;
    const label = (bin: number): string => timeKeyLabel(facet.unit, facet.firstKey + bin);
    const bins = Array.from({ length: facet.binCount }, (_, bin) => bin);
    const windows = WINDOWS[facet.unit];
    const unitName = facet.unit === 'month' ? 'months' : 'years';
    return html`<section aria-labelledby="facet-time">
      ${this.sectionHeader(facet)}
      <svg
        class="histogram"
        viewBox="0 0 ${width} 100"
        preserveAspectRatio="none"
        role="img"
        aria-label="Papers per ${facet.unit}, ${label(0)} to ${label(width - 1)}; drag to filter"
        @pointerdown=${(event: PointerEvent) => this.brushStart(event, facet)}
        @pointermove=${(event: PointerEvent) => this.brushMove(event, facet)}
        @pointerup=${(event: PointerEvent) => this.brushEnd(event, facet)}
        @pointercancel=${() => (this.dragging = null)}
      >
        ${
          range
            ? svg`<rect class="brush" x=${range.from} y="0" width=${range.to - range.from + 1} height="100"></rect>`
            : nothing
        }
        ${bins.map((bin) => {
          const total = (facet.totals[bin]! / peak) * 96;
          const now = (current[bin]! / peak) * 96;
          return svg`<rect class="total" x=${bin + 0.08} y=${100 - total} width="0.84" height=${total}></rect>
            <rect class="current" x=${bin + 0.08} y=${100 - now} width="0.84" height=${now}></rect>`;
        })}
      </svg>
      <div class="range">
        <label
          >From
          <select
            aria-label="From"
            @change=${(event: Event) => this.pickRange(facet, event, 'from')}
          >
            ${bins.map(
              (bin) =>
                html`<option value=${bin} ?selected=${(range?.from ?? 0) === bin}>
                  ${label(bin)}
                </option>`,
            )}
          </select></label
        >
        <label
          >to
          <select aria-label="To" @change=${(event: Event) => this.pickRange(facet, event, 'to')}>
            ${bins.map(
              (bin) =>
                html`<option value=${bin} ?selected=${(range?.to ?? width - 1) === bin}>
                  ${label(bin)}
                </option>`,
            )}
          </select></label
        >
      </div>
      <div class="player">
        <button
          aria-pressed=${this.playback.playing ? 'true' : 'false'}
          @click=${() => this.playbackChange({ playing: !this.playback.playing })}
        >
          ${this.playback.playing ? 'Pause' : 'Play'}
        </button>
        <label
          >window
          <select
            aria-label="Window"
            @change=${(event: Event) =>
              this.playbackChange({ window: Number((event.target as HTMLSelectElement).value) })}
          >
            ${windows.map(
              (w) =>
                html`<option value=${w} ?selected=${this.playback.window === w}>
                  ${w} ${unitName}
                </option>`,
            )}
          </select></label
        >
        <label
          >speed
          <select
            aria-label="Speed"
            @change=${(event: Event) =>
              this.playbackChange({ speed: Number((event.target as HTMLSelectElement).value) })}
          >
            ${SPEEDS.map(
              (s) => html`<option value=${s} ?selected=${this.playback.speed === s}>${s}×</option>`,
            )}
          </select></label
        >
        ${
          this.playStep
            ? html`<span class="count" role="status">${this.stepText(facet, this.playStep)}</span>`
            : nothing
        }
      </div>
      <details class="table">
        <summary>Table</summary>
        <table>
          <thead>
            <tr>
              <th>${facet.unit === 'month' ? 'Month' : 'Year'}</th>
              <th>Shown</th>
              <th>All</th>
            </tr>
          </thead>
          <tbody>
            ${bins.map(
              (bin) =>
                html`<tr>
                  <td>${label(bin)}</td>
                  <td>${fmt(current[bin]!)}</td>
                  <td>${fmt(facet.totals[bin]!)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </details>
    </section>`;
  }

  private stepText(facet: TimeFacet, step: { from: number; to: number; count: number }): string {
    const from = timeKeyLabel(facet.unit, step.from);
    const to = timeKeyLabel(facet.unit, step.to);
    return `${from} – ${to}: ${fmt(step.count)} papers`;
  }

  private renderValues(facet: ValueFacet) {
    const current = this.counts?.counts.get(facet.field) ?? facet.totals;
    const filter = this.filterOf(facet.field);
    const chosen = new Set(filter && filter.field !== 'time' ? filter.values : []);
    let peak = 1;
    for (const total of facet.totals) peak = Math.max(peak, total);
    return html`<section aria-labelledby="facet-${facet.field}">
      ${this.sectionHeader(facet)}
      <ul aria-labelledby="facet-${facet.field}">
        ${facet.values.map((value, code) => {
          const total = facet.totals[code]!;
          const now = current[code]!;
          return html`<li>
            <button
              aria-pressed=${chosen.has(value) ? 'true' : 'false'}
              title="${value}: ${fmt(now)} of ${fmt(total)} papers"
              @click=${() => this.toggleValue(facet, value, chosen)}
            >
              <span class="bar-total" style="width:${(100 * total) / peak}%"></span>
              <span class="bar-current" style="width:${(100 * now) / peak}%"></span>
              <span class="name">${value}</span>
              <span class="count">${fmt(now)}${now === total ? '' : ` / ${fmt(total)}`}</span>
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

  private binAt(event: PointerEvent, facet: TimeFacet): number {
    const box = (event.currentTarget as SVGElement).getBoundingClientRect();
    const fraction = box.width > 0 ? (event.clientX - box.left) / box.width : 0;
    return Math.max(0, Math.min(facet.binCount - 1, Math.floor(fraction * facet.binCount)));
  }

  private brushStart(event: PointerEvent, facet: TimeFacet): void {
    (event.currentTarget as SVGElement).setPointerCapture?.(event.pointerId);
    const bin = this.binAt(event, facet);
    this.dragging = { anchor: bin, at: bin };
  }

  private brushMove(event: PointerEvent, facet: TimeFacet): void {
    if (!this.dragging) return;
    const at = this.binAt(event, facet);
    if (at === this.dragging.at) return;
    this.dragging = { ...this.dragging, at };
    this.emitRange(facet, this.dragging.anchor, at);
  }

  private brushEnd(event: PointerEvent, facet: TimeFacet): void {
    if (!this.dragging) return;
    const { anchor } = this.dragging;
    const at = this.binAt(event, facet);
    this.dragging = null;
    this.emitRange(facet, anchor, at);
  }

  private emitRange(facet: TimeFacet, a: number, b: number): void {
    const from = Math.min(a, b);
    const to = Math.max(a, b);
    const whole = from === 0 && to === facet.binCount - 1;
    this.change(
      'time',
      whole ? null : { field: 'time', from: facet.firstKey + from, to: facet.firstKey + to },
    );
  }

  private pickRange(facet: TimeFacet, event: Event, end: 'from' | 'to'): void {
    const bin = Number((event.target as HTMLSelectElement).value);
    const filter = this.filterOf('time');
    const from = filter?.field === 'time' ? filter.from - facet.firstKey : 0;
    const to = filter?.field === 'time' ? filter.to - facet.firstKey : facet.binCount - 1;
    if (end === 'from') this.emitRange(facet, bin, Math.max(bin, to));
    else this.emitRange(facet, Math.min(from, bin), bin);
  }

  private change(field: FacetField, filter: FacetFilter | null): void {
    this.emit('facet-change', { field, filter } satisfies FacetChange);
  }

  private playbackChange(change: Partial<TimePlayback>): void {
    this.emit('time-playback', { ...this.playback, ...change } satisfies TimePlayback);
  }

  private emit(type: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

function fmt(value: number): string {
  return value.toLocaleString('en');
}

declare global {
  interface HTMLElementTagNameMap {
    'atlas-facets': AtlasFacets;
  }
}
