import { describe, expect, it } from 'vitest';
import { ExplorerDerived } from '../../../src/view/explorer/derived.ts';
import { ExplorerIntents, type ExplorerStore } from '../../../src/view/explorer/intents.ts';
import {
  EMPTY_EXPLORER_STATE,
  type ExplorerState,
} from '../../../src/view/model/explorer-state.ts';
import { syntheticMap } from '../../../src/view/synthetic/synthetic-map.ts';

const map = syntheticMap({ count: 80, seed: 5, vectorDim: 8 });

/** A store that records what the intents did, with controllers reduced to what they are asked. */
function fakeStore(initial: Partial<ExplorerState> = {}) {
  const calls: string[] = [];
  const store = {
    element: {} as Element,
    map,
    state: { ...EMPTY_EXPLORER_STATE, ...initial },
    announcements: [] as string[],
    apply(next: ExplorerState, announcement?: string) {
      store.state = next;
      if (announcement) store.announcements.push(announcement);
    },
    announce: (text: string) => store.announcements.push(text),
    fail: (error: Error) => calls.push(`fail ${error.message}`),
    showCopyFallback: (url: string) => calls.push(`fallback ${url}`),
    shareUrl: () => 'https://atlas.example/?paper=1',
    openFilePicker: () => calls.push('picker'),
    toggleLegend: () => calls.push('legend'),
    search: {
      active: false,
      result: null,
      clear: () => calls.push('clear search'),
    },
    area: {
      mode: 'pan',
      cancelDrag: () => false,
      setMode: (mode: string) => calls.push(`mode ${mode}`),
    },
    mapView: {
      deck: { flyTo: (i: number) => calls.push(`fly ${i}`), fit: () => calls.push('fit') },
    },
    derived: new ExplorerDerived(),
  };
  return { store, calls, intents: new ExplorerIntents(store as unknown as ExplorerStore) };
}

describe('explorer intents', () => {
  it('opens a paper, announcing it, and flies there when asked', () => {
    const { store, calls, intents } = fakeStore();
    intents.openPaper(3, false);
    expect(store.state).toMatchObject({ selected: 3, tab: 'details' });
    expect(store.announcements).toEqual([`Selected: ${map.papers[3]!.title}`]);
    intents.open(4);
    expect(calls).toEqual(['fly 4']);
    intents.openPaper(map.papers.length, true);
    expect(store.state.selected).toBe(4);
  });

  it('opens a topic from its label, selects all its papers, and Escape closes the topic first', () => {
    const { store, intents } = fakeStore();
    const cluster = map.clusters.find((c) => c.level === 1)!;
    intents.openPaper(0, false);
    intents.openTopic(cluster.id);
    expect(store.state).toMatchObject({ topic: cluster.id, tab: 'topic', panelOpen: true });
    expect(store.announcements.at(-1)).toBe(`Topic: ${cluster.label}`);
    const topic = store.derived.topic(map, store.state.topic)!;
    intents.setArea(topic.members);
    expect(store.state).toMatchObject({ area: topic.members, tab: 'selection' });
    intents.showTab('topic');
    intents.escape(false);
    expect(store.state).toMatchObject({ topic: -1, tab: 'details', selected: 0 });
    intents.openTopic(-7);
    expect(store.state.topic).toBe(-1);
  });

  it('walks through the neighbours and back, then Escape closes the paper', () => {
    const { store, intents } = fakeStore();
    intents.openPaper(0, false);
    const neighbours = store.derived.neighbours(map, 0)!;
    expect(intents.walk('forward')).toBe(true);
    expect(store.state.selected).toBe(neighbours.indices[0]);
    expect(intents.walk('back')).toBe(true);
    expect(store.state.selected).toBe(0);
    expect(intents.walk('back')).toBe(false);
    intents.escape(false);
    expect(store.state.selected).toBe(-1);
  });

  it('pins and unpins the open paper, and Escape clears the area, then the legend, then the mode', () => {
    const { store, calls, intents } = fakeStore({ area: Int32Array.of(1, 2), legendEntry: 1 });
    intents.openPaper(2, false);
    intents.togglePin();
    expect(store.state.reading).toEqual([{ id: map.papers[2]!.id, note: '' }]);
    intents.togglePin();
    expect(store.state.reading).toEqual([]);
    expect(store.announcements.slice(-2)).toEqual([
      'Added to the reading list',
      'Removed from the reading list',
    ]);
    intents.escape(false);
    intents.escape(false);
    expect(store.state.area).toBeNull();
    intents.escape(false);
    expect(store.state.legendEntry).toBe(-1);
    store.area.mode = 'lasso';
    intents.escape(false);
    expect(calls).toContain('mode pan');
  });
});
