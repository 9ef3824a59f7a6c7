import { describe, expect, it } from 'vitest';
import { colourMap } from '../../../src/view/model/colors.ts';
import {
  EMPTY_EXPLORER_STATE,
  clearPaper,
  closeTopic,
  escapeAction,
  highlightOf,
  openTopic,
  selectPaper,
  setArea,
  setColorBy,
  shareStateOf,
  showSearchResults,
  setFacetFilter,
  clearFacetFilters,
  stateForMap,
  togglePin,
  walkStep,
  type ExplorerState,
} from '../../../src/view/model/explorer-state.ts';
import { syntheticMap } from '../../../src/view/synthetic/synthetic-map.ts';

const map = syntheticMap({ count: 60, seed: 3, vectorDim: 0 });
const indexOf = (id: string) => {
  const i = map.papers.findIndex((paper) => paper.id === id);
  return i >= 0 ? i : undefined;
};
const noSearch = { text: '', active: false, semantic: false };

describe('explorer state', () => {
  it('restores a shared link on a new map and keeps the colouring and corpus otherwise', () => {
    const before: ExplorerState = {
      ...EMPTY_EXPLORER_STATE,
      colorBy: 'year',
      selected: 4,
      area: Int32Array.from([1, 2]),
      legendEntry: 2,
      reading: [{ id: 'x', note: '' }],
    };
    const plain = stateForMap(before, {}, indexOf, 'https://a.example/c.csv');
    expect(plain).toMatchObject({
      colorBy: 'year',
      selected: -1,
      area: null,
      legendEntry: -1,
      reading: [],
      corpus: 'https://a.example/c.csv',
    });
    const restored = stateForMap(
      before,
      {
        selected: map.papers[7]!.id,
        colorBy: 'category',
        corpus: 'https://b.example/m.atlas.json',
        reading: [{ id: map.papers[2]!.id, note: 'read' }],
      },
      indexOf,
      undefined,
    );
    expect(restored).toMatchObject({
      selected: 7,
      tab: 'details',
      colorBy: 'category',
      corpus: 'https://b.example/m.atlas.json',
    });
    expect(stateForMap(before, { selected: 'missing', search: 'q' }, indexOf, undefined).tab).toBe(
      'search',
    );
    expect(stateForMap(before, { reading: [{ id: 'a', note: '' }] }, indexOf, undefined).tab).toBe(
      'reading',
    );
  });

  it('opens a paper in the details tab and closes it to the next thing to show', () => {
    const opened = selectPaper({ ...EMPTY_EXPLORER_STATE, panelOpen: false }, 5);
    expect(opened).toMatchObject({ selected: 5, tab: 'details', panelOpen: true, walk: [] });
    expect(clearPaper(opened, true)).toMatchObject({ selected: -1, tab: 'search' });
    expect(clearPaper({ ...opened, area: Int32Array.of(1) }, false).tab).toBe('selection');
    expect(clearPaper(opened, false).tab).toBe('reading');
    expect(clearPaper({ ...opened, tab: 'search' }, false).tab).toBe('search');
  });

  it('walks through neighbours it has not visited, and back', () => {
    const start = selectPaper(EMPTY_EXPLORER_STATE, 1);
    const first = walkStep(start, [1, 2, 3], 'forward');
    expect(first).toEqual({ index: 2, walk: [1] });
    const there = selectPaper(start, first!.index, first!.walk);
    expect(walkStep(there, [1, 2, 3], 'forward')).toEqual({ index: 3, walk: [1, 2] });
    expect(walkStep(there, [1, 2], 'forward')).toBeNull();
    expect(walkStep(there, [], 'back')).toEqual({ index: 1, walk: [] });
    expect(walkStep(start, [], 'back')).toBeNull();
    expect(walkStep(EMPTY_EXPLORER_STATE, [1], 'forward')).toBeNull();
  });

  it('shows an area selection in its tab, and leaves it for details or results when cleared', () => {
    const chosen = setArea({ ...EMPTY_EXPLORER_STATE, panelOpen: false }, Int32Array.of(3, 4));
    expect(chosen).toMatchObject({ tab: 'selection', panelOpen: true });
    expect(setArea(chosen, null)).toMatchObject({ area: null, tab: 'search' });
    expect(setArea({ ...chosen, selected: 3 }, null).tab).toBe('details');
    expect(setArea({ ...chosen, tab: 'reading' }, null).tab).toBe('reading');
  });

  it('pins and unpins papers, and a new colouring drops the legend pick', () => {
    const pinned = togglePin(EMPTY_EXPLORER_STATE, 'p1');
    expect(pinned.reading).toEqual([{ id: 'p1', note: '' }]);
    expect(togglePin(pinned, 'p1').reading).toEqual([]);
    expect(setColorBy({ ...EMPTY_EXPLORER_STATE, legendEntry: 3 }, 'year')).toMatchObject({
      colorBy: 'year',
      legendEntry: -1,
    });
    expect(
      showSearchResults({ ...EMPTY_EXPLORER_STATE, tab: 'reading', panelOpen: false }),
    ).toMatchObject({ tab: 'search', panelOpen: true });
  });

  it('highlights search hits ∩ area ∩ legend entry as clauses', () => {
    const colouring = colourMap(map, 'cluster');
    const entry = colouring.entryOf[0]!;
    const members = [...colouring.entryOf.keys()].filter((i) => colouring.entryOf[i] === entry);
    const state = { ...EMPTY_EXPLORER_STATE, legendEntry: entry };
    const byLegend = highlightOf(state, colouring, null);
    expect(byLegend.clauses.map((c) => c.source)).toEqual(['legend']);
    expect(Array.from(byLegend.resolve(map.papers.length)!)).toEqual(members);
    const area = Int32Array.from([members[0]!, members[1]!, 59]);
    const all = highlightOf({ ...state, area }, colouring, [members[1]!, 59, members[0]!]);
    expect(all.clauses.map((c) => c.source)).toEqual(['search', 'area', 'legend']);
    expect(Array.from(all.resolve(map.papers.length)!)).toEqual(
      [members[1]!, 59, members[0]!].filter((i) => colouring.entryOf[i] === entry),
    );
    expect(highlightOf(EMPTY_EXPLORER_STATE, colouring, null).resolve(10)).toBeNull();
  });

  it('serialises to the link state, leaving defaults out', () => {
    expect(shareStateOf(EMPTY_EXPLORER_STATE, map, noSearch, null)).toEqual({});
    const state: ExplorerState = {
      ...EMPTY_EXPLORER_STATE,
      corpus: 'https://a.example/c.csv',
      selected: 2,
      colorBy: 'year',
      reading: [{ id: 'p', note: 'n' }],
    };
    const camera = { x: 1, y: 2, zoom: 3 };
    expect(
      shareStateOf(state, map, { text: 'graph', active: true, semantic: true }, camera),
    ).toEqual({
      corpus: 'https://a.example/c.csv',
      selected: map.papers[2]!.id,
      search: 'graph',
      semantic: true,
      view: camera,
      colorBy: 'year',
      reading: [{ id: 'p', note: 'n' }],
    });
  });

  it('opens a topic in its own tab, closes it to the paper or the search, and drops it with the map', () => {
    const opened = openTopic({ ...EMPTY_EXPLORER_STATE, panelOpen: false }, 9);
    expect(opened).toMatchObject({ topic: 9, tab: 'topic', panelOpen: true });
    expect(closeTopic(opened)).toMatchObject({ topic: -1, tab: 'search' });
    expect(closeTopic({ ...opened, selected: 3 })).toMatchObject({ topic: -1, tab: 'details' });
    expect(closeTopic({ ...opened, tab: 'selection' })).toMatchObject({
      topic: -1,
      tab: 'selection',
    });
    expect(stateForMap(opened, {}, indexOf, undefined)).toMatchObject({ topic: -1, tab: 'search' });
  });

  it('lets Escape undo the narrowest thing first', () => {
    const everything: ExplorerState = {
      ...EMPTY_EXPLORER_STATE,
      selected: 1,
      area: Int32Array.of(1),
      legendEntry: 0,
    };
    expect(escapeAction(everything, { active: true, focused: true })).toBe('clear-search');
    const topicShown = openTopic(everything, 2);
    expect(escapeAction(topicShown, { active: true, focused: false })).toBe('close-topic');
    expect(escapeAction({ ...topicShown, tab: 'details' }, { active: true, focused: false })).toBe(
      'close-paper',
    );
    expect(escapeAction(everything, { active: true, focused: false })).toBe('close-paper');
    expect(escapeAction({ ...everything, selected: -1 }, { active: true, focused: false })).toBe(
      'clear-area',
    );
    const legendOnly = { ...EMPTY_EXPLORER_STATE, legendEntry: 0 };
    expect(escapeAction(legendOnly, { active: true, focused: false })).toBe('clear-legend');
    expect(escapeAction(EMPTY_EXPLORER_STATE, { active: true, focused: false })).toBe(
      'clear-search',
    );
    expect(escapeAction(EMPTY_EXPLORER_STATE, { active: false, focused: false })).toBeNull();
  });
});

