/**
 * What the explorer derives from its state, each remembered for the inputs it was computed from: the
 * colouring, the neighbours of the selected paper, papers by id, and the highlighted papers. The same
 * inputs give the same object back, so the map's layers see unchanged data as unchanged.
 */
import type { AtlasMap } from '../../pipeline/atlas-map.ts';
import type { ReadingRow } from '../components/atlas-reading-list.ts';
import { colourMap } from '../model/colors.ts';
import { highlightOf, type ExplorerState } from '../model/explorer-state.ts';
import { memoize } from '../model/memoize.ts';
import { nearestPapers } from '../model/neighbours.ts';

/** Neighbours listed for the selected paper, and walked with the arrow keys. */
const NEIGHBOURS = 10;

export class ExplorerDerived {
  readonly colouring = memoize(colourMap);

  readonly neighbours = memoize((map: AtlasMap, index: number) =>
    index >= 0 ? nearestPapers(map, index, NEIGHBOURS) : null,
  );

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

  private readonly resolvedHighlight = memoize(
    (
      map: AtlasMap,
      area: ExplorerState['area'],
      legendEntry: number,
      colorBy: ExplorerState['colorBy'],
      hits: ArrayLike<number> | null,
    ) =>
      highlightOf({ area, legendEntry }, this.colouring(map, colorBy), hits).resolve(
        map.papers.length,
      ),
  );

  /** The highlighted papers (search hits ∩ area ∩ legend entry), or null when nothing narrows. */
  highlighted(map: AtlasMap, state: ExplorerState, hits: ArrayLike<number> | null) {
    return this.resolvedHighlight(map, state.area, state.legendEntry, state.colorBy, hits);
  }
}
