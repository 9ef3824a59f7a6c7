/**
 * The explorer's state, in one value, and the transitions the reader's intents make on it. DOM-free:
 * `<atlas-explorer>` owns one `ExplorerState`, replaces it with what these functions return, and renders
 * it; components only emit intents. What a link carries (`ShareState`) is a serialisation of it.
 */
import type { AtlasMap } from '../../pipeline/atlas-map.ts';
import type { ColorBy, ReadingItem, ShareState, ViewCamera } from '../share/url-state.ts';
import type { Colouring } from './colors.ts';
import { encodeFacetFilters } from './facet-links.ts';
import type { FacetField, FacetFilter } from './facets.ts';
import { Highlight } from './highlight.ts';

export type PanelTab = 'details' | 'topic' | 'search' | 'selection' | 'reading' | 'filters';

export interface ExplorerState {
  /** URL of the corpus the map came from, carried in links. */
  corpus: string | undefined;
  colorBy: ColorBy;
  /** The paper whose details show, or -1. */
  selected: number;
  /** Papers walked through with the arrow keys, to walk back. */
  walk: readonly number[];
  /** Papers chosen with the box or lasso, or null. */
  area: Int32Array | null;
  /** The legend entry the reader picked, or -1. */
  legendEntry: number;
  /** The cluster opened as a topic (from its label), or -1. */
  topic: number;
  reading: readonly ReadingItem[];
  /** Facet filters, one per field; papers outside them fade and leave lists and exports. */
  filters: readonly FacetFilter[];
  tab: PanelTab;
  panelOpen: boolean;
}

export const EMPTY_EXPLORER_STATE: ExplorerState = {
  corpus: undefined,
  colorBy: 'cluster',
  selected: -1,
  walk: [],
  area: null,
  legendEntry: -1,
  topic: -1,
  reading: [],
  filters: [],
  tab: 'search',
  panelOpen: true,
};

/**
 * The state for a new map: the per-map parts reset, the colouring and corpus kept, and what `restored`
 * (a shared link) names applied. `indexOf` finds a paper by id; `readFilters` reads the link's
 * filters for this map (their time unit is the map's).
 */
export function stateForMap(
  previous: ExplorerState,
  restored: ShareState,
  indexOf: (id: string) => number | undefined,
  corpus: string | undefined,
  readFilters: (encoded: readonly string[]) => FacetFilter[] = () => [],
): ExplorerState {
  const selected = restored.selected === undefined ? undefined : indexOf(restored.selected);
  const reading = (restored.reading ?? []).map((item) => ({ ...item }));
  // A topic belongs to the map it was opened on.
  const kept: PanelTab = previous.tab === 'topic' ? 'search' : previous.tab;
  const tab: PanelTab =
    selected !== undefined
      ? 'details'
      : restored.search
        ? 'search'
        : reading.length > 0
          ? 'reading'
          : kept;
  return {
    ...previous,
    corpus: restored.corpus ?? corpus,
    colorBy: restored.colorBy ?? previous.colorBy,
    selected: selected ?? -1,
    walk: [],
    area: null,
    legendEntry: -1,
    topic: -1,
    reading,
    filters: readFilters(restored.filters ?? []),
    tab,
  };
}

/** Sets one facet's filter (null clears it), keeping the others. */
export function setFacetFilter(
  state: ExplorerState,
  field: FacetField,
  filter: FacetFilter | null,
): ExplorerState {
  const current = state.filters.find((f) => f.field === field);
  // The same filter again (a brush that did not move) leaves the state, and everything derived, as is.
  if (JSON.stringify(current ?? null) === JSON.stringify(filter)) return state;
  const others = state.filters.filter((f) => f.field !== field);
  return { ...state, filters: filter ? [...others, filter] : others };
}

export function clearFacetFilters(state: ExplorerState): ExplorerState {
  return state.filters.length ? { ...state, filters: [] } : state;
}

/** Opens paper `index`; `walk` keeps the arrow-key history (the step itself records it). */
export function selectPaper(
  state: ExplorerState,
  index: number,
  walk: readonly number[] = [],
): ExplorerState {
  return { ...state, selected: index, walk, tab: 'details', panelOpen: true };
}

/** Closes the paper's details; the panel turns to the next thing it has to show. */
export function clearPaper(state: ExplorerState, hasSearchResult: boolean): ExplorerState {
  const tab =
    state.tab !== 'details'
      ? state.tab
      : hasSearchResult
        ? 'search'
        : state.area
          ? 'selection'
          : 'reading';
  return { ...state, selected: -1, walk: [], tab };
}

/** Opens cluster `id` as a topic in the panel. */
export function openTopic(state: ExplorerState, id: number): ExplorerState {
  return { ...state, topic: id, tab: 'topic', panelOpen: true };
}

