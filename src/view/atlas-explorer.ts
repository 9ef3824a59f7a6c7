import { consume } from '@lit/context';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { AtlasMap } from '../pipeline/atlas-map.ts';
import type { StageProgress } from '../pipeline/types.ts';
import { explorerStyles } from './atlas-explorer.styles.ts';
import './components/atlas-drop-zone.ts';
import type { AtlasDropZone } from './components/atlas-drop-zone.ts';
import './components/atlas-error-banner.ts';
import './components/atlas-progress.ts';
import { ExplorerDerived } from './explorer/derived.ts';
import { ExplorerIntents, type ExplorerStore } from './explorer/intents.ts';
import { ExplorerKeysController } from './explorer/keyboard.ts';
import { renderEmpty, renderLegend, renderTooltip } from './explorer/map-overlays.ts';
import { renderPanel } from './explorer/panel.ts';
import { renderToolbar } from './explorer/toolbar.ts';
import { TimePlaybackController } from './facets/time-playback.ts';
import { AreaSelectionController } from './map/area-selection.ts';
import type { RenderMode } from './model/level-of-detail.ts';
import { MapViewController } from './map/map-view.ts';
import * as explorer from './model/explorer-state.ts';
import { decodeFacetFilters } from './model/facet-links.ts';
import { SearchController } from './search/search-controller.ts';
import { atlasServicesContext, queryEmbedderOf, type AtlasServices } from './services.ts';
import { ShareStateController } from './share/share-controller.ts';
import { applyShareState, type ShareState, type ViewCamera } from './share/url-state.ts';
import { baseStyles } from './styles.ts';

/**
 * The explorer: a deck.gl map of an `AtlasMap` with labels, hover and details, search (text and
 * semantic), colouring with a legend, box and lasso selection, a reading list, sharing and export.
 *
 * State flows one way: the explorer owns one `ExplorerState` (plus the search query, in its controller,
 * and the camera, in the map's), derives the colouring, the highlight and the link from it, and hands
 * them to the map and to thin templates and components, whose events are intents that replace the
 * state. It never writes its inputs (`map`, `initialState`, `corpus`, `progress`, `error`); its
 * reflected attributes are outputs for automation. Everything from the corpus is rendered as text.
 */
@customElement('atlas-explorer')
export class AtlasExplorer extends LitElement {
  static override styles = [baseStyles, explorerStyles];

  /** The map to show; setting a new one keeps the explorer and resets the per-map state. */
  @property({ attribute: false }) map: AtlasMap | null = null;
  /** State to restore when the next map arrives (from a shared link); applied once. */
  @property({ attribute: false }) initialState: ShareState | null = null;
  /** URL of the corpus the map came from, carried in shared links (unless `initialState` names one). */
  @property({ attribute: false }) corpus: string | undefined;
  /** Progress of a computation running behind the current map. */
  @property({ attribute: false }) progress: StageProgress | null = null;
  /** An error to show in plain words, with Retry, until dismissed. */
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

  @state() private current: explorer.ExplorerState = explorer.EMPTY_EXPLORER_STATE;
  @state() private hover: { index: number; x: number; y: number } | null = null;
  @state() private announcement = '';
  @state() private copyFallback = '';
  /** An error of the explorer's own (an export that failed). */
  @state() private ownError: Error | null = null;
  /** The `error` input the reader dismissed. */
  @state() private dismissedError: Error | null = null;
  /** The legend starts folded on narrow screens, where it would cover the map. */
  @state() private legendOpen =
    typeof matchMedia !== 'function' || !matchMedia('(max-width: 720px)').matches;

  @query('.deck') private deckContainer!: HTMLDivElement;
  @query('input[type=search]') private searchInput!: HTMLInputElement;
  @query('atlas-drop-zone') private dropZone!: AtlasDropZone;

  private readonly mapView = new MapViewController(this, {
    onHover: (index, x, y) => {
      this.hover = index >= 0 ? { index, x, y } : null;
    },
    onClick: (index) => {
      if (index >= 0) this.intents.openPaper(index, false);
    },
    onLabelClick: (id) => this.intents.openTopic(id),
    onViewChange: (camera) => {
      this.zoom = Math.round(camera.zoom * 1000) / 1000;
      this.share.sendSoon();
    },
    onFirstFrame: () => {
      this.points = this.map?.papers.length ?? 0;
    },
    onRenderModeChange: (mode) => {
      this.renderMode = mode;
    },
    onSettled: () => {
      this.settled = true;
      if (this.map) void this.derived.prepareFacets(this.map);
    },
  });
  private readonly search = new SearchController(this, () => {
    if (this.search.result) this.current = explorer.showSearchResults(this.current);
  });
  private readonly area = new AreaSelectionController(this, {
    surface: () => this.deckContainer ?? undefined,
    positions: () => this.map?.positions ?? null,
    unproject: (x, y) => this.mapView.deck.unproject(x, y),
    bounds: () => this.mapView.deck.bounds,
    onDragStart: () => {
      this.hover = null;
    },
    onSelect: (indices) => this.intents.setArea(indices),
  });

