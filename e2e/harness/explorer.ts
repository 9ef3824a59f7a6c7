/**
 * Test harness: mounts <atlas-explorer> on a seeded synthetic map (or a bundle fetched from `?bundle=`),
 * restores shared state from its own URL, provides a fake `embedQuery`, and records what the explorer
 * emits on `window.__atlas` for Playwright and the render benchmark.
 *
 * Query parameters: n (papers, default 600), seed (default 7), dim (vector size, 0 for none, default 16),
 * embed (0 turns the fake query embedder off), bundle (URL of an .atlas.json to load instead),
 * baseline (1 draws the same points with a bare deck.gl ScatterplotLayer and nothing else, the render
 * benchmark's baseline).
 */
import { Deck, OrthographicView } from '@deck.gl/core';
import { ScatterplotLayer } from '@deck.gl/layers';
import { ContextProvider } from '@lit/context';
import { isBundle, parseBundle } from '../../src/pipeline/bundle.ts';
import type { AtlasMap } from '../../src/pipeline/atlas-map.ts';
import '../../src/view/atlas-explorer.ts';
import { atlasServicesContext, type AtlasServices } from '../../src/view/services.ts';
import { decodeShareState, type ShareState } from '../../src/view/share/url-state.ts';
import { syntheticMap, syntheticQueryVector } from '../../src/view/synthetic/synthetic-map.ts';
import { AtlasError } from '../../src/lib/errors.ts';

interface HarnessRecord {
  map: AtlasMap | null;
  states: ShareState[];
  files: File[][];
  cancels: number;
  retries: number;
  queries: string[];
  loadMs?: number;
  /** performance.now() when the map was handed to the view, and when its first frame was drawn. */
  shownAt?: number;
  firstFrameAt?: number;
  warnings: string[];
  /** Baseline mode: moves the bare deck's camera. */
  setBaselineView?(camera: { x: number; y: number; zoom: number }): void;
}

declare global {
  interface Window {
    __atlas: HarnessRecord;
    __atlasInjected?: number;
  }
}

const params = new URLSearchParams(location.search);
const record: HarnessRecord = {
  map: null,
  states: [],
  files: [],
  cancels: 0,
  retries: 0,
  queries: [],
  warnings: [],
};
window.__atlas = record;

const services: AtlasServices = {
  async embedQuery(text, signal) {
    record.queries.push(text);
    await new Promise((resolve) => setTimeout(resolve, 30));
    if (signal?.aborted) throw new DOMException('Cancelled.', 'AbortError');
    const vector = record.map ? syntheticQueryVector(record.map, text) : null;
    if (!vector) {
      throw new AtlasError('embed', 'no-topic', `The test embedder knows no topic in “${text}”.`, {
        hint: 'Use a word from a cluster keyword, such as “quantum” or “galaxy”.',
      });
    }
    return vector;
  },
};
if (params.get('embed') !== '0') {
  new ContextProvider(document.body, { context: atlasServicesContext, initialValue: services });
}
// Created after the provider, so its context request finds it.
const explorer = document.createElement('atlas-explorer');
document.body.append(explorer);

new MutationObserver(() => {
  if (Number(explorer.getAttribute('points')) > 0 && record.firstFrameAt === undefined) {
    record.firstFrameAt = performance.now();
  }
}).observe(explorer, { attributes: true, attributeFilter: ['points'] });
explorer.addEventListener('atlas-view-state-changed', (event) => record.states.push(event.detail));
explorer.addEventListener('atlas-cancel', () => record.cancels++);
explorer.addEventListener('atlas-retry', () => record.retries++);
explorer.addEventListener('atlas-file-selected', (event) => {
  record.files.push(event.detail);
  void openFile(event.detail[0]);
});

async function openFile(file: File | undefined): Promise<void> {
  if (!file) return;
  const text = await file.text();
  try {
    if (!isBundle(text)) {
      throw new AtlasError('parse', 'not-bundle', `“${file.name}” is not a saved map.`, {
        hint: 'The harness opens only .atlas.json files.',
      });
    }
    show(parseBundle(text));
  } catch (error) {
    explorer.error = error as Error;
  }
}

function show(map: AtlasMap): void {
  record.map = map;
  record.shownAt = performance.now();
  record.firstFrameAt = undefined;
  if (params.get('baseline') === '1') showBaseline(map);
  else explorer.map = map;
}

/** The same points in a bare deck, fitted the same way, with no labels, hulls or panels. */
function showBaseline(map: AtlasMap): void {
  explorer.remove();
  const container = document.createElement('div');
  container.style.cssText = 'position:fixed;inset:0';
  document.body.append(container);
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < map.positions.length; i += 2) {
    minX = Math.min(minX, map.positions[i]!);
    maxX = Math.max(maxX, map.positions[i]!);
    minY = Math.min(minY, map.positions[i + 1]!);
    maxY = Math.max(maxY, map.positions[i + 1]!);
  }
  const zoom = Math.log2(Math.min(innerWidth / (maxX - minX), innerHeight / (maxY - minY)) * 0.86);
  const colors = new Uint8Array(map.papers.length * 4).fill(160);
  const deck = new Deck<OrthographicView>({
    parent: container,
    views: new OrthographicView({ id: 'map', flipY: false }),
    viewState: { target: [(minX + maxX) / 2, (minY + maxY) / 2, 0], zoom },
    layers: [
      new ScatterplotLayer({
        id: 'points',
        data: {
          length: map.papers.length,
          attributes: {
            getPosition: { value: map.positions, size: 2 },
            getFillColor: { value: colors, size: 4, normalized: true },
          },
        },
        radiusUnits: 'pixels',
        getRadius: map.papers.length > 200_000 ? 1.2 : 2,
      }),
    ],
    onAfterRender: () => {
      if (record.firstFrameAt === undefined) {
        record.firstFrameAt = performance.now();
        container.setAttribute('points', String(map.papers.length));
      }
    },
  });
  record.setBaselineView = ({ x, y, zoom: z }) =>
    deck.setProps({ viewState: { target: [x, y, 0], zoom: z } });
}

async function start(): Promise<void> {
  const { state, warnings } = decodeShareState(params);
  record.warnings = warnings;
  explorer.initialState = state;
  const started = performance.now();
  const bundleUrl = params.get('bundle');
  if (bundleUrl) {
    const response = await fetch(bundleUrl);
    show(parseBundle(await response.text()));
  } else {
    show(
      syntheticMap({
        count: Number(params.get('n') ?? 600),
        seed: Number(params.get('seed') ?? 7),
        vectorDim: Number(params.get('dim') ?? 16),
      }),
    );
  }
  record.loadMs = performance.now() - started;
}

void start();
