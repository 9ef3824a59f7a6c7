import { consume } from '@lit/context';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { AtlasError } from '../lib/errors.ts';
import type { AtlasMap } from '../pipeline/atlas-map.ts';
import { bundleFileName, bundleToJson } from '../pipeline/bundle.ts';
import type { StageProgress } from '../pipeline/types.ts';
import { explorerStyles } from './atlas-explorer.styles.ts';
import './components/atlas-details.ts';
import './components/atlas-drop-zone.ts';
import type { AtlasDropZone } from './components/atlas-drop-zone.ts';
import './components/atlas-error-banner.ts';
import './components/atlas-legend.ts';
import './components/atlas-progress.ts';
import './components/atlas-bibliography-export.ts';
import './components/atlas-reading-list.ts';
import type { ReadingRow } from './components/atlas-reading-list.ts';
import { paperMeta, paperRow } from './components/paper-row.ts';
import { highlightTerms } from './components/text-highlight.ts';
import { saveBlob } from './export/download.ts';
import { renderMapPng } from './export/png.ts';
import { AreaSelectionController, type SelectMode } from './map/area-selection.ts';
import { AtlasMapController, type RenderMode } from './map/map-controller.ts';
import { colourMap, type Colouring } from './model/colors.ts';
import { nearestPapers, type RankedPapers } from './model/neighbours.ts';
import type { EmbedQuery } from './model/paper-search.ts';
import { SearchController } from './search/search-controller.ts';
import { atlasServicesContext, emit, type AtlasServices } from './services.ts';
import {
  applyShareState,
  sameShareState,
  type ColorBy,
  type ReadingItem,
  type ShareState,
  type ViewCamera,
} from './share/url-state.ts';
import { baseStyles } from './styles.ts';

type PanelTab = 'details' | 'search' | 'selection' | 'reading';

const svgIcon = (path: string) =>
  html`<svg viewBox="0 0 24 24" aria-hidden="true"><path d=${path}></path></svg>`;
const MODE_ICONS: Record<SelectMode, ReturnType<typeof html>> = {
  pan: svgIcon(
    'M12 3v18M3 12h18M12 3l-3 3M12 3l3 3M12 21l-3-3M12 21l3-3M3 12l3-3M3 12l3 3M21 12l-3-3M21 12l-3 3',
  ),
  box: svgIcon('M4 6h16v12H4z'),
  lasso: svgIcon('M12 4c5 0 8 2.5 8 5.5S17 15 12 15s-8-2.5-8-5.5S7 4 12 4zM7 14c-1 2 0 4 2 5'),
};
const FIT_ICON = svgIcon('M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5');
const LIST_LIMIT = 200;
const VIEW_EMIT_DELAY_MS = 250;

/**
 * The explorer: a deck.gl map of an `AtlasMap` with labels, hover and details, search (text and
 * semantic), colouring with a legend, box and lasso selection, a reading list, sharing and export.
 * Everything from the corpus is rendered as text.
 */
@customElement('atlas-explorer')
export class AtlasExplorer extends LitElement {
  static override styles = [baseStyles, explorerStyles];

  /** The map to show; setting a new one keeps the explorer and resets the per-map state. */
  @property({ attribute: false }) map: AtlasMap | null = null;
  /** State to restore when a map arrives (from a shared link). */
  @property({ attribute: false }) initialState: ShareState | null = null;
  /** URL of the corpus the map came from, carried in shared links (also restored from `initialState`). */
  @property({ attribute: false }) corpus: string | undefined;
  /** Progress of a computation running behind the current map. */
  @property({ attribute: false }) progress: StageProgress | null = null;
  /** An error to show in plain words, with Retry. */
  @property({ attribute: false }) error: Error | null = null;

  /** Number of points drawn, once the first frame is on screen. */
  @property({ type: Number, reflect: true }) points = 0;
  /** Current camera zoom (log2 pixels per map unit). */
  @property({ type: Number, reflect: true }) zoom = 0;
  /** Id of the selected paper, or empty. */
  @property({ attribute: 'selected-paper', reflect: true }) selectedPaper = '';
  /** Set once background work for the map (cluster hulls) has finished. */
  @property({ type: Boolean, reflect: true }) settled = false;
  /** Whether the map draws each paper or, for more papers in view than the renderer can draw, their density. */
  @property({ attribute: 'render-mode', reflect: true }) renderMode: RenderMode = 'points';
  /** How many papers are highlighted by search, legend and selection together (-1: none). */
  @property({ type: Number, reflect: true }) highlighted = -1;

