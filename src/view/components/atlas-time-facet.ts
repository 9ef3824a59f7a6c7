import { LitElement, css, html, nothing, svg, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { timeKeyLabel } from '../model/facet-links.ts';
import type { TimeFacet } from '../model/facets.ts';
import { baseStyles } from '../styles.ts';
import {
  emitIntent,
  facetHeader,
  facetStyles,
  formatCount,
  type FacetChange,
  type TimePlayback,
} from './facet-shared.ts';

/** Window lengths the time player offers, in the facet's unit. */
const WINDOWS = { month: [3, 6, 12, 24], year: [1, 2, 3, 5] } as const;
const SPEEDS = [0.5, 1, 2, 4] as const;

type TimeFilter = { field: 'time'; from: number; to: number };

/**
 * The date facet: a histogram of papers per year or month (the current filter's counts over the whole
 * distribution) with a brush, range selects and a table as its text equivalent, and the time player's
 * controls. Emits `facet-change` and `time-playback`; it never filters anything itself.
 */
@customElement('atlas-time-facet')
export class AtlasTimeFacet extends LitElement {
  static override styles = [
    baseStyles,
    facetStyles,
    css`
      :host {
        display: block;
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

  @property({ attribute: false }) facet: TimeFacet | null = null;
  /** Papers per bin under the other facets' filters (null: the totals). */
  @property({ attribute: false }) counts: Uint32Array | null = null;
  @property({ attribute: false }) filter: TimeFilter | null = null;
  @property({ attribute: false }) playback: TimePlayback = { playing: false, window: 6, speed: 1 };
  /** The window the player shows now, and its count (set while playing). */
  @property({ attribute: false }) playStep: { from: number; to: number; count: number } | null =
    null;

  /** Bins of a brush being dragged on the histogram, before the pointer is let go. */
  @state() private dragging: { anchor: number; at: number } | null = null;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('facet')) this.dragging = null;
  }

  override render() {
    const facet = this.facet;
    if (!facet) return nothing;
    const current = this.counts ?? facet.totals;
    const filter = this.filter;
    const range =
      this.dragging !== null
        ? {
            from: Math.min(this.dragging.anchor, this.dragging.at),
            to: Math.max(this.dragging.anchor, this.dragging.at),
          }
        : filter
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
      ${facetHeader('time', filter !== null, () => this.change(null))}
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
        ${this.playerChoice('window', windows, (w) => `${w} ${unitName}`)}
        ${this.playerChoice('speed', SPEEDS, (s) => `${s}×`)}
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
                  <td>${formatCount(current[bin]!)}</td>
                  <td>${formatCount(facet.totals[bin]!)}</td>
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
    return `${from} – ${to}: ${formatCount(step.count)} papers`;
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
      whole ? null : { field: 'time', from: facet.firstKey + from, to: facet.firstKey + to },
    );
  }

  private pickRange(facet: TimeFacet, event: Event, end: 'from' | 'to'): void {
    const bin = Number((event.target as HTMLSelectElement).value);
    const filter = this.filter;
    const from = filter ? filter.from - facet.firstKey : 0;
    const to = filter ? filter.to - facet.firstKey : facet.binCount - 1;
    if (end === 'from') this.emitRange(facet, bin, Math.max(bin, to));
    else this.emitRange(facet, Math.min(from, bin), bin);
  }

  private change(filter: TimeFilter | null): void {
    emitIntent(this, 'facet-change', { field: 'time', filter } satisfies FacetChange);
  }

  /** A select of the time player's window or speed, labelled for its setting. */
  private playerChoice(
    setting: 'window' | 'speed',
    values: readonly number[],
    text: (value: number) => string,
  ) {
    const name = setting === 'window' ? 'Window' : 'Speed';
    return html`<label
      >${setting}
      <select
        aria-label=${name}
        @change=${(event: Event) =>
          this.playbackChange({ [setting]: Number((event.target as HTMLSelectElement).value) })}
      >
        ${values.map(
          (value) =>
            html`<option value=${value} ?selected=${this.playback[setting] === value}>
              ${text(value)}
            </option>`,
        )}
      </select></label
    >`;
  }

  private playbackChange(change: Partial<TimePlayback>): void {
    emitIntent(this, 'time-playback', { ...this.playback, ...change } satisfies TimePlayback);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'atlas-time-facet': AtlasTimeFacet;
  }
}
