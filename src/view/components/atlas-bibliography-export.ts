import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AtlasMap } from '../../pipeline/atlas-map.ts';
import {
  BIBLIOGRAPHY_FORMATS,
  FORMAT_LABELS,
  bibliographyFile,
  type BibliographyFormat,
} from '../export/bibliography-file.ts';
import { saveBlob } from '../export/download.ts';
import { baseStyles } from '../styles.ts';

/**
 * Export buttons for a list of papers (the reading list, the selection): BibTeX, RIS and CSV, with
 * notes and stable citation keys. It saves the file itself and announces what it wrote.
 */
@customElement('atlas-bibliography-export')
export class AtlasBibliographyExport extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: inline-flex;
        align-items: center;
        gap: 4px;
        flex-wrap: wrap;
      }
      .label {
        color: var(--atlas-muted);
        font-size: 13px;
      }
    `,
  ];

  @property({ attribute: false }) map: AtlasMap | undefined;
  /** Indices into `map.papers`, in the order to write them. */
  @property({ attribute: false }) indices: ArrayLike<number> = [];
  /** The reader's notes by paper id; a paper without one keeps the note it came with. */
  @property({ attribute: false }) notes: ReadonlyMap<string, string> = new Map();
  /** Names the file: `<map>-<stem>.ris`. */
  @property() stem = 'papers';
  @state() private announcement = '';

  override render() {
    const empty = !this.map || this.indices.length === 0;
    return html`<span class="label">Export</span>
      ${BIBLIOGRAPHY_FORMATS.map(
        (format) =>
          html`<button
            aria-label="Export ${FORMAT_LABELS[format]}"
            title="Save these papers as ${FORMAT_LABELS[format]}, with notes"
            ?disabled=${empty}
            @click=${() => this.save(format)}
          >
            ${FORMAT_LABELS[format]}
          </button>`,
      )}
      <span class="visually-hidden" role="status">${this.announcement}</span>`;
  }

  private save(format: BibliographyFormat): void {
    if (!this.map) return;
    const file = bibliographyFile(format, this.map, this.indices, this.notes, this.stem);
    saveBlob(new Blob([file.text], { type: file.type }), file.fileName);
    const count = this.indices.length;
    this.announcement = `${count.toLocaleString()} ${count === 1 ? 'paper' : 'papers'} exported as ${FORMAT_LABELS[format]}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'atlas-bibliography-export': AtlasBibliographyExport;
  }
}