  @consume({ context: atlasServicesContext, subscribe: true })
  @property({ attribute: false })
  services: AtlasServices | undefined;

  @state() private colorBy: ColorBy = 'cluster';
  @state() private colouring: Colouring | null = null;
  @state() private selectedIndex = -1;
  @state() private neighbours: (RankedPapers & { space: 'embedding' | 'layout' }) | null = null;
  @state() private legendActive = -1;
  @state() private selection: Int32Array | null = null;
  @state() private reading: ReadingItem[] = [];
  @state() private hover: { index: number; x: number; y: number } | null = null;
  @state() private tab: PanelTab = 'search';
  @state() private panelOpen = true;
  @state() private announcement = '';
  @state() private copyFallback = '';
  /** The legend starts folded on narrow screens, where it would cover the map. */
  @state() private legendOpen =
    typeof matchMedia !== 'function' || !matchMedia('(max-width: 720px)').matches;

  @query('.deck') private deckContainer!: HTMLDivElement;
  @query('input[type=search]') private searchInput!: HTMLInputElement;
  @query('atlas-drop-zone') private dropZone!: AtlasDropZone;

  private readonly mapController = new AtlasMapController(this, {
    onHover: (index, x, y) => {
      this.hover = index >= 0 ? { index, x, y } : null;
    },
    onClick: (index) => {
      if (index >= 0) this.selectPaper(index, { fly: false });
    },
    onViewChange: (camera) => {
      this.zoom = Math.round(camera.zoom * 1000) / 1000;
      this.scheduleViewEmit();
    },
    onFirstFrame: () => {
      this.points = this.map?.papers.length ?? 0;
    },
    onRenderModeChange: (mode) => {
      this.renderMode = mode;
    },
    onSettled: () => {
      this.settled = true;
    },
  });

  private readonly search = new SearchController(this, () => this.onSearchChange());

  private readonly area = new AreaSelectionController(this, {
    surface: () => this.deckContainer ?? undefined,
    positions: () => this.map?.positions ?? null,
    unproject: (x, y) => this.mapController.unproject(x, y),
    bounds: () => this.mapController.bounds,
    onDragStart: () => {
      this.hover = null;
    },
    onSelect: (indices) => this.setSelection(indices),
  });

