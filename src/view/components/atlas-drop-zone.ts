import { LitElement, css, html } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { emit } from '../services.ts';
import { baseStyles } from '../styles.ts';

/**
 * Wraps its content so a file dropped anywhere on it (or picked with the button it renders through
 * `openPicker()`) becomes `atlas-file-selected`: a new map. With `can-add` (a map is open), a drag
 * shows two targets: the left half makes a new map, the right half ("Add to this map") adds the
 * papers to the open map as `atlas-files-added`; so does `openPicker('add')`.
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
      .overlay.split {
        grid-template-columns: 1fr 1fr;
        place-items: stretch;
        border: none;
        background: none;
        gap: 8px;
      }
      .target {
        display: grid;
        place-items: center;
        border: 2px dashed var(--atlas-accent);
        border-radius: 14px;
        background: color-mix(in srgb, var(--atlas-accent) 12%, transparent);
      }
      .target.active {
        background: color-mix(in srgb, var(--atlas-accent) 28%, transparent);
      }
    `,
  ];

  /** File types the picker offers, as for `<input accept>`. */
  @property() accept = '.txt,.csv,.tsv,.json,.jsonl,.ndjson,.bib,.ris,.parquet,.gz,.atlas.json';
  /** A map is open, so dropped or picked papers may be added to it. */
  @property({ type: Boolean, attribute: 'can-add' }) canAdd = false;
  @state() private dragging = false;
  /** While dragging with `canAdd`: whether the pointer is over the "Add to this map" half. */
  @state() private overAdd = false;
  @query('input[type=file]') private input!: HTMLInputElement;
  private depth = 0;
  private pickMode: 'new' | 'add' = 'new';

  /** Opens the file picker; the files it gives make a new map, or with `add` join the open one. */
  openPicker(mode: 'new' | 'add' = 'new'): void {
    this.pickMode = mode;
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
      ${this.dragging ? this.renderOverlay() : ''}`;
  }

  private renderOverlay() {
    if (!this.canAdd) return html`<div class="overlay" aria-hidden="true">Drop to open</div>`;
    return html`<div class="overlay split" aria-hidden="true">
      <div class="target ${this.overAdd ? '' : 'active'}">New map</div>
      <div class="target ${this.overAdd ? 'active' : ''}">Add to this map</div>
    </div>`;
  }

  /** Whether a drag event is over the right half, the "Add to this map" target. */
  private inAddHalf(event: DragEvent): boolean {
    if (!this.canAdd) return false;
    const box = this.getBoundingClientRect();
    return event.clientX > box.left + box.width / 2;
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
    this.overAdd = this.inAddHalf(event);
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
    if (files.length === 0) return;
    emit(this, this.inAddHalf(event) ? 'atlas-files-added' : 'atlas-file-selected', files);
  };

  private onPicked() {
    const files = [...(this.input.files ?? [])];
    this.input.value = '';
    const mode = this.pickMode;
    this.pickMode = 'new';
    if (files.length === 0) return;
    emit(this, mode === 'add' && this.canAdd ? 'atlas-files-added' : 'atlas-file-selected', files);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'atlas-drop-zone': AtlasDropZone;
  }
}
