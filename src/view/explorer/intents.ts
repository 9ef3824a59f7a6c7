/**
 * What the reader's intents do: each one replaces the explorer's state with what a pure transition in
 * `explorer-state.ts` returns, and says so on the status line, or asks a controller (search, area
 * selection, camera) or an export to act. Components and templates only call these; the explorer owns
 * the state they replace. Methods are arrow functions, so templates can bind them as listeners.
 */
import type { AtlasMap } from '../../pipeline/atlas-map.ts';
import type { TimePlayback } from '../components/facet-shared.ts';
import type { AreaSelectionController } from '../map/area-selection.ts';
import type { MapViewController } from '../map/map-view.ts';
import * as explorer from '../model/explorer-state.ts';
import type { SearchController } from '../search/search-controller.ts';
import type { ExplorerDerived } from './derived.ts';
import * as saving from './exports.ts';
import type { KeyIntents } from './keyboard.ts';
import type { LegendIntents } from './map-overlays.ts';
import type { PanelIntents } from './panel.ts';
import type { ToolbarIntents } from './toolbar.ts';

/** What the intents act on: the explorer's state (owned by the explorer) and its controllers. */
export interface ExplorerStore {
  /** The explorer element (its styles colour a PNG's background). */
  readonly element: Element;
  readonly map: AtlasMap | null;
  readonly state: explorer.ExplorerState;
  /** Replaces the state, announcing `announcement` on the status line when given. */
  apply(next: explorer.ExplorerState, announcement?: string): void;
  announce(text: string): void;
  /** Shows an error of the explorer's own. */
  fail(error: Error): void;
  /** Shows a link for the reader to copy by hand ('' hides it). */
  showCopyFallback(url: string): void;
  /** The page's URL carrying the current state. */
  shareUrl(): string;
  /** Opens the file picker: its files make a new map, or with `add` join the open one. */
  openFilePicker(mode?: 'new' | 'add'): void;
  toggleLegend(): void;
  /** Whether time is playing, and starting, restarting or pausing it (the explorer owns the clock). */
  readonly playback: TimePlayback;
  setPlayback(playback: TimePlayback): void;
  readonly search: SearchController;
  readonly area: AreaSelectionController;
  readonly mapView: MapViewController;
  readonly derived: ExplorerDerived;
}

type Intents = ToolbarIntents & PanelIntents & LegendIntents & Pick<KeyIntents, 'escape' | 'walk'>;

export class ExplorerIntents implements Intents {
  constructor(private readonly store: ExplorerStore) {}

  /** Opens paper `index` in the details; `fly` moves the camera to it. */
  readonly openPaper = (index: number, fly: boolean, walk?: readonly number[]): void => {
    const map = this.store.map;
    if (!map || index < 0 || index >= map.papers.length) return;
    this.store.apply(
      explorer.selectPaper(this.store.state, index, walk),
      `Selected: ${map.papers[index]!.title}`,
    );
    if (fly) this.store.mapView.deck.flyTo(index);
  };

  readonly open = (index: number): void => this.openPaper(index, true);

  readonly closePaper = (): void =>
    this.store.apply(explorer.clearPaper(this.store.state, this.store.search.result !== null));

  readonly setArea = (indices: Int32Array | null): void =>
    this.store.apply(
      explorer.setArea(this.store.state, indices),
      indices ? `${indices.length.toLocaleString()} papers selected` : undefined,
    );

  readonly clearArea = (): void => this.setArea(null);

  /** Opens cluster `id` as a topic (its label was clicked), naming it on the status line. */
  readonly openTopic = (id: number): void => {
    const cluster = this.store.map?.clusters.find((c) => c.id === id);
    if (!cluster) return;
    this.store.apply(explorer.openTopic(this.store.state, id), `Topic: ${cluster.label}`);
  };

  readonly closeTopic = (): void => this.store.apply(explorer.closeTopic(this.store.state));

