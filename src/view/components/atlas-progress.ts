import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { StageProgress } from '../../pipeline/types.ts';
import { formatDuration } from '../model/format.ts';
import { emit } from '../services.ts';
import { baseStyles } from '../styles.ts';

const STAGE_NAMES: Record<StageProgress['stage'], string> = {
  loading: 'Loading the corpus',
  parsing: 'Reading papers',
  embedding: 'Embedding abstracts',
  projecting: 'Laying out the map',
  clustering: 'Finding clusters',
  labelling: 'Naming clusters',
};

/** Progress of the computation: stage, percent, rate, time left, and Cancel (`atlas-cancel`). */
@customElement('atlas-progress')
export class AtlasProgress extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      .panel {
        background: var(--atlas-surface);
        border: 1px solid var(--atlas-border);
        border-radius: var(--atlas-radius);
        box-shadow: var(--atlas-shadow);
        padding: 10px 12px;
        min-width: min(360px, 90vw);
      }
      .top {
        display: flex;
        align-items: center;
        gap: 10px;
      }
      .stage {
        flex: 1;
        font-weight: 600;
      }
      .figures {
        font-size: 12px;
        color: var(--atlas-muted);
        font-variant-numeric: tabular-nums;
        display: flex;
        gap: 12px;
        flex-wrap: wrap;
        margin-top: 4px;
      }
      progress {
        width: 100%;
        height: 6px;
        margin-top: 8px;
        accent-color: var(--atlas-accent);
      }
    `,
  ];

  @property({ attribute: false }) progress: StageProgress | null = null;
  @property({ type: Boolean }) cancellable = true;

  override render() {
    const p = this.progress;
    if (!p) return nothing;
    const fraction = p.total > 0 ? Math.min(1, p.done / p.total) : null;
    const percent = fraction === null ? null : Math.round(fraction * 100);
    const unit = p.stage === 'projecting' ? 'epochs/s' : 'docs/s';
    return html`<div class="panel" role="status" aria-live="polite">
      <div class="top">
        <span class="stage"
          >${STAGE_NAMES[p.stage]}${percent === null ? '…' : html` — <span class="percent">${percent}%</span>`}</span
        >
        ${this.cancellable ? html`<button @click=${() => emit(this, 'atlas-cancel', undefined)}>Cancel</button>` : nothing}
      </div>
      <progress
        aria-label=${STAGE_NAMES[p.stage]}
        max="1"
        .value=${fraction ?? 0}
        ?indeterminate=${fraction === null}
      ></progress>
      <div class="figures">
        ${p.total > 0 ? html`<span>${p.done.toLocaleString()} / ${p.total.toLocaleString()}</span>` : nothing}
        ${p.rate !== undefined ? html`<span class="rate">${p.rate.toFixed(p.rate < 10 ? 1 : 0)} ${unit}</span>` : nothing}
        ${p.etaSeconds !== undefined ? html`<span class="eta">${formatDuration(p.etaSeconds)} left</span>` : nothing}
        ${p.message ? html`<span>${p.message}</span>` : nothing}
      </div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'atlas-progress': AtlasProgress;
  }
}
