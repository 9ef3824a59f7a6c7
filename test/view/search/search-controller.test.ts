import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { describe, expect, it, vi } from 'vitest';
import type { AtlasMap } from '../../../src/pipeline/atlas-map.ts';
import type { EmbedQuery } from '../../../src/view/model/paper-search.ts';
import { SearchController } from '../../../src/view/search/search-controller.ts';
import { syntheticMap } from '../../../src/view/synthetic/synthetic-map.ts';

/** A host that runs its controllers' update hooks a microtask after each request, as Lit does. */
class TestHost implements ReactiveControllerHost {
  private readonly controllers: ReactiveController[] = [];
  private pending: Promise<boolean> | null = null;

  addController(controller: ReactiveController): void {
    this.controllers.push(controller);
  }

  removeController(): void {}

  requestUpdate(): void {
    this.pending ??= Promise.resolve().then(() => {
      this.pending = null;
      for (const controller of this.controllers) controller.hostUpdate?.();
      for (const controller of this.controllers) controller.hostUpdated?.();
      return true;
    });
  }

  get updateComplete(): Promise<boolean> {
    return this.pending ?? Promise.resolve(true);
  }
}

function mapWithVectors(): AtlasMap {
  const map = syntheticMap({ count: 40, seed: 3, vectorDim: 8 });
  map.papers[7] = { ...map.papers[7]!, title: 'Zebrafish regeneration atlas' };
  return map;
}

function setUp(embedQuery?: EmbedQuery) {
  const host = new TestHost();
  const changes: number[] = [];
  const search = new SearchController(host, () =>
    changes.push(search.result?.indices.length ?? -1),
  );
  const settled = () => new Promise<void>((resolve) => setTimeout(resolve, 600));
  return { host, search, changes, settled, embedder: () => embedQuery };
}

describe('search controller', () => {
  it('runs the query typed last, once typing pauses, and reports its result', async () => {
    const queries: string[] = [];
    const { search, changes, settled, embedder } = setUp(async (text) => {
      queries.push(text);
      return new Float32Array(8).fill(1);
    });
    search.setMap(mapWithVectors(), embedder, { text: '', semantic: true });
    expect(search.renderStatus()).toBe('Type to search; press / from anywhere.');
    for (const text of ['z', 'ze', 'zebrafish']) {
      search.type(text);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await settled();
    expect(queries).toEqual(['zebrafish']);
    expect(search.result?.mode).toBe('semantic');
    expect(search.renderStatus()).toBe('40 nearest papers by meaning');
    expect(changes.at(-1)).toBe(40);

    search.setSemantic(false);
    await settled();
    expect([...search.result!.indices]).toEqual([7]);
    expect(search.renderStatus()).toBe('1 paper matches');

    search.clear();
    await settled();
    expect(search.result).toBeNull();
    expect(changes.at(-1)).toBe(-1);
  });

  it('shows what a pending search does and a failed one’s reason, and runs again on demand', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    let fail = true;
    let release: () => void = () => {};
    const { search, settled, embedder } = setUp(async () => {
      await new Promise<void>((resolve) => (release = resolve));
      if (fail) throw new Error('the model crashed');
      return new Float32Array(8).fill(1);
    });
    search.setMap(mapWithVectors(), embedder, { text: 'cells', semantic: true });
    await settled();
    expect(search.renderStatus()).toBe('Embedding the query…');
    release();
    await settled();
    expect(search.result).toBeNull();
    expect(search.renderStatus()).toBe('Search failed: the model crashed');
    expect(logged).toHaveBeenCalledOnce();
    logged.mockRestore();

    fail = false;
    search.runNow();
    await settled();
    release();
    await settled();
    expect(search.renderStatus()).toBe('40 nearest papers by meaning');
  });

  it('searches a new map with the query it is given and forgets the old result', async () => {
    const { search, settled, embedder } = setUp();
    search.setMap(mapWithVectors(), embedder, { text: 'zebrafish', semantic: false });
    await settled();
    expect(search.result?.indices.length).toBe(1);
    search.setMap(syntheticMap({ count: 5, seed: 9, vectorDim: 0 }), embedder, {
      text: 'zebrafish',
      semantic: false,
    });
    expect(search.result).toBeNull();
    await settled();
    expect(search.result?.indices.length).toBe(0);
    expect(search.renderStatus()).toBe('No papers match “zebrafish”.');
    expect(search.semanticAvailable).toBe(false);
  });
});