  readonly togglePin = (): void => {
    const { map, state } = this.store;
    const paper = map?.papers[state.selected];
    if (!paper) return;
    const pinned = state.reading.some((item) => item.id === paper.id);
    this.store.apply(
      explorer.togglePin(state, paper.id),
      pinned ? 'Removed from the reading list' : 'Added to the reading list',
    );
  };

  readonly setReading: PanelIntents['setReading'] = (reading) =>
    this.store.apply({ ...this.store.state, reading });

  readonly showTab: PanelIntents['showTab'] = (tab) =>
    this.store.apply({ ...this.store.state, tab });

  readonly togglePanel = (): void =>
    this.store.apply({ ...this.store.state, panelOpen: !this.store.state.panelOpen });

  readonly colorBy: LegendIntents['colorBy'] = (colorBy) =>
    this.store.apply(explorer.setColorBy(this.store.state, colorBy));

  readonly pickEntry = (legendEntry: number): void =>
    this.store.apply({ ...this.store.state, legendEntry });

  readonly toggleLegend = (): void => this.store.toggleLegend();

  readonly setAreaMode: ToolbarIntents['setAreaMode'] = (mode) => this.store.area.setMode(mode);

  readonly fit = (): void => this.store.mapView.deck.fit(400);

  readonly openFile = (): void => this.store.openFilePicker();
  readonly addFiles = (): void => this.store.openFilePicker('add');

  readonly copyLink = (): void => {
    void saving.copyLink(this.store.shareUrl()).then(({ announcement, fallback }) => {
      this.store.announce(announcement);
      this.store.showCopyFallback(fallback);
    });
  };

  readonly downloadBundle = (): void => {
    if (this.store.map) this.store.announce(saving.saveBundle(this.store.map));
  };

  readonly downloadPng = (): void => {
    const { map, mapView } = this.store;
    if (!map) return;
    const look = { element: this.store.element, dark: mapView.dark };
    saving.savePng(map, mapView.deck, mapView.overlay.labels, look).then(
      (announcement) => this.store.announce(announcement),
      (error: Error) => this.store.fail(error),
    );
  };

  /** A facet's new filter; moving the time filter by hand stops the player. */
  readonly setFacetFilter: PanelIntents['setFacetFilter'] = ({ field, filter }) => {
    this.stopPlaying(field === 'time');
    this.store.apply(explorer.setFacetFilter(this.store.state, field, filter));
  };

  readonly clearFacetFilters = (): void => {
    this.stopPlaying(true);
    this.store.apply(explorer.clearFacetFilters(this.store.state));
  };

  readonly setPlayback: PanelIntents['setPlayback'] = (playback) =>
    this.store.setPlayback(playback);

  private stopPlaying(when: boolean): void {
    const { playback } = this.store;
    if (when && playback.playing) this.store.setPlayback({ ...playback, playing: false });
  }

  /** Escape undoes the narrowest thing: a drag, the search being typed, the paper, the area… */
  readonly escape = (fromSearch: boolean): void => {
    const { area, search, state } = this.store;
    if (area.cancelDrag()) return;
    const action = explorer.escapeAction(state, { active: search.active, focused: fromSearch });
    if (action === 'clear-search') search.clear();
    else if (action === 'close-topic') this.closeTopic();
    else if (action === 'close-paper') this.closePaper();
    else if (action === 'clear-area') this.setArea(null);
    else if (action === 'clear-legend') this.pickEntry(-1);
    else if (area.mode !== 'pan') area.setMode('pan');
  };

  /** One step through the selected paper's neighbours (or back); false where there is none. */
  readonly walk = (direction: 'forward' | 'back'): boolean => {
    const { map, state, derived } = this.store;
    const neighbours = map && derived.neighbours(map, state.selected);
    const step = neighbours && explorer.walkStep(state, neighbours.indices, direction);
    if (step) this.openPaper(step.index, true, step.walk);
    return step !== null;
  };
}
