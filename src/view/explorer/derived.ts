/**
 * What the explorer derives from its state, each remembered for the inputs it was computed from: the
 * colouring, the neighbours of the selected paper, the open topic, papers by id, and the highlighted
 * papers. The same
 * inputs give the same object back, so the map's layers see unchanged data as unchanged.
 */
import type { AtlasMap } from '../../pipeline/atlas-map.ts';
import type { ReadingRow } from '../components/atlas-reading-list.ts';
import { colourMap, emphasiseNew, legendUnderFilter } from '../model/colors.ts';
import { highlightOf, type ExplorerState } from '../model/explorer-state.ts';
import { createYielder, nextTask } from '../../lib/scheduling.ts';
import {
  crossfilter,
  datedUnit,
  facetIndexSteps,
  FacetScratch,
  finishSteps,
  type FacetCounts,
  type FacetIndex,
} from '../model/facets.ts';
import { memoize } from '../model/memoize.ts';
import { nearestPapers } from '../model/neighbours.ts';
import { topicSummary } from '../model/topics.ts';

/** Neighbours listed for the selected paper, and walked with the arrow keys. */
const NEIGHBOURS = 10;
/** The longest the page works on a facet index ahead of need before it yields (ms). */
const FACET_SLICE_MS = 10;

export class ExplorerDerived {
  readonly colouring = memoize(colourMap);

  readonly neighbours = memoize((map: AtlasMap, index: number) =>
    index >= 0 ? nearestPapers(map, index, NEIGHBOURS) : null,
  );

  /** The open topic's cluster, members and most central papers. */
  readonly topic = memoize((map: AtlasMap, id: number) => (id >= 0 ? topicSummary(map, id) : null));

  readonly indexById = memoize(
    (map: AtlasMap) => new Map(map.papers.map((paper, i) => [paper.id, i])),
  );

  /** The reading list with each paper's index and title (its id where the map lacks it). */
  readonly readingRows = memoize((map: AtlasMap, reading: ExplorerState['reading']): ReadingRow[] =>
    reading.map((item) => {
      const index = this.indexById(map).get(item.id) ?? -1;
      return { ...item, index, title: index >= 0 ? map.papers[index]!.title : item.id };
    }),
  );

  /** The unit links write time filters in: the map's dates' (a pass over the papers, no index). */
  readonly timeUnit = memoize((map: AtlasMap) => datedUnit(map.papers) ?? 'year');

  /** The facet index being built a slice at a time (`prepareFacets`), or built that way. */
  private facetBuild: {
    map: AtlasMap;
    steps: Generator<void, FacetIndex, void>;
    index: FacetIndex | null;
  } | null = null;

  /**
   * The map's facet index and the crossfilter's working buffers, never built on the way to the first
   * frame: `prepareFacets` builds the index in idle moments once the map has settled; whatever is left
   * of it is finished at once when the reader opens the filters first (or a link brings some).
   */
  readonly facets = memoize((map: AtlasMap) => {
    if (this.facetBuild?.map !== map) {
      this.facetBuild = { map, steps: facetIndexSteps(map.papers), index: null };
    }
    const build = this.facetBuild;
    build.index ??= finishSteps(build.steps);
    return { index: build.index, scratch: new FacetScratch(build.index) };
  });

  /**
   * Builds `map`'s facet index ahead of need, in slices of about 10 ms between which the page handles
   * input and paints: opening the filters on a 100,000-paper map was one task of up to half a second.
   * A newer map's build supersedes it.
   */
  async prepareFacets(map: AtlasMap): Promise<void> {
    if (this.facetBuild?.map === map) return;
    const build = { map, steps: facetIndexSteps(map.papers), index: null as FacetIndex | null };
    this.facetBuild = build;
    await nextTask();
    const pause = createYielder(undefined, FACET_SLICE_MS);
    while (this.facetBuild === build && build.index === null) {
      const step = build.steps.next();
      if (step.done) build.index = step.value;
      else await pause();
    }
  }

  /** Which papers pass the filters, and each facet's counts under the others (null: no filter). */
  readonly facetCounts = memoize(
    (map: AtlasMap, filters: ExplorerState['filters']): FacetCounts | null => {
      if (filters.length === 0) return null;
      const { index, scratch } = this.facets(map);
      return crossfilter(index, filters, scratch);
    },
  );

  private readonly resolvedHighlight = memoize(
    (
      map: AtlasMap,
      area: ExplorerState['area'],
      legendEntry: number,
      colorBy: ExplorerState['colorBy'],
      hits: ArrayLike<number> | null,
      filters: ExplorerState['filters'],
    ) =>
      highlightOf(
        { area, legendEntry },
        this.colouring(map, colorBy),
        hits,
        this.facetCounts(map, filters)?.passes ?? null,
      ).resolve(map.papers.length),
  );

  /**
   * The highlighted papers (search hits ∩ area ∩ legend entry ∩ facet filters), or null when nothing
   * narrows.
   */
  highlighted(map: AtlasMap, state: ExplorerState, hits: ArrayLike<number> | null) {
    return this.resolvedHighlight(
      map,
      state.area,
      state.legendEntry,
      state.colorBy,
      hits,
      state.filters,
    );
  }

  /** The colouring's legend, counted among the papers the filters keep. */
  readonly legend = memoize(
    (map: AtlasMap, colorBy: ExplorerState['colorBy'], filters: ExplorerState['filters']) => {
      const colouring = this.colouring(map, colorBy);
      const passes = this.facetCounts(map, filters)?.passes;
      return passes ? legendUnderFilter(colouring, passes) : colouring.legend;
    },
  );

  /** The colouring as drawn: while time plays, the step's new papers (`isNew`) stand out. */
  readonly drawnColouring = memoize(
    (map: AtlasMap, colorBy: ExplorerState['colorBy'], isNew: Uint8Array | null) => {
      const colouring = this.colouring(map, colorBy);
      return isNew ? { ...colouring, colors: emphasiseNew(colouring.colors, isNew) } : colouring;
    },
  );

  /** `indices` less the papers the facet filters leave out (all of them with no filter). */
  readonly filtered = memoize(
    (map: AtlasMap, filters: ExplorerState['filters'], indices: Int32Array): Int32Array => {
      const passes = this.facetCounts(map, filters)?.passes;
      return passes ? indices.filter((i) => passes[i] === 1) : indices;
    },
  );
}