  private readonly derived = new ExplorerDerived();
  private readonly share = new ShareStateController(this, () =>
    this.map ? this.shareState : null,
  );
  private readonly intents = new ExplorerIntents(this.store());
  private readonly keys = new ExplorerKeysController(this, {
    ...this.intents,
    active: () => this.map !== null && this.isConnected,
    searchInput: () => this.searchInput ?? undefined,
  });
  private readonly playback = new TimePlaybackController(this, {
    map: () => this.map,
    state: () => this.current,
    apply: (next) => (this.current = next),
    facetIndex: (map) => this.derived.facets(map).index,
    facetCounts: (map, filters) => this.derived.facetCounts(map, filters),
  });
  private appliedInitialState: ShareState | null = null;
  private restoredCamera: ViewCamera | undefined;

  // ---- Automation hooks -------------------------------------------------------------------------

  /** Client coordinates of paper `index` on screen, or null when not drawn yet. */
  paperToScreen(index: number): { x: number; y: number } | null {
    return this.mapView.deck.paperToScreen(index);
  }

  /** The paper drawn at client coordinates, or -1. */
  screenToPaper(x: number, y: number): number {
    return this.mapView.deck.screenToPaper(x, y);
  }

  /** The cluster whose label is drawn at client coordinates (a click there opens it), or -1. */
  screenToLabel(x: number, y: number): number {
    return this.mapView.deck.screenToLabel(x, y);
  }

  /** The cluster labels drawn now, each with its centre in client coordinates. */
  labelsOnScreen(): { id: number; text: string; x: number; y: number }[] {
    const rect = this.mapView.deck.bounds;
    if (!rect) return [];
    return this.mapView.overlay.labels.flatMap(({ id, text, position }) => {
      const at = this.mapView.deck.projectWorld(position[0], position[1]);
      return at ? [{ id, text, x: rect.left + at[0], y: rect.top + at[1] }] : [];
    });
  }

  /** The shareable state now. */
  get shareState(): ShareState {
    return explorer.shareStateOf(
      this.current,
      this.map,
      this.search,
      this.points > 0 ? this.mapView.deck.view : null,
      this.map ? this.derived.timeUnit(this.map) : 'year',
    );
  }

  /** Moves the camera to show the whole map. */
  fitView(): void {
    this.mapView.deck.fit(400);
  }

  /** The camera now: centre in map coordinates and zoom. */
  get view(): ViewCamera {
    return this.mapView.deck.view;
  }

  /** Moves the camera, animated over `durationMs` when given. */
  setView(camera: ViewCamera, durationMs = 0): void {
    this.mapView.deck.jumpTo(camera, durationMs);
  }

