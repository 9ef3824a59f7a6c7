import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { AtlasError } from '../../lib/errors.ts';
import { emit } from '../services.ts';
import { baseStyles } from '../styles.ts';

/** An error in plain words: what went wrong, what to do, and Retry (`atlas-retry`). */
@customElement('atlas-error-banner')
export class AtlasErrorBanner extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      .banner {
        display: flex;
        gap: 12px;
        align-items: flex-start;
        background: var(--atlas-surface-solid);
        border: 1px solid var(--atlas-danger);
        border-left-width: 5px;
        border-radius: var(--atlas-radius);
        box-shadow: var(--atlas-shadow);
        padding: 10px 12px;
      }
      .text {
        flex: 1;
      }
      .message {
        font-weight: 600;
        margin: 0;
      }
      .hint {
        margin: 2px 0 0;
        color: var(--atlas-muted);
      }
      .stage {
        font-size: 12px;
        color: var(--atlas-danger);
        text-transform: uppercase;
        letter-spacing: 0.04em;
      }
      .buttons {
        display: flex;
        gap: 6px;
      }
    `,
  ];

  @property({ attribute: false }) error: Error | null = null;
  @property({ type: Boolean }) retryable = true;

  override render() {
    const error = this.error;
    if (!error) return nothing;
    const atlasError = error instanceof AtlasError ? error : null;
    return html`<div class="banner" role="alert">
      <div class="text">
        ${atlasError ? html`<div class="stage">${atlasError.stage} problem</div>` : nothing}
        <p class="message">${error.message}</p>
        ${atlasError?.hint ? html`<p class="hint">${atlasError.hint}</p>` : nothing}
      </div>
      <div class="buttons">
        ${this.retryable ? html`<button class="primary" @click=${() => emit(this, 'atlas-retry', undefined)}>Retry</button>` : nothing}
        <button class="icon" aria-label="Dismiss error" @click=${this.dismiss}>✕</button>
      </div>
    </div>`;
  }

  /** An intent: whoever owns the error clears it. */
  private dismiss() {
    this.dispatchEvent(new CustomEvent('atlas-error-dismissed', { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'atlas-error-banner': AtlasErrorBanner;
  }
}
