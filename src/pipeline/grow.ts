/**
 * Growing a map: new papers' vectors placed on an existing layout by UMAP's transform, each assigned to
 * the topic its neighbours hold, without moving or relabelling anything already on the map. DOM-free,
 * so the map worker and `bench:grow` run the same code.
 */
import { AtlasError } from '../lib/errors.ts';
import type { AtlasMap, ClusterNode } from './atlas-map.ts';
import type { MapLayout } from './map.ts';
import { keepNearest } from './nearest-list.ts';
import { transformVectors, type TransformOptions } from './project/transform.ts';
import { SMALLEST_PROJECTED_MAP, type Paper } from './types.ts';

/** Each added paper's topic is read from this many of its nearest existing papers on the map. */
export const TOPIC_NEIGHBOURS = 10;
/**
 * A topic takes an added paper when it holds more than this share of those neighbours; otherwise they
 * are split (or mostly unclustered) and the paper stays unassigned.
 */
export const TOPIC_MAJORITY = 0.5;

/**
 * Per added point, the indices of its `k` nearest existing points in the 2-D layout (row-major m × k,
 * nearest first; fewer than k existing points leave -1s). Brute force: m × n distances, cheap for the
 * hundreds of papers added at a time.
 */
export function nearestInLayout(
  existing: Float32Array,
  added: Float32Array,
  k: number,
): Int32Array {
  const n = existing.length / 2;
  const m = added.length / 2;
  const nearest = new Int32Array(m * k).fill(-1);
  const best = new Float64Array(k);
  for (let row = 0; row < m; row++) {
    best.fill(Infinity);
    const out = nearest.subarray(row * k, (row + 1) * k);
    const x = added[2 * row]!;
    const y = added[2 * row + 1]!;
    for (let point = 0; point < n; point++) {
      const dx = existing[2 * point]! - x;
      const dy = existing[2 * point + 1]! - y;
      keepNearest(best, out, dx * dx + dy * dy, point);
    }
  }
  return nearest;
}

/**
 * Per hierarchy level (broadest first), the topic of each added point, -1 for unassigned, from its
 * nearest existing points on the map (`neighbours`, m × k, as `nearestInLayout` gives): topics are
 * regions of the 2-D layout, so a paper belongs to the one it was placed in. A point is assigned at the
 * finest level where one topic holds more than `TOPIC_MAJORITY` of its neighbours; its broader levels are then that
 * topic's ancestors, so the hierarchy stays nested. A point with no such level is unassigned at every
 * level.
 */
export function assignTopics(
  neighbours: Int32Array,
  k: number,
  clusterLevels: readonly Int32Array[],
  clusters: readonly Pick<ClusterNode, 'id' | 'parent'>[],
): Int32Array[] {
  const m = neighbours.length / k;
  const parentOf = new Map(clusters.map((c) => [c.id, c.parent]));
  const assigned = clusterLevels.map(() => new Int32Array(m).fill(-1));
  const votes = new Map<number, number>();
  for (let row = 0; row < m; row++) {
    for (let level = clusterLevels.length - 1; level >= 0; level--) {
      votes.clear();
      let total = 0;
      for (let slot = row * k; slot < (row + 1) * k; slot++) {
        const neighbour = neighbours[slot]!;
        if (neighbour < 0) continue;
        const topic = clusterLevels[level]![neighbour]!;
        total++;
        votes.set(topic, (votes.get(topic) ?? 0) + 1);
      }
      let best = -1;
      let bestVotes = 0;
      for (const [topic, count] of votes) {
        if (topic >= 0 && (count > bestVotes || (count === bestVotes && topic < best))) {
          best = topic;
          bestVotes = count;
        }
      }
      if (best < 0 || !(bestVotes > TOPIC_MAJORITY * total)) continue;
      let topic: number | null = best;
      for (let up = level; up >= 0 && topic !== null; up--) {
        assigned[up]![row] = topic;
        topic = parentOf.get(topic) ?? null;
      }
      break;
    }
  }
  return assigned;
}

export interface GrownLayout {
  /** The map with the added points after its own: their positions, topics and vectors appended. */
  layout: MapLayout;
  /** The added points' positions alone (m × 2). */
  addedPositions: Float32Array;
  /** Per added point, its topic at the finest level, or -1 where it was left unassigned. */
  addedTopics: Int32Array;
}

/**
 * Appends `added` vectors (m × dim, from the map's own embedder) to a map: positions from
 * `transformVectors` with the map's seed, topics from `assignTopics` over their nearest papers on the map, cluster sizes counting the new
 * members. The existing positions, topics, labels and centroids are copied bit for bit; the map's
 * quality figures stay those of its fitted layout; `grownFrom` marks where the added papers begin.
 */
