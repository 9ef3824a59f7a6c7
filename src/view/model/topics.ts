/**
 * A cluster opened as a topic: its label, keywords, size, members and most central papers. DOM-free.
 */
import type { AtlasMap, ClusterNode } from '../../pipeline/atlas-map.ts';

export interface TopicSummary {
  cluster: ClusterNode;
  /** Paper indices of its members, ascending. */
  members: Int32Array;
  /** The papers nearest its centroid, nearest first. */
  central: number[];
  /** Where "nearest" was measured: the embedding where the map kept its vectors, else the layout. */
  space: 'embedding' | 'layout';
}

/** Papers listed as a topic's most central. */
export const CENTRAL_PAPERS = 5;

/** The topic of cluster `id`, or null when the map has no such cluster. */
export function topicSummary(
  map: AtlasMap,
  id: number,
  count = CENTRAL_PAPERS,
): TopicSummary | null {
  const cluster = map.clusters.find((c) => c.id === id);
  const ids = cluster ? map.clusterLevels[cluster.level] : undefined;
  if (!cluster || !ids) return null;
  const indices: number[] = [];
  for (let i = 0; i < ids.length; i++) if (ids[i] === id) indices.push(i);
  const members = Int32Array.from(indices);
  const central = map.vectors
    ? nearestToCentroid(map.vectors.data, map.vectors.dim, members, count, 'cosine')
    : nearestToCentroid(map.positions, 2, members, count, 'distance');
  return { cluster, members, central, space: map.vectors ? 'embedding' : 'layout' };
}

/**
 * The `count` members nearest the members' mean, nearest first, ties by index. `rows` holds one row of
 * `dim` values per paper: embedding vectors, compared by cosine (the direction is what an embedding
 * means), or layout positions, compared by distance.
 */
export function nearestToCentroid(
  rows: Float32Array,
  dim: number,
  members: Int32Array,
  count: number,
  measure: 'cosine' | 'distance',
): number[] {
  if (members.length === 0) return [];
  const centroid = new Float64Array(dim);
  for (const i of members) for (let d = 0; d < dim; d++) centroid[d]! += rows[i * dim + d]!;
  for (let d = 0; d < dim; d++) centroid[d]! /= members.length;
  // Cosine to the centroid without its own norm, which is the same for every member.
  const closeness = (i: number): number => {
    let dot = 0;
    let norm = 0;
    let distance = 0;
    for (let d = 0; d < dim; d++) {
      const value = rows[i * dim + d]!;
      dot += value * centroid[d]!;
      norm += value * value;
      distance += (value - centroid[d]!) ** 2;
    }
    if (measure === 'distance') return -distance;
    return norm > 0 ? dot / Math.sqrt(norm) : -Infinity;
  };
  return Array.from(members, (i) => ({ i, score: closeness(i) }))
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, count)
    .map(({ i }) => i);
}