  /** Paper index by id, built on first use: a large map should not pay for it before its first frame. */
  private indexByIdCache: Map<string, number> | null = null;
  private viewTimer: ReturnType<typeof setTimeout> | null = null;
  private lastEmitted: ShareState | null = null;
  private walkHistory: number[] = [];
  private pendingCamera: ViewCamera | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('keydown', this.onKeyDown);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this.onKeyDown);
    if (this.viewTimer) clearTimeout(this.viewTimer);
  }

  // ---- Automation hooks -------------------------------------------------------------------------

  /** Client coordinates of paper `index` on screen, or null when not drawn yet. */
  paperToScreen(index: number): { x: number; y: number } | null {
    return this.mapController.paperToScreen(index);
  }

  /** The paper drawn at client coordinates, or -1. */
  screenToPaper(x: number, y: number): number {
    return this.mapController.screenToPaper(x, y);
  }

  /** The shareable state now. */
  get shareState(): ShareState {
    const state: ShareState = {};
    if (this.corpus) state.corpus = this.corpus;
    const paper = this.map?.papers[this.selectedIndex];
    if (paper) state.selected = paper.id;
    if (this.search.active) state.search = this.search.text;
    if (this.search.semantic) state.semantic = true;
    if (this.points > 0) state.view = this.mapController.view;
    if (this.colorBy !== 'cluster') state.colorBy = this.colorBy;
    if (this.reading.length > 0) state.reading = this.reading.map((item) => ({ ...item }));
    return state;
  }

  /** Moves the camera to show the whole map. */
  fitView(): void {
    this.mapController.fit(400);
  }

  /** The camera now: centre in map coordinates and zoom. */
  get view(): ViewCamera {
    return this.mapController.view;
  }

  /** Moves the camera, animated over `durationMs` when given. */
  setView(camera: ViewCamera, durationMs = 0): void {
    this.mapController.jumpTo(camera, durationMs);
  }

  // ---- Lifecycle ---------------------------------------------------------------------------------

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('map')) this.resetForMap();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('map') && this.map && this.colouring) {
      this.mapController.attach(this.deckContainer, this.map, this.colouring, this.pendingCamera);
      this.pendingCamera = undefined;
      this.applyEmphasis();
      if (this.selectedIndex >= 0) this.mapController.setSelected(this.selectedIndex);
    }
  }

  private indexOfPaper(id: string): number | undefined {
    const papers = this.map?.papers ?? [];
    this.indexByIdCache ??= new Map(papers.map((paper, i) => [paper.id, i]));
    return this.indexByIdCache.get(id);
  }

  private resetForMap(): void {
    const map = this.map;
    this.points = 0;
    this.settled = false;
    this.selection = null;
    this.legendActive = -1;
    this.hover = null;
    this.walkHistory = [];
    this.neighbours = null;
    this.selectedIndex = -1;
    this.selectedPaper = '';
    if (!map) {
      this.colouring = null;
      this.search.setMap(null, () => undefined);
      return;
    }
    this.indexByIdCache = null;
    const initial = this.initialState ?? {};
    this.corpus = initial.corpus ?? this.corpus;
    this.colorBy = initial.colorBy ?? this.colorBy;
    this.colouring = colourMap(map, this.colorBy);
    this.search.setMap(map, () => this.queryEmbedder(), {
      text: initial.search ?? '',
      semantic: initial.semantic ?? false,
    });
    this.reading = (initial.reading ?? []).map((item) => ({ ...item }));
    this.pendingCamera = initial.view;
    const selected =
      initial.selected === undefined ? undefined : this.indexOfPaper(initial.selected);
    if (selected !== undefined) {
      this.selectedIndex = selected;
      this.selectedPaper = map.papers[selected]!.id;
      this.neighbours = nearestPapers(map, selected, 10);
      this.tab = 'details';
    } else if (this.search.active) this.tab = 'search';
    else if (this.reading.length > 0) this.tab = 'reading';
    this.initialState = null;
  }

  // ---- Selection of one paper ------------------------------------------------------------------

  private selectPaper(index: number, options: { fly?: boolean; walk?: boolean } = {}): void {
    const map = this.map;
    if (!map || index < 0 || index >= map.papers.length) return;
    if (!options.walk) this.walkHistory = [];
    this.selectedIndex = index;
    this.selectedPaper = map.papers[index]!.id;
    this.neighbours = nearestPapers(map, index, 10);
    this.mapController.setSelected(index);
    if (options.fly) this.mapController.flyTo(index);
    this.tab = 'details';
    this.panelOpen = true;
    this.announce(`Selected: ${map.papers[index]!.title}`);
    this.emitState();
  }

  private clearDetails(): void {
    this.selectedIndex = -1;
    this.selectedPaper = '';
    this.neighbours = null;
    this.walkHistory = [];
    this.mapController.setSelected(-1);
    if (this.tab === 'details')
      this.tab = this.search.result ? 'search' : this.selection ? 'selection' : 'reading';
    this.emitState();
  }

  // ---- Search ------------------------------------------------------------------------------------

  /** The app's query embedder, bound to its service, while one is provided. */
  private queryEmbedder(): EmbedQuery | undefined {
    const services = this.services;
    const embedQuery = services?.embedQuery;
    return embedQuery ? (text, signal) => embedQuery.call(services, text, signal) : undefined;
  }

  private onSearchChange(): void {
    if (this.search.result) {
      this.tab = 'search';
      this.panelOpen = true;
    }
    this.applyEmphasis();
    this.emitState();
  }

  // ---- Colouring, emphasis and area selection ----------------------------------------------------

  private setColorBy(colorBy: ColorBy): void {
    if (!this.map || colorBy === this.colorBy) return;
    this.colorBy = colorBy;
    this.colouring = colourMap(this.map, colorBy);
    this.legendActive = -1;
    this.mapController.setColouring(this.colouring);
    this.applyEmphasis();
    this.emitState();
  }

  /** Highlights papers in every active filter at once: search hits ∩ legend entry ∩ selection. */
  private applyEmphasis(): void {
    const map = this.map;
    if (!map) return;
    const filters: ((i: number) => boolean)[] = [];
    let candidates: ArrayLike<number> | null = null;
    if (this.search.result) candidates = this.search.result.indices;
    if (this.selection) {
      if (candidates) {
        const inSelection = new Uint8Array(map.papers.length);
        for (const i of this.selection) inSelection[i] = 1;
        filters.push((i) => inSelection[i] === 1);
      } else candidates = this.selection;
    }
    if (this.legendActive >= 0 && this.colouring) {
      const entryOf = this.colouring.entryOf;
      const entry = this.legendActive;
      filters.push((i) => entryOf[i] === entry);
    }
    if (!candidates && filters.length === 0) {
      this.highlighted = -1;
      this.mapController.setEmphasis(null);
      return;
    }
    const result: number[] = [];
    const total = candidates ? candidates.length : map.papers.length;
    for (let k = 0; k < total; k++) {
      const i = candidates ? candidates[k]! : k;
      if (filters.every((keep) => keep(i))) result.push(i);
    }
    this.highlighted = result.length;
    this.mapController.setEmphasis(result);
  }

  private setSelection(indices: Int32Array | null): void {
    this.selection = indices;
    if (indices) {
      this.tab = 'selection';
      this.panelOpen = true;
      this.announce(`${indices.length.toLocaleString()} papers selected`);
    } else if (this.tab === 'selection') this.tab = this.selectedIndex >= 0 ? 'details' : 'search';
    this.applyEmphasis();
  }

  // ---- Reading list ------------------------------------------------------------------------------

  private togglePin(index: number): void {
    const paper = this.map?.papers[index];
    if (!paper) return;
    const pinned = this.reading.some((item) => item.id === paper.id);
    this.reading = pinned
      ? this.reading.filter((item) => item.id !== paper.id)
      : [...this.reading, { id: paper.id, note: '' }];
    this.announce(pinned ? 'Removed from the reading list' : 'Added to the reading list');
    this.emitState();
  }

  private get readingRows(): ReadingRow[] {
    const map = this.map;
    return this.reading.map((item) => {
      const index = this.indexOfPaper(item.id) ?? -1;
      return { ...item, index, title: index >= 0 ? map!.papers[index]!.title : item.id };
    });
  }

  // ---- State out ---------------------------------------------------------------------------------

  private emitState(): void {
    if (!this.map) return;
    const state = this.shareState;
    if (this.lastEmitted && sameShareState(state, this.lastEmitted)) return;
    this.lastEmitted = state;
    emit(this, 'atlas-view-state-changed', state);
  }

  private scheduleViewEmit(): void {
    if (this.viewTimer) clearTimeout(this.viewTimer);
    this.viewTimer = setTimeout(() => this.emitState(), VIEW_EMIT_DELAY_MS);
  }

  private async copyLink(): Promise<void> {
    const url = applyShareState(window.location.href, this.shareState).toString();
    try {
      await navigator.clipboard.writeText(url);
      this.copyFallback = '';
      this.announce('Link copied to the clipboard');
    } catch (error) {
      console.warn('Copying the link failed:', error);
      this.copyFallback = url;
      this.announce('Could not copy automatically; copy the link below.');
    }
  }

  private downloadBundle(): void {
    const map = this.map;
    if (!map) return;
    const text = bundleToJson(map, { includeVectors: true });
    saveBlob(new Blob([text], { type: 'application/json' }), bundleFileName(map.name));
    this.announce('Map saved');
  }

  private async downloadPng(): Promise<void> {
    const map = this.map;
    if (!map) return;
    try {
      const frame = await this.mapController.captureFrame();
      const blob = await renderMapPng(frame, {
        labels: this.mapController.labels,
        project: (x, y) => this.mapController.projectWorld(x, y),
        title: map.name,
        background: getComputedStyle(this).getPropertyValue('--atlas-bg').trim() || '#f6f7f9',
        dark: matchMedia('(prefers-color-scheme: dark)').matches,
      });
      saveBlob(blob, bundleFileName(map.name).replace(/\.atlas\.json$/, '.png'));
      this.announce('Image saved');
    } catch (error) {
      this.error = new AtlasError('render', 'png-export', 'The image could not be made.', {
        hint: 'Try again after the map has finished drawing.',
        cause: error,
      });
    }
  }

  private announce(text: string): void {
    this.announcement = text;
  }

  // ---- Keyboard ----------------------------------------------------------------------------------

  private readonly onKeyDown = (event: KeyboardEvent) => {
    if (!this.map || !this.isConnected) return;
    const target = event.composedPath()[0] as HTMLElement | undefined;
    const typing =
      target instanceof HTMLInputElement ||
      target instanceof HTMLTextAreaElement ||
      target instanceof HTMLSelectElement;
    if (event.key === '/' && !typing) {
      event.preventDefault();
      this.searchInput?.focus();
      this.searchInput?.select();
      return;
    }
    if (event.key === 'Escape') {
      if (this.area.cancelDrag()) return;
      if (target === this.searchInput && this.search.active) this.search.clear();
      else if (this.selectedIndex >= 0) this.clearDetails();
      else if (this.selection) this.setSelection(null);
      else if (this.legendActive >= 0) {
        this.legendActive = -1;
        this.applyEmphasis();
      } else if (this.search.active) this.search.clear();
      else if (this.area.mode !== 'pan') this.area.setMode('pan');
      return;
    }
    if (typing || this.selectedIndex < 0 || !this.neighbours) return;
    if (event.key === 'ArrowRight' || event.key === 'ArrowDown') {
      const visited = new Set([...this.walkHistory, this.selectedIndex]);
      const next = [...this.neighbours.indices].find((i) => !visited.has(i));
      if (next === undefined) return;
      event.preventDefault();
      this.walkHistory = [...this.walkHistory, this.selectedIndex];
      this.selectPaper(next, { fly: true, walk: true });
    } else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') {
      const previous = this.walkHistory.at(-1);
      if (previous === undefined) return;
      event.preventDefault();
      this.walkHistory = this.walkHistory.slice(0, -1);
      this.selectPaper(previous, { fly: true, walk: true });
    }
  };

  // ---- Rendering ---------------------------------------------------------------------------------

  override render() {
    return html`<atlas-drop-zone>
      <div class="layout">
        <div
          class="map-area"
          @pointerdown=${{ handleEvent: this.area.pointerDown, capture: true }}
          @pointermove=${{ handleEvent: this.area.pointerMove, capture: true }}
          @pointerup=${{ handleEvent: this.area.pointerUp, capture: true }}
          @pointerleave=${() => (this.hover = null)}
        >
          <div
            class="deck"
            role="img"
            aria-label=${this.map ? `Map of ${this.map.papers.length} papers: ${this.map.name}` : 'Empty map'}
          ></div>
          ${this.area.renderOverlay()} ${this.renderTooltip()}
          ${this.map ? this.renderToolbar() : this.renderEmpty()}
          ${
            this.map && this.colouring
              ? html`<div class="card legend-card" ?data-collapsed=${!this.legendOpen}>
                  <button
                    class="legend-toggle"
                    aria-expanded=${this.legendOpen ? 'true' : 'false'}
                    @click=${() => (this.legendOpen = !this.legendOpen)}
                  >
                    Legend ${this.legendOpen ? '▾' : '▸'}
                  </button>
                  <atlas-legend
                    ?hidden=${!this.legendOpen}
                    .entries=${this.colouring.legend}
                    .colorBy=${this.colorBy}
                    .active=${this.legendActive}
                    @legend-color-by=${(e: CustomEvent<ColorBy>) => this.setColorBy(e.detail)}
                    @legend-toggle=${(e: CustomEvent<number>) => {
                      this.legendActive = e.detail;
                      this.applyEmphasis();
                    }}
                  ></atlas-legend>
                </div>`
              : nothing
          }
          <div class="card status-line" role="status" aria-live="polite">
            ${this.announcement || (this.map ? `${this.map.papers.length.toLocaleString()} papers · ${this.map.embedder.model}` : '')}
          </div>
          <div class="overlays">
            <atlas-progress .progress=${this.progress}></atlas-progress>
            <atlas-error-banner
              .error=${this.error}
              @atlas-error-dismissed=${() => (this.error = null)}
            ></atlas-error-banner>
          </div>
        </div>
        ${this.map ? this.renderPanel() : nothing}
      </div>
    </atlas-drop-zone>`;
  }

  private renderEmpty() {
    if (this.progress) return nothing;
    return html`<div class="empty">
      <div class="card">
        <h1>Open a corpus</h1>
        <p class="muted">
          Drop a file of abstracts (text, CSV, JSON, BibTeX, RIS, Parquet) or a saved
          <code>.atlas.json</code> map anywhere here.
        </p>
        <button class="primary" @click=${() => this.dropZone.openPicker()}>Choose a file…</button>
      </div>
    </div>`;
  }

  private renderToolbar() {
    const search = this.search;
    const semanticTitle = search.semanticAvailable
      ? 'Rank papers by meaning with the embedding model'
      : this.map?.vectors
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
              aria-pressed=${this.area.mode === mode ? 'true' : 'false'}
              aria-label=${mode === 'pan' ? 'Pan' : mode === 'box' ? 'Box' : 'Lasso'}
              title=${mode === 'pan' ? 'Pan and zoom (shift-drag selects a box)' : `Select with a ${mode}`}
              @click=${() => this.area.setMode(mode)}
            >
              ${MODE_ICONS[mode]}<span class="label"
                >${mode === 'pan' ? 'Pan' : mode === 'box' ? 'Box' : 'Lasso'}</span
              >
            </button>`,
        )}
        <button title="Show the whole map" aria-label="Fit map" @click=${() => this.fitView()}>
          ${FIT_ICON}
        </button>
        <button @click=${() => void this.copyLink()}>Copy link</button>
        <details class="menu" @click=${this.closeMenuOnAction}>
          <summary aria-label="Save and open">Save ▾</summary>
          <div class="card menu-items">
            <button @click=${() => this.downloadBundle()}>Download map</button>
            <button @click=${() => void this.downloadPng()}>Download PNG</button>
            <button title="Open a corpus or a saved map" @click=${() => this.dropZone.openPicker()}>
              Open a file…
            </button>
          </div>
        </details>
        <button
          aria-label=${this.panelOpen ? 'Hide panel' : 'Show panel'}
          aria-expanded=${this.panelOpen ? 'true' : 'false'}
          @click=${() => (this.panelOpen = !this.panelOpen)}
        >
          ☰
        </button>
      </div>
      ${
        this.copyFallback
          ? html`<div class="card" style="padding:8px;flex-basis:100%">
              <label class="muted"
                >Copy this link<input class="copy-fallback" readonly .value=${this.copyFallback}
              /></label>
            </div>`
          : nothing
      }
    </div>`;
  }

  private closeMenuOnAction(event: Event): void {
    if ((event.target as HTMLElement).closest('.menu-items button')) {
      (event.currentTarget as HTMLDetailsElement).open = false;
    }
  }

  private renderTooltip() {
    const hover = this.hover;
    const paper = hover ? this.map?.papers[hover.index] : undefined;
    if (!hover || !paper || this.area.dragging) return nothing;
    const meta = paperMeta(paper);
    const bounds = this.mapController.bounds;
    const flipX = bounds !== null && hover.x > bounds.width - 360;
    const flipY = bounds !== null && hover.y > bounds.height - 110;
    const transform = `translate(${flipX ? 'calc(-100% - 12px)' : '12px'}, ${flipY ? 'calc(-100% - 12px)' : '12px'})`;
    return html`<div
      class="card tooltip"
      role="tooltip"
      style="left:${hover.x}px;top:${hover.y}px;transform:${transform}"
    >
      <span class="paper-title">${paper.title}</span>
      ${meta ? html`<span class="paper-meta">${meta}</span>` : nothing}
    </div>`;
  }

  private renderPanel() {
    const tabs: [PanelTab, string][] = [
      ['details', 'Details'],
      ['search', 'Results'],
      ['selection', 'Selection'],
      ['reading', `Reading list${this.reading.length ? ` (${this.reading.length})` : ''}`],
    ];
    return html`<aside class="panel" ?hidden=${!this.panelOpen} aria-label="Explorer panel">
      <div class="tabs" role="tablist">
        ${tabs.map(
          ([tab, label]) =>
            html`<button
              role="tab"
              id="tab-${tab}"
              aria-selected=${this.tab === tab ? 'true' : 'false'}
              aria-controls="panel-body"
              @click=${() => (this.tab = tab)}
            >
              ${label}
            </button>`,
        )}
      </div>
      <div class="panel-body" id="panel-body" role="tabpanel" aria-labelledby="tab-${this.tab}">
        ${this.renderTab()}
      </div>
    </aside>`;
  }

  private renderTab() {
    const map = this.map!;
    switch (this.tab) {
      case 'details':
        return this.selectedIndex >= 0
          ? html`<atlas-details
              .map=${map}
              .index=${this.selectedIndex}
              .neighbours=${this.neighbours}
              .pinned=${this.reading.some((item) => item.id === map.papers[this.selectedIndex]?.id)}
              @details-close=${() => this.clearDetails()}
              @details-pin=${() => this.togglePin(this.selectedIndex)}
              @details-select=${(e: CustomEvent<number>) => this.selectPaper(e.detail, { fly: true })}
            ></atlas-details>`
          : html`<p class="muted">
              Click a point on the map to see its paper and its nearest neighbours.
            </p>`;
      case 'search':
        return this.renderSearchResults(map);
      case 'selection':
        return this.renderSelection(map);
      case 'reading':
        return html`<atlas-reading-list
          .items=${this.readingRows}
          .map=${map}
          @reading-change=${(e: CustomEvent<ReadingItem[]>) => {
            this.reading = e.detail;
            this.emitState();
          }}
          @reading-open=${(e: CustomEvent<number>) => this.selectPaper(e.detail, { fly: true })}
        ></atlas-reading-list>`;
    }
  }

  private renderSearchResults(map: AtlasMap) {
    const result = this.search.result;
    const open = (index: number) => this.selectPaper(index, { fly: true });
    return html`<div class="list-head">
        <span class="count search-status" role="status">${this.search.renderStatus()}</span>
        ${result ? html`<button @click=${() => this.search.clear()}>Clear</button>` : nothing}
      </div>
      ${
        result
          ? html`<ol class="papers search-results" aria-label="Search results">
              ${[...result.indices.subarray(0, LIST_LIMIT)].map((i, k) => {
                const paper = map.papers[i]!;
                return paperRow(paper, i, open, {
                  title: highlightTerms(paper.title, result.terms[k] ?? []),
                  ...(result.mode === 'semantic'
                    ? { score: `cos ${result.scores[k]!.toFixed(2)}` }
                    : {}),
                });
              })}
            </ol>`
          : nothing
      }`;
  }

  private renderSelection(map: AtlasMap) {
    const selection = this.selection;
    if (!selection) {
      return html`<p class="muted">
        Choose Box or Lasso in the toolbar (or hold Shift and drag on the map) to select papers.
      </p>`;
    }
    return html`<div class="list-head">
        <span class="count selection-count">${selection.length.toLocaleString()} selected</span>
        <atlas-bibliography-export
          .map=${map}
          .indices=${selection}
          .notes=${new Map(this.reading.map((item) => [item.id, item.note]))}
          stem="selection"
        ></atlas-bibliography-export>
        <button @click=${() => this.setSelection(null)}>Clear</button>
      </div>
      <ol class="papers selection-list" aria-label="Selected papers">
        ${[...selection.subarray(0, LIST_LIMIT)].map((i) =>
          paperRow(map.papers[i]!, i, (index) => this.selectPaper(index, { fly: true })),
        )}
      </ol>
      ${
        selection.length > LIST_LIMIT
          ? html`<p class="muted">
              …and ${(selection.length - LIST_LIMIT).toLocaleString()} more (all are in the export).
            </p>`
          : nothing
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'atlas-explorer': AtlasExplorer;
  }
}
