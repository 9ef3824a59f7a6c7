/**
 * The explorer's toolbar: search (text or semantic), the map tools (pan, box, lasso, fit), sharing and
 * saving. A template of what it is given; every button is an intent the explorer handles.
 */
import { html, nothing } from 'lit';
import type { SelectMode } from '../map/area-selection.ts';
import type { SearchController } from '../search/search-controller.ts';

export interface ToolbarView {
  search: SearchController;
  /** Whether the map carries vectors (semantic search needs them and the model). */
  hasVectors: boolean;
  areaMode: SelectMode;
  panelOpen: boolean;
  /** A link to copy by hand, where the clipboard refused it. */
  copyFallback: string;
}

export interface ToolbarIntents {
  setAreaMode(mode: SelectMode): void;
  fit(): void;
  copyLink(): void;
  downloadBundle(): void;
  downloadPng(): void;
  openFile(): void;
  addFiles(): void;
  togglePanel(): void;
}

const svgIcon = (path: string) =>
  html`<svg viewBox="0 0 24 24" aria-hidden="true"><path d=${path}></path></svg>`;
const MODES: Record<SelectMode, { label: string; title: string; icon: ReturnType<typeof html> }> = {
  pan: {
    label: 'Pan',
    title: 'Pan and zoom (shift-drag selects a box)',
    icon: svgIcon(
      'M12 3v18M3 12h18M12 3l-3 3M12 3l3 3M12 21l-3-3M12 21l3-3M3 12l3-3M3 12l3 3M21 12l-3-3M21 12l-3 3',
    ),
  },
  box: { label: 'Box', title: 'Select with a box', icon: svgIcon('M4 6h16v12H4z') },
  lasso: {
    label: 'Lasso',
    title: 'Select with a lasso',
    icon: svgIcon('M12 4c5 0 8 2.5 8 5.5S17 15 12 15s-8-2.5-8-5.5S7 4 12 4zM7 14c-1 2 0 4 2 5'),
  },
};
const FIT_ICON = svgIcon('M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5');

export function renderToolbar(view: ToolbarView, intents: ToolbarIntents) {
  const { search } = view;
  const semanticTitle = search.semanticAvailable
    ? 'Rank papers by meaning with the embedding model'
    : view.hasVectors
      ? 'Semantic search needs the embedding model, which is not loaded'
      : 'Semantic search needs the map’s vectors, which it does not have';
  return html`<div class="toolbar">
    <div class="card search" role="search">
      <span aria-hidden="true" class="muted">⌕</span>
      <input
        type="search"
        aria-label=${search.semantic ? 'Search by meaning' : 'Search titles, abstracts and authors'}
        placeholder=${search.semantic ? 'Describe a topic… (press /)' : 'Search papers… (press /)'}
        .value=${search.text}
        @input=${(e: Event) => search.type((e.target as HTMLInputElement).value)}
        @keydown=${(e: KeyboardEvent) => {
          if (e.key === 'Enter') search.runNow();
        }}
      />
      <label class="toggle" title=${semanticTitle}>
        <input
          type="checkbox"
          .checked=${search.semantic}
          ?disabled=${!search.semanticAvailable && !search.semantic}
          @change=${(e: Event) => search.setSemantic((e.target as HTMLInputElement).checked)}
        />Semantic
      </label>
    </div>
    <div class="spacer"></div>
    <div class="card tools" role="toolbar" aria-label="Map tools">
      ${(['pan', 'box', 'lasso'] as const).map(
        (mode) =>
          html`<button
            aria-pressed=${view.areaMode === mode ? 'true' : 'false'}
            aria-label=${MODES[mode].label}
            title=${MODES[mode].title}
            @click=${() => intents.setAreaMode(mode)}
          >
            ${MODES[mode].icon}<span class="label">${MODES[mode].label}</span>
          </button>`,
      )}
      <button title="Show the whole map" aria-label="Fit map" @click=${intents.fit}>
        ${FIT_ICON}
      </button>
      <button @click=${intents.copyLink}>Copy link</button>
      <details class="menu" @click=${closeMenuOnAction}>
        <summary aria-label="Save and open">Save ▾</summary>
        <div class="card menu-items">
          <button @click=${intents.downloadBundle}>Download map</button>
          <button @click=${intents.downloadPng}>Download PNG</button>
          <button title="Open a corpus or a saved map" @click=${intents.openFile}>
            Open a file…
          </button>
          <button
            title="Place the papers of a file on this map without moving it"
            @click=${intents.addFiles}
          >
            Add papers to this map…
          </button>
        </div>
      </details>
      <button
        aria-label=${view.panelOpen ? 'Hide panel' : 'Show panel'}
        aria-expanded=${view.panelOpen ? 'true' : 'false'}
        @click=${intents.togglePanel}
      >
        ☰
      </button>
    </div>
    ${
      view.copyFallback
        ? html`<div class="card" style="padding:8px;flex-basis:100%">
            <label class="muted"
              >Copy this link<input class="copy-fallback" readonly .value=${view.copyFallback}
            /></label>
          </div>`
        : nothing
    }
  </div>`;
}

function closeMenuOnAction(event: Event): void {
  if ((event.target as HTMLElement).closest('.menu-items button')) {
    (event.currentTarget as HTMLDetailsElement).open = false;
  }
}