  // ---- State -------------------------------------------------------------------------------------

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('map')) this.resetForMap();
    const map = this.map;
    this.selectedPaper = map?.papers[this.current.selected]?.id ?? '';
    const highlight = map ? this.derived.highlighted(map, this.current, this.searchHits) : null;
    this.highlighted = highlight ? highlight.length : -1;
  }

  protected override updated(changed: PropertyValues<this>): void {
    const map = this.map;
    if (!map) return;
    this.mapView.deck.setFitInsets(this.fitInsets());
    this.mapView.show(
      this.deckContainer,
      map,
      this.derived.drawnColouring(map, this.current.colorBy, this.playback.step?.isNew ?? null),
      {
        highlighted: this.derived.highlighted(map, this.current, this.searchHits),
        selected: this.current.selected,
        hovered: this.renderMode === 'density' ? (this.hover?.index ?? -1) : -1,
      },
      changed.has('map') ? this.restoredCamera : undefined,
    );
    this.share.send();
  }

  private get searchHits(): ArrayLike<number> | null {
    return this.search.result?.indices ?? null;
  }

  /** The canvas's edges the toolbar and an open legend cover, kept clear when the map is fitted. */
  private fitInsets() {
    const wide = (this.deckContainer?.clientWidth ?? 0) > 720;
    return { left: wide && this.legendOpen ? 280 : 0, top: 56, right: 0, bottom: 0 };
  }

  private resetForMap(): void {
    const map = this.map;
    this.playback.reset();
    this.points = 0;
    this.settled = false;
    this.hover = null;
    if (!map) {
      this.search.setMap(null, () => undefined);
      return;
    }
    const restored =
      this.initialState !== this.appliedInitialState ? (this.initialState ?? {}) : {};
    this.appliedInitialState = this.initialState;
    this.restoredCamera = restored.view;
    this.search.setMap(map, () => queryEmbedderOf(this.services), {
      text: restored.search ?? '',
      semantic: restored.semantic ?? false,
    });
    const unit = this.derived.timeUnit(map);
    this.current = explorer.stateForMap(
      this.current,
      restored,
      (id) => this.derived.indexById(map).get(id),
      this.corpus,
      (encoded) => {
        const { filters, warnings } = decodeFacetFilters(encoded, unit);
        if (warnings.length) this.announcement = warnings.join(' ');
        return filters;
      },
    );
  }

  /** The explorer as the intents see it: the state it owns, and its controllers. */
  private store(): ExplorerStore {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the store reads the live element
    const host = this;
    return {
      element: this,
      get map() {
        return host.map;
      },
      get state() {
        return host.current;
      },
      apply: (next, announcement) => {
        this.current = next;
        if (announcement) this.announcement = announcement;
      },
      announce: (text) => (this.announcement = text),
      fail: (error) => (this.ownError = error),
      showCopyFallback: (url) => (this.copyFallback = url),
      shareUrl: () => applyShareState(window.location.href, this.shareState).toString(),
      openFilePicker: (mode) => this.dropZone.openPicker(mode),
      toggleLegend: () => (this.legendOpen = !this.legendOpen),
      get playback() {
        return host.playback.settings;
      },
      setPlayback: (playback) => this.playback.set(playback),
      search: this.search,
      area: this.area,
      mapView: this.mapView,
      derived: this.derived,
    };
  }

  // ---- Rendering ---------------------------------------------------------------------------------

  override render() {
    const map = this.map;
    const error = this.ownError ?? (this.error !== this.dismissedError ? this.error : null);
    return html`<atlas-drop-zone ?can-add=${map !== null}>
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
            aria-label=${map ? `Map of ${map.papers.length} papers: ${map.name}` : 'Empty map'}
          ></div>
          ${this.area.renderOverlay()} ${this.tooltip()}
          ${
            map
              ? renderToolbar(this.toolbarView(map), this.intents)
              : this.progress
                ? nothing
                : renderEmpty(this.intents.openFile)
          }
          ${
            map
              ? renderLegend(
                  {
                    open: this.legendOpen,
                    entries: this.derived.legend(map, this.current.colorBy, this.current.filters),
                    colorBy: this.current.colorBy,
                    active: this.current.legendEntry,
                  },
                  this.intents,
                )
              : nothing
          }
          <div class="card status-line" role="status" aria-live="polite">
            ${this.announcement || (map ? `${map.papers.length.toLocaleString()} papers · ${map.embedder.model}` : '')}
          </div>
          <div class="overlays">
            <atlas-progress .progress=${this.progress}></atlas-progress>
            <atlas-error-banner
              .error=${error}
              @atlas-error-dismissed=${() => {
                if (this.ownError) this.ownError = null;
                else this.dismissedError = this.error;
              }}
            ></atlas-error-banner>
          </div>
        </div>
        ${map ? renderPanel(this.panelView(map), this.intents) : nothing}
      </div>
    </atlas-drop-zone>`;
  }

  private toolbarView(map: AtlasMap) {
    return {
      search: this.search,
      hasVectors: map.vectors !== undefined,
      areaMode: this.area.mode,
      panelOpen: this.current.panelOpen,
      copyFallback: this.copyFallback,
    };
  }

  private panelView(map: AtlasMap) {
    const { selected, reading, filters, area } = this.current;
    const hits = this.search.result?.indices ?? null;
    return {
      map,
      tab: this.current.tab,
      open: this.current.panelOpen,
      selected,
      neighbours: this.derived.neighbours(map, selected),
      topic: this.derived.topic(map, this.current.topic),
      pinned: reading.some((item) => item.id === map.papers[selected]?.id),
      search: this.search,
      area: area && this.derived.filtered(map, filters, area),
      searchHits: hits && this.derived.filtered(map, filters, hits),
      reading: this.derived.readingRows(map, reading),
      facets: {
        index: this.current.tab === 'filters' ? this.derived.facets(map).index : null,
        counts: this.derived.facetCounts(map, filters),
        filters,
        playback: this.playback.settings,
        playStep: this.playback.step,
      },
    };
  }

  private tooltip() {
    const hover = this.hover;
    const paper = hover ? this.map?.papers[hover.index] : undefined;
    if (!hover || !paper || this.area.dragging) return nothing;
    return renderTooltip(paper, hover, this.mapView.deck.bounds);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'atlas-explorer': AtlasExplorer;
  }
}
