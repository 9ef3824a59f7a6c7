import { LitElement, css, html } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { emit } from '../services.ts';
import { baseStyles } from '../styles.ts';

/**
 * Wraps its content so a file dropped anywhere on it (or picked with the button it renders through
 * `openPicker()`) becomes `atlas-file-selected`.
 */
@customElement('atlas-drop-zone')
export class AtlasDropZone extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
        position: relative;
      }
      .overlay {
        position: absolute;
        inset: 8px;
        border: 2px dashed var(--atlas-accent);
        border-radius: 14px;
        background: color-mix(in srgb, var(--atlas-accent) 12%, transparent);
        display: grid;
        place-items: center;
        font-size: 18px;
        font-weight: 600;
        pointer-events: none;
        z-index: 50;
      }
    `,
  ];

  /** File types the picker offers, as for `<input accept>`. */
  @property() accept = '.txt,.csv,.tsv,.json,.jsonl,.ndjson,.bib,.ris,.parquet,.gz,.atlas.json';
  @state() private dragging = false;
  @query('input[type=file]') private input!: HTMLInputElement;
  private depth = 0;

  openPicker(): void {
    this.input.click();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('dragenter', this.onDragEnter);
    this.addEventListener('dragover', this.onDragOver);
    this.addEventListener('dragleave', this.onDragLeave);
    this.addEventListener('drop', this.onDrop);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('dragenter', this.onDragEnter);
    this.removeEventListener('dragover', this.onDragOver);
    this.removeEventListener('dragleave', this.onDragLeave);
    this.removeEventListener('drop', this.onDrop);
  }

  override render() {
    return html`<slot></slot>
      <input
        type="file"
        class="visually-hidden"
        tabindex="-1"
        aria-hidden="true"
        multiple
        accept=${this.accept}
        @change=${this.onPicked}
      />
      ${this.dragging ? html`<div class="overlay" aria-hidden="true">Drop to open</div>` : ''}`;
  }

  private hasFiles(event: DragEvent): boolean {
    return event.dataTransfer?.types.includes('Files') ?? false;
  }

  private readonly onDragEnter = (event: DragEvent) => {
    if (!this.hasFiles(event)) return;
    event.preventDefault();
    this.depth++;
    this.dragging = true;
  };

  private readonly onDragOver = (event: DragEvent) => {
    if (!this.hasFiles(event)) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
  };

  private readonly onDragLeave = () => {
    this.depth = Math.max(0, this.depth - 1);
    if (this.depth === 0) this.dragging = false;
  };

  private readonly onDrop = (event: DragEvent) => {
    if (!this.hasFiles(event)) return;
    event.preventDefault();
    this.depth = 0;
    this.dragging = false;
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length > 0) emit(this, 'atlas-file-selected', files);
  };

  private onPicked() {
    const files = [...(this.input.files ?? [])];
    this.input.value = '';
    if (files.length > 0) emit(this, 'atlas-file-selected', files);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'atlas-drop-zone': AtlasDropZone;
  }
}
