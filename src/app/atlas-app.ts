import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { AtlasError } from '../lib/errors.ts';
import type { AtlasStatus } from '../pipeline/types.ts';
import { PipelineController } from './pipeline-controller.ts';
import { readPipelineParams } from './url-params.ts';

const PREVIEW_LIMIT = 200;

/**
 * The root element. Its attributes reflect the pipeline for people and automation:
 * `status`, `doc-count` and `embedder`.
 */
@customElement('atlas-app')
export class AtlasApp extends LitElement {
  @property({ reflect: true }) status: AtlasStatus = 'idle';
  @property({ type: Number, reflect: true, attribute: 'doc-count' }) docCount = 0;
  @property({ reflect: true }) embedder: string | undefined;

  private readonly pipeline = new PipelineController(this, import.meta.env.BASE_URL);
  private readonly params = readPipelineParams(location.search);

  override connectedCallback(): void {
    super.connectedCallback();
    void this.pipeline.run(this.params.source);
  }

  protected override willUpdate(): void {
    this.status = this.pipeline.status;
    this.docCount = this.pipeline.corpus?.papers.length ?? 0;
  }

  override render() {
    const corpus = this.pipeline.corpus;
    const error = this.pipeline.lastError;
    return html`
      <header>
        <h1>Abstract Atlas</h1>
        ${
          corpus
            ? html`<p class="summary">
                <strong>${corpus.name}</strong>: ${corpus.papers.length} papers
                ${
                  corpus.skipped.count > 0
                    ? html`, ${corpus.skipped.count} rows skipped
                      (${Object.entries(corpus.skipped.reasons)
                        .map(([reason, count]) => `${count} ${reason}`)
                        .join(', ')})`
                    : nothing
                }
              </p>`
            : nothing
        }
      </header>
      ${this.pipeline.running ? html`<p role="status" class="progress">${this.status}…</p>` : nothing}
      ${error ? this.renderError(error) : nothing}
      ${[...this.params.warnings, ...(corpus?.warnings ?? [])].map((w) => html`<p class="notice">${w}</p>`)}
      ${
        corpus
          ? html`<ol class="papers">
              ${corpus.papers.slice(0, PREVIEW_LIMIT).map(
                (paper) =>
                  html`<li>
                    <span class="title">${paper.title}</span>
                    <span class="abstract">${paper.abstract.slice(0, 240)}</span>
                  </li>`,
              )}
            </ol>`
          : nothing
      }
    `;
  }

  private renderError(error: Error) {
    const message = error instanceof AtlasError ? error.readerMessage : error.message;
    return html`<p role="alert" class="error">${message}</p>`;
  }

  static override styles = css`
    :host {
      display: block;
      box-sizing: border-box;
      padding: 1rem 1.5rem;
      overflow: auto;
    }
    h1 {
      font-size: 1.3rem;
      margin: 0 0 0.25rem;
    }
    .papers {
      padding-left: 1.5rem;
    }
    .papers li {
      margin: 0.5rem 0;
    }
    .title {
      display: block;
      font-weight: 600;
    }
    .abstract {
      display: block;
      opacity: 0.75;
      font-size: 0.9rem;
    }
    .error {
      color: #b42318;
    }
  `;
}

declare global {
  interface HTMLElementTagNameMap {
    'atlas-app': AtlasApp;
  }
}