export async function growLayout(
  map: MapLayout,
  added: Float32Array,
  options: Omit<TransformOptions, 'seed'> = {},
): Promise<GrownLayout> {
  if (!map.vectors) {
    throw new AtlasError(
      'project',
      'no-vectors',
      'This map does not keep its vectors, so new papers cannot be placed on it.',
      { hint: 'Compute the map again from its papers (New map), then add to it.' },
    );
  }
  const { data: vectors, dim } = map.vectors;
  const n = map.positions.length / 2;
  if (n < SMALLEST_PROJECTED_MAP) {
    throw new AtlasError(
      'project',
      'too-few-points',
      `A map of ${n} paper${n === 1 ? '' : 's'} has no layout to place new papers on.`,
      { hint: 'Make a new map of all the papers instead.' },
    );
  }
  const placed = await transformVectors(vectors, map.positions, dim, added, {
    ...options,
    seed: map.seed,
  });
  const m = placed.positions.length / 2;
  const k = Math.min(TOPIC_NEIGHBOURS, n);
  const nearest = nearestInLayout(map.positions, placed.positions, k);
  const topics = assignTopics(nearest, k, map.clusterLevels, map.clusters);

  const positions = new Float32Array((n + m) * 2);
  positions.set(map.positions);
  positions.set(placed.positions, n * 2);
  const clusterLevels = map.clusterLevels.map((level, index) => {
    const grown = new Int32Array(n + m);
    grown.set(level);
    grown.set(topics[index]!, n);
    return grown;
  });
  const newMembers = new Map<number, number>();
  for (const level of topics) {
    for (const topic of level)
      if (topic >= 0) newMembers.set(topic, (newMembers.get(topic) ?? 0) + 1);
  }
  const grownVectors = new Float32Array(vectors.length + added.length);
  grownVectors.set(vectors);
  grownVectors.set(added, vectors.length);
  const finest = topics.at(-1) ?? new Int32Array(m).fill(-1);
  return {
    layout: {
      ...map,
      positions,
      clusterLevels,
      clusters: map.clusters.map((c) => ({ ...c, size: c.size + (newMembers.get(c.id) ?? 0) })),
      vectors: { data: grownVectors, dim },
      grownFrom: n,
    },
    addedPositions: placed.positions,
    addedTopics: finest,
  };
}

/** An added paper that is already on the map (or earlier in the same batch). */
export interface DuplicatePaper {
  /** Index among the added papers. */
  added: number;
  /** Index of the paper it repeats: on the map, or (with `inBatch`) among the added papers. */
  of: number;
  inBatch: boolean;
  /** What matched. */
  by: 'id' | 'title';
}

/** A title reduced to its letters and digits, lower-cased, so case, spacing and punctuation do not count. */
function titleKey(title: string): string {
  return title
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * Which added papers are new and which repeat a paper already on the map, or one earlier in the batch:
 * the same id (a DOI or arXiv id where the file had one), or the same title up to case, spacing and
 * punctuation. Untitled papers are matched by id alone.
 */
export function partitionDuplicates(
  existing: readonly Pick<Paper, 'id' | 'title'>[],
  added: readonly Pick<Paper, 'id' | 'title'>[],
): { fresh: number[]; duplicates: DuplicatePaper[] } {
  const byId = new Map<string, { index: number; inBatch: boolean }>();
  const byTitle = new Map<string, { index: number; inBatch: boolean }>();
  existing.forEach((paper, index) => {
    byId.set(paper.id, { index, inBatch: false });
    const key = titleKey(paper.title);
    if (key && !byTitle.has(key)) byTitle.set(key, { index, inBatch: false });
  });
  const fresh: number[] = [];
  const duplicates: DuplicatePaper[] = [];
  added.forEach((paper, index) => {
    const key = titleKey(paper.title);
    const sameId = byId.get(paper.id);
    const sameTitle = key ? byTitle.get(key) : undefined;
    const match = sameId ?? sameTitle;
    if (match) {
      duplicates.push({
        added: index,
        of: match.index,
        inBatch: match.inBatch,
        by: sameId ? 'id' : 'title',
      });
      return;
    }
    fresh.push(index);
    byId.set(paper.id, { index, inBatch: true });
    if (key) byTitle.set(key, { index, inBatch: true });
  });
  return { fresh, duplicates };
}

/**
 * Why new papers cannot be added to `map`, or null when they can: it must keep its vectors, have a
 * layout (3 papers or more), and, if lexical, carry its fitted model (bundles before version 2 do not).
 */
export function growBlocker(
  map: Pick<AtlasMap, 'vectors' | 'embedder' | 'lexicalModel' | 'positions'>,
): string | null {
  if (map.positions.length / 2 < SMALLEST_PROJECTED_MAP) {
    return 'This map has too few papers to place new ones on; make a new map of all of them.';
  }
  if (!map.vectors) {
    return 'This map was saved without its vectors, so new papers cannot be placed on it; make a new map instead.';
  }
  if (map.embedder.kind === 'lexical' && !map.lexicalModel) {
    return 'This map was saved by an older version without its lexical model, so new papers cannot be embedded in its space; make a new map instead, or save this one again from a fresh computation.';
  }
  return null;
}
