/**
 * Searching one map's papers: full text (MiniSearch over titles, abstracts and authors) or by meaning
 * (the query embedded with the map's own embedder, ranked by cosine against the map's vectors). DOM-free;
 * the explorer's search controller runs it as a Lit Task.
 */
import { AtlasError, throwIfCancelled } from '../../lib/errors.ts';
import type { AtlasMap } from '../../pipeline/atlas-map.ts';
import { rankByVector } from './neighbours.ts';
import { TextSearch } from './text-search.ts';

/** Embeds a query with the map's embedder; absent where no embedder is loaded. */
export type EmbedQuery = (text: string, signal: AbortSignal) => Promise<Float32Array>;

export interface SearchQuery {
  text: string;
  semantic: boolean;
}

export interface SearchResult {
  mode: 'text' | 'semantic';
  indices: Int32Array;
  /** The query terms each paper matched (text search), for highlighting; empty for semantic search. */
  terms: string[][];
  /** MiniSearch scores (text) or cosine similarities (semantic), matching `indices`. */
  scores: Float32Array;
  /** One line for the reader: how many papers matched, or why none did. */
  status: string;
}

/** Text search returns at most this many papers (the count shows "20,000+"). */
export const TEXT_HIT_LIMIT = 20_000;
/** Semantic search returns the nearest this many papers. */
export const SEMANTIC_HIT_LIMIT = 100;

export class PaperSearch {
  /** Built on the first text query: a map opened only to browse never pays for the index. */
  private textIndex: Promise<TextSearch> | null = null;

  /** `queryEmbedder` gives the embedder now: the model may load, or fail, after the map is shown. */
  constructor(
    readonly map: AtlasMap,
    private readonly queryEmbedder: () => EmbedQuery | undefined = () => undefined,
  ) {}

  get semanticAvailable(): boolean {
    return Boolean(this.queryEmbedder() && this.map.vectors);
  }

  /** What a pending `run(query)` is doing, for the reader. */
  pendingStatus(query: SearchQuery): string {
    if (query.semantic) return 'Embedding the query…';
    return this.textIndex
      ? 'Searching…'
      : `Indexing ${this.map.papers.length.toLocaleString()} papers…`;
  }

  async run(query: SearchQuery, signal: AbortSignal): Promise<SearchResult> {
    const text = query.text.trim();
    const result = query.semantic
      ? await this.semanticSearch(text, signal)
      : await this.fullTextSearch(text);
    throwIfCancelled(signal);
    return result;
  }

  private async fullTextSearch(text: string): Promise<SearchResult> {
    if (!this.textIndex) {
      const building = TextSearch.build(this.map.papers);
      this.textIndex = building;
      building.catch(() => {
        if (this.textIndex === building) this.textIndex = null;
      });
    }
    const hits = (await this.textIndex).query(text, TEXT_HIT_LIMIT);
    return {
      mode: 'text',
      indices: Int32Array.from(hits, (hit) => hit.index),
      terms: hits.map((hit) => hit.terms),
      scores: Float32Array.from(hits, (hit) => hit.score),
      status:
        hits.length === 0
          ? `No papers match “${text}”.`
          : hits.length === 1
            ? '1 paper matches'
            : `${hits.length.toLocaleString()}${hits.length === TEXT_HIT_LIMIT ? '+' : ''} papers match`,
    };
  }

  private async semanticSearch(text: string, signal: AbortSignal): Promise<SearchResult> {
    const vectors = this.map.vectors;
    const embedQuery = this.queryEmbedder();
    if (!embedQuery || !vectors) {
      throw new AtlasError(
        'embed',
        'semantic-unavailable',
        'Semantic search is not available for this map.',
        {
          hint: vectors
            ? 'The embedding model is not loaded; use text search, or reload the page.'
            : 'This map was saved without vectors; use text search, or compute the map again.',
        },
      );
    }
    const query = await embedQuery(text, signal);
    const ranked = rankByVector(vectors.data, vectors.dim, query, SEMANTIC_HIT_LIMIT);
    return {
      mode: 'semantic',
      indices: ranked.indices,
      terms: [],
      scores: ranked.scores,
      status:
        ranked.indices.length === 0
          ? 'The query embedding is empty; try other words.'
          : `${ranked.indices.length} nearest papers by meaning`,
    };
  }
}
