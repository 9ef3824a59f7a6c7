/**
 * Test harness: mounts <atlas-explorer> on a seeded synthetic map (or a bundle fetched from `?bundle=`),
 * restores shared state from its own URL, provides a fake `embedQuery`, and records what the explorer
 * emits on `window.__atlas` for Playwright and the render benchmark.
 *
 * Query parameters: n (papers, default 600), seed (default 7), dim (vector size, 0 for none, default 16),
 * embed (0 turns the fake query embedder off), bundle (URL of an .atlas.json to load instead).
 */
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
  warnings: string[];
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
  explorer.map = map;
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
