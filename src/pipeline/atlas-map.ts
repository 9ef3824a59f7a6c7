import type { LexicalModel } from './embed/lexical.ts';
import type { EmbedDtype } from './embed/models.ts';
import type { Paper } from './types.ts';

/** Which embedder made a map's vectors; shown to readers and kept in bundles. */
export interface EmbedderInfo {
  kind: 'neural' | 'lexical';
  /** Model id (e.g. `Xenova/all-MiniLM-L6-v2`) or `tfidf-svd` for the lexical embedder. */
  model: string;
  /** Where the vectors were computed. */
  device: 'webgpu' | 'wasm' | 'node' | 'cpu';
  dtype?: EmbedDtype;
  dim: number;
}

/** One cluster of the hierarchy; level 0 is the broadest. */
export interface ClusterNode {
  id: number;
  level: number;
  /** The cluster one level up that contains this one, or null at level 0. */
  parent: number | null;
  size: number;
  /** A short readable label: two or three terms or phrases. */
  label: string;
  keywords: string[];
  /** Mean position of the members, where its label is drawn. */
  centroid: [number, number];
}

/** Figures computed for every map and kept with it. */
export interface MapQuality {
  /** Trustworthiness of the layout against the vectors, at `k` neighbours (0..1). */
  trustworthiness: number;
  k: number;
  clusterCount: number;
  /** Share of papers in no cluster at the finest level (0..1). */
  noiseShare: number;
  /** Mean silhouette of the finest clustering in the layout (-1..1). */
  silhouette: number;
}

/**
 * A computed map, the in-memory form the view renders. Arrays are indexed by paper index.
 * Positions are interleaved x, y; cluster ids refer to `clusters[].id`, -1 meaning noise.
 */
export interface AtlasMap {
  name: string;
  papers: Paper[];
  positions: Float32Array;
  /** One array per hierarchy level, broadest first: the cluster id of each paper at that level. */
  clusterLevels: Int32Array[];
  clusters: ClusterNode[];
  quality: MapQuality;
  embedder: EmbedderInfo;
  seed: number;
  /** Embedding vectors, row-major `papers.length × dim`, where kept (for neighbours and semantic search). */
  vectors?: { data: Float32Array; dim: number };
  /**
   * On a grown map, the index of the first paper added by the latest growth (those from here on are
   * shown as new); absent on a map never grown.
   */
  grownFrom?: number;
  /** A lexical map's fitted TF-IDF/SVD, which places new texts in its space (growing the map). */
  lexicalModel?: LexicalModel;
}

/** The buffers of a map's typed arrays, to transfer it between threads instead of copying it. */
export function mapBuffers(map: Omit<AtlasMap, 'papers'>): ArrayBuffer[] {
  const buffers = [map.positions.buffer as ArrayBuffer];
  for (const level of map.clusterLevels) buffers.push(level.buffer as ArrayBuffer);
  if (map.vectors) buffers.push(map.vectors.data.buffer as ArrayBuffer);
  if (map.lexicalModel) {
    buffers.push(map.lexicalModel.idf.buffer as ArrayBuffer);
    buffers.push(map.lexicalModel.projection.buffer as ArrayBuffer);
  }
  return [...new Set(buffers)];
}