describe('facet filters in the explorer state', () => {
  it('sets one filter per field, clears one or all, and goes into the link in the map’s unit', () => {
    let state = setFacetFilter(EMPTY_EXPLORER_STATE, 'category', {
      field: 'category',
      values: ['cs.CL'],
    });
    state = setFacetFilter(state, 'time', { field: 'time', from: 2024 * 12, to: 2024 * 12 + 5 });
    state = setFacetFilter(state, 'category', { field: 'category', values: ['cs.LG'] });
    expect(state.filters).toEqual([
      { field: 'time', from: 2024 * 12, to: 2024 * 12 + 5 },
      { field: 'category', values: ['cs.LG'] },
    ]);
    expect(shareStateOf(state, map, noSearch, null, 'month').filters).toEqual([
      'time:2024-01..2024-06',
      'category:cs.LG',
    ]);
    expect(setFacetFilter(state, 'time', null).filters).toHaveLength(1);
    expect(setFacetFilter(state, 'category', { field: 'category', values: ['cs.LG'] })).toBe(state);
    expect(clearFacetFilters(state).filters).toEqual([]);
  });

  it('restores filters from a link through the map’s reader, and highlights only papers that pass', () => {
    const restored = stateForMap(
      EMPTY_EXPLORER_STATE,
      { filters: ['category:x'] },
      indexOf,
      undefined,
      (encoded) => encoded.map(() => ({ field: 'category', values: ['x'] })),
    );
    expect(restored.filters).toEqual([{ field: 'category', values: ['x'] }]);
    const passes = new Uint8Array(map.papers.length);
    passes[3] = 1;
    passes[7] = 1;
    const hits = Int32Array.from([7, 1, 3]);
    const highlight = highlightOf(restored, null, hits, passes);
    expect([...highlight.resolve(map.papers.length)!]).toEqual([7, 3]);
  });
});