/** Closes the topic; the panel turns to the paper where one is open, else to the search. */
export function closeTopic(state: ExplorerState): ExplorerState {
  const tab = state.tab !== 'topic' ? state.tab : state.selected >= 0 ? 'details' : 'search';
  return { ...state, topic: -1, tab };
}

/** The next paper an arrow key walks to among `neighbours`, or null where the walk cannot go on. */
export function walkStep(
  state: ExplorerState,
  neighbours: ArrayLike<number>,
  direction: 'forward' | 'back',
): { index: number; walk: number[] } | null {
  if (state.selected < 0) return null;
  if (direction === 'back') {
    const previous = state.walk.at(-1);
    return previous === undefined ? null : { index: previous, walk: state.walk.slice(0, -1) };
  }
  const visited = new Set([...state.walk, state.selected]);
  const next = Array.from(neighbours).find((i) => !visited.has(i));
  return next === undefined ? null : { index: next, walk: [...state.walk, state.selected] };
}

export function setArea(state: ExplorerState, area: Int32Array | null): ExplorerState {
  if (area) return { ...state, area, tab: 'selection', panelOpen: true };
  const tab = state.tab === 'selection' ? (state.selected >= 0 ? 'details' : 'search') : state.tab;
  return { ...state, area: null, tab };
}

export function setColorBy(state: ExplorerState, colorBy: ColorBy): ExplorerState {
  return { ...state, colorBy, legendEntry: -1 };
}

/** Adds the paper to the reading list, or removes it when it is there. */
export function togglePin(state: ExplorerState, paperId: string): ExplorerState {
  const pinned = state.reading.some((item) => item.id === paperId);
  const reading = pinned
    ? state.reading.filter((item) => item.id !== paperId)
    : [...state.reading, { id: paperId, note: '' }];
  return { ...state, reading };
}

/** A finished search turns the panel to its results. */
export function showSearchResults(state: ExplorerState): ExplorerState {
  return { ...state, tab: 'search', panelOpen: true };
}

/**
 * What the papers highlighted on the map are: search hits, the area selection, the legend entry and
 * the facet filters (`facetPasses`: 1 for papers that pass them all), each a clause, intersected.
 */
export function highlightOf(
  state: Pick<ExplorerState, 'area' | 'legendEntry'>,
  colouring: Colouring | null,
  searchHits: ArrayLike<number> | null,
  facetPasses: Uint8Array | null = null,
): Highlight {
  let highlight = Highlight.intersect();
  if (facetPasses) {
    highlight = highlight.with({ source: 'facet:filters', accepts: (i) => facetPasses[i] === 1 });
  }
  if (searchHits) highlight = highlight.with({ source: 'search', indices: searchHits });
  if (state.area) highlight = highlight.with({ source: 'area', indices: state.area });
  if (state.legendEntry >= 0 && colouring) {
    const { entryOf } = colouring;
    const entry = state.legendEntry;
    highlight = highlight.with({ source: 'legend', accepts: (i) => entryOf[i] === entry });
  }
  return highlight;
}

/**
 * The link form of the state, with the search and camera, which their own controllers hold; filters'
 * time ranges are written in `timeUnit`, the map's.
 */
export function shareStateOf(
  state: ExplorerState,
  map: AtlasMap | null,
  search: { text: string; active: boolean; semantic: boolean },
  camera: ViewCamera | null,
  timeUnit: 'year' | 'month' = 'year',
): ShareState {
  const share: ShareState = {};
  if (state.corpus) share.corpus = state.corpus;
  const paper = map?.papers[state.selected];
  if (paper) share.selected = paper.id;
  if (search.active) share.search = search.text;
  if (search.semantic) share.semantic = true;
  if (camera) share.view = camera;
  if (state.colorBy !== 'cluster') share.colorBy = state.colorBy;
  if (state.reading.length > 0) share.reading = state.reading.map((item) => ({ ...item }));
  if (state.filters.length > 0) share.filters = encodeFacetFilters(state.filters, timeUnit);
  return share;
}

/** What Escape does now, the most recent or narrowest thing first. */
export type EscapeAction =
  'clear-search' | 'close-topic' | 'close-paper' | 'clear-area' | 'clear-legend' | null;

export function escapeAction(
  state: ExplorerState,
  search: { active: boolean; focused: boolean },
): EscapeAction {
  if (search.focused && search.active) return 'clear-search';
  if (state.topic >= 0 && state.tab === 'topic') return 'close-topic';
  if (state.selected >= 0) return 'close-paper';
  if (state.area) return 'clear-area';
  if (state.legendEntry >= 0) return 'clear-legend';
  if (search.active) return 'clear-search';
  return null;
}
