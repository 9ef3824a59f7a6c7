/**
 * Instant full-text search over titles, abstracts and authors (MiniSearch: prefix and fuzzy matching,
 * title boosted). The index is built in slices so a large corpus never freezes the page.
 */
import MiniSearch from 'minisearch';
import { throwIfCancelled } from '../../lib/errors.ts';
import type { Paper } from '../../pipeline/types.ts';

interface IndexedPaper {
  i: number;
  title: string;
  abstract: string;
  authors: string;
}

export interface TextHit {
  index: number;
  score: number;
  /** The query terms that matched, for highlighting in lists. */
  terms: string[];
}

export class TextSearch {
  private readonly index = new MiniSearch<IndexedPaper>({
    idField: 'i',
    fields: ['title', 'abstract', 'authors'],
    storeFields: [],
    searchOptions: {
      boost: { title: 3, authors: 2 },
      prefix: true,
      fuzzy: 0.15,
      combineWith: 'AND',
    },
  });

  private constructor() {}

  /** Indexes the papers, yielding to the event loop between slices of `sliceSize`. */
  static async build(
    papers: readonly Paper[],
    options: { signal?: AbortSignal; sliceSize?: number; onProgress?: (done: number) => void } = {},
  ): Promise<TextSearch> {
    const search = new TextSearch();
    const sliceSize = options.sliceSize ?? 5000;
    for (let start = 0; start < papers.length; start += sliceSize) {
      throwIfCancelled(options.signal);
      const slice: IndexedPaper[] = [];
      for (let i = start; i < Math.min(papers.length, start + sliceSize); i++) {
        const paper = papers[i]!;
        slice.push({
          i,
          title: paper.title,
          abstract: paper.abstract,
          authors: (paper.authors ?? []).join(' '),
        });
      }
      search.index.addAll(slice);
      options.onProgress?.(Math.min(papers.length, start + sliceSize));
      if (start + sliceSize < papers.length) await new Promise((resolve) => setTimeout(resolve, 0));
    }
    return search;
  }

  /** Papers matching every word of the query (prefix and typo tolerant), best first. */
  query(text: string, limit = 500): TextHit[] {
    if (!text.trim()) return [];
    return this.index
      .search(text)
      .slice(0, limit)
      .map((hit) => ({ index: hit.id as number, score: hit.score, terms: hit.terms }));
  }
}
