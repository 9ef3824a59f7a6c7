/** What floats over the map: the legend card, the hover tooltip and the empty state. Templates only. */
import { html, nothing } from 'lit';
import type { Paper } from '../../pipeline/types.ts';
import '../components/atlas-legend.ts';
import { paperMeta } from '../components/paper-row.ts';
import type { LegendEntry } from '../model/colors.ts';
import type { ColorBy } from '../share/url-state.ts';

export interface LegendIntents {
  toggleLegend(): void;
  colorBy(colorBy: ColorBy): void;
  pickEntry(entry: number): void;
}

export function renderLegend(
  view: { open: boolean; entries: LegendEntry[]; colorBy: ColorBy; active: number },
  intents: LegendIntents,
) {
  return html`<div class="card legend-card" ?data-collapsed=${!view.open}>
    <button
      class="legend-toggle"
      aria-expanded=${view.open ? 'true' : 'false'}
      @click=${intents.toggleLegend}
    >
      Legend ${view.open ? '▾' : '▸'}
    </button>
    <atlas-legend
      ?hidden=${!view.open}
      .entries=${view.entries}
      .colorBy=${view.colorBy}
      .active=${view.active}
      @legend-color-by=${(e: CustomEvent<ColorBy>) => intents.colorBy(e.detail)}
      @legend-toggle=${(e: CustomEvent<number>) => intents.pickEntry(e.detail)}
    ></atlas-legend>
  </div>`;
}

/** The hovered paper's title and authors by the pointer, flipped to stay inside `bounds`. */
export function renderTooltip(paper: Paper, at: { x: number; y: number }, bounds: DOMRect | null) {
  const meta = paperMeta(paper);
  const flipX = bounds !== null && at.x > bounds.width - 360;
  const flipY = bounds !== null && at.y > bounds.height - 110;
  const transform = `translate(${flipX ? 'calc(-100% - 12px)' : '12px'}, ${flipY ? 'calc(-100% - 12px)' : '12px'})`;
  return html`<div
    class="card tooltip"
    role="tooltip"
    style="left:${at.x}px;top:${at.y}px;transform:${transform}"
  >
    <span class="paper-title">${paper.title}</span>
    ${meta ? html`<span class="paper-meta">${meta}</span>` : nothing}
  </div>`;
}

export function renderEmpty(openFile: () => void) {
  return html`<div class="empty">
    <div class="card">
      <h1>Open a corpus</h1>
      <p class="muted">
        Drop a file of abstracts (text, CSV, JSON, BibTeX) or a saved <code>.atlas.json</code> map
        anywhere here.
      </p>
      <button class="primary" @click=${openFile}>Choose a file…</button>
    </div>
  </div>`;
}
