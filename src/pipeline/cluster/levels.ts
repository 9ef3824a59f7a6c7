/**
 * Turns a condensed tree into nested levels, broadest first. The finest level is HDBSCAN's
 * excess-of-mass selection (the most persistent clusters), split further where it leaves too few
 * clusters for the size of the corpus. Broader levels cut the tree above those clusters top-down,
 * splitting the loosest joins first and stopping where the next join is much tighter than the last one
 * taken (the largest gap in distance), so broad regions are the groups the layout itself separates;
 * a cut that leaves one region holding most of the map is passed over for a more balanced one.
 */
import type { CondensedTree } from './condensed-tree.ts';
import { selectExcessOfMass } from './condensed-tree.ts';

export interface LevelNode {
  id: number;
  level: number;
  parent: number | null;
  size: number;
  centroid: [number, number];
}

export interface Levels {
  levels: Int32Array[];
  nodes: LevelNode[];
}

/** Fewest clusters the finest level should offer for `n` points, before the tree is split further. */
export function fewestFineClusters(n: number): number {
  return Math.max(4, Math.round(Math.sqrt(n) / 6));
}

export function buildLevels(
  tree: CondensedTree,
  positions: Float32Array,
  neighbourhoods?: Neighbourhoods,
): Levels {
  const finest = finestSelection(tree);
  if (finest.length === 0) return materialise(tree, positions, [[0], [0]]);

  const cuts = cutSequence(tree, finest);
  const counts = chooseLevelCounts(cuts, finest.length, (count) =>
    largestShare(tree, cuts.frontierAfter(count - 1)),
  );
  const partitions = counts.map((count) => cuts.frontierAfter(count - 1));
  return materialise(tree, positions, partitions, neighbourhoods);
}

/** A finest-level cluster holding more of the corpus than this is a region, not a topic. */
const LARGEST_TOPIC_SHARE = 0.4;

function finestSelection(tree: CondensedTree): number[] {
  let selection = selectExcessOfMass(tree, 0);
  const wanted = fewestFineClusters(tree.pointCount);
  // Excess of mass favours big clusters; where it leaves too few, or one that covers a large share of
  // the corpus, split the largest splittable one into its own best selection, until the level is
  // detailed enough or nothing splits further.
  for (;;) {
    let largest = -1;
    for (const cluster of selection) {
      if (tree.firstChild[cluster]! < 0) continue;
      if (largest < 0 || tree.size[cluster]! > tree.size[largest]!) largest = cluster;
    }
    if (largest < 0) break;
    const tooFew = selection.length < wanted;
    if (!tooFew && tree.size[largest]! <= LARGEST_TOPIC_SHARE * tree.pointCount) break;
    selection = selection.flatMap((cluster) =>
      cluster === largest ? selectExcessOfMass(tree, cluster) : [cluster],
    );
  }
  return selection;
}

interface CutSequence {
  /** Distances (1/λ) of the joins above the finest clusters, loosest first. */
  distances: number[];
  /** The clusters that form the level after the loosest `splits` joins are undone. */
  frontierAfter(splits: number): number[];
}

function cutSequence(tree: CondensedTree, finest: readonly number[]): CutSequence {
  // Every ancestor of a finest cluster splits into two subtrees that both hold finest clusters.
  const ancestors = new Set<number>();
  for (const cluster of finest) {
    for (let up = tree.parent[cluster]!; up >= 0 && !ancestors.has(up); up = tree.parent[up]!) {
      ancestors.add(up);
    }
  }
  const splits = [...ancestors].sort(
    (a, b) => tree.deathLambda[a]! - tree.deathLambda[b]! || a - b,
  );
  return {
    distances: splits.map((cluster) => 1 / tree.deathLambda[cluster]!),
    frontierAfter(count: number): number[] {
      const undone = new Set(splits.slice(0, count));
      const frontier: number[] = [];
      const pending = [0];
      while (pending.length > 0) {
        const cluster = pending.pop()!;
        if (undone.has(cluster))
          pending.push(tree.secondChild[cluster]!, tree.firstChild[cluster]!);
        else frontier.push(cluster);
      }
      return frontier;
    },
  };
}

/** Broadest level: a handful of regions a reader can take in at a glance. */
const MOST_BROAD_REGIONS = 5;
/** Each extra level multiplies the cluster count by about this much. */
const LEVEL_GROWTH = 8;

/**
 * Cluster counts per level, broadest first, ending with the finest. Counts grow geometrically from a
 * few broad regions to the finest level; each level takes the widest relative gap between consecutive
 * join distances within a window around its geometric target, so levels follow the layout's own gaps.
 */
function chooseLevelCounts(
  cuts: CutSequence,
  finestCount: number,
  shareOfLargest: (count: number) => number,
): number[] {
  if (finestCount <= 2) return [finestCount, finestCount];
  const levelCount = 1 + Math.max(1, Math.ceil(Math.log(finestCount / 2) / Math.log(LEVEL_GROWTH)));
  const counts: number[] = [];
  let previous = 1;
  for (let level = 0; level < levelCount - 1; level++) {
    const target = 3 * (finestCount / 3) ** (level / (levelCount - 1));
    const lowest = Math.max(previous + 1, level === 0 ? 2 : Math.floor(target / 2));
    const highest = Math.min(
      finestCount - 1,
      level === 0 ? MOST_BROAD_REGIONS : Math.ceil(target * 2),
    );
    if (lowest > highest) break;
    previous = widestGap(cuts.distances, lowest, highest, shareOfLargest);
    counts.push(previous);
  }
  counts.push(finestCount);
  return counts;
}

/** A level whose largest cluster holds more than this share of the points is lopsided. */
const LOPSIDED_SHARE = 0.7;

/**
 * The count in [lowest, highest] after which the next join is tightest relative to the last one
 * undone. Lopsided levels (one region and a few outlying groups) are passed over while a balanced one
 * is on offer; with none on offer, the most balanced count wins.
 */
function widestGap(
  distances: readonly number[],
  lowest: number,
  highest: number,
  shareOfLargest: (count: number) => number,
): number {
  let bestCount = lowest;
  let bestGap = -Infinity;
  let bestShare = Infinity;
  for (let count = lowest; count <= highest; count++) {
    const taken = distances[count - 2];
    const next = distances[count - 1];
    if (taken === undefined || next === undefined) break;
    const gap = Math.log(taken / Math.max(next, Number.MIN_VALUE));
    const share = shareOfLargest(count);
    const balanced = share <= LOPSIDED_SHARE;
    const better = balanced
      ? bestShare > LOPSIDED_SHARE || gap > bestGap
      : bestShare > LOPSIDED_SHARE && share < bestShare;
    if (better) {
      bestGap = gap;
      bestCount = count;
      bestShare = share;
    }
  }
  return bestCount;
}

/** The share of the points (counted at each cluster's birth) that the largest cluster of a level holds. */
function largestShare(tree: CondensedTree, partition: readonly number[]): number {
  let total = 0;
  let largest = 0;
  for (const cluster of partition) {
    total += tree.size[cluster]!;
    largest = Math.max(largest, tree.size[cluster]!);
  }
  return total > 0 ? largest / total : 1;
}

/** Each point's neighbours, `n × k` row-major point indices (the point itself excluded). */
export interface Neighbourhoods {
  k: number;
  indices: Int32Array;
}

/**
 * Per-point labels and nodes for nested partitions of the tree. A point belongs to a level's cluster
 * when it left the tree from that cluster or below it, so broad regions also take in points that are
 * noise at finer levels but lie within them. Above the finest level, a point still left as noise joins
 * the cluster that most of its neighbours belong to, where they are a majority (and the cluster sits
 * inside the point's own cluster one level up): broad regions cover the map, while the finest level
 * keeps HDBSCAN's noise. Ids run across levels, biggest cluster first in each level.
 */
function materialise(
  tree: CondensedTree,
  positions: Float32Array,
  partitions: readonly (readonly number[])[],
  neighbourhoods?: Neighbourhoods,
): Levels {
  const n = tree.pointCount;
  const owners = partitions.map((partition) => {
    const owner = new Int32Array(tree.clusterCount).fill(-1);
    for (const cluster of partition) owner[cluster] = cluster;
    for (let c = 1; c < tree.clusterCount; c++) {
      if (owner[c]! < 0) owner[c] = owner[tree.parent[c]!]!;
    }
    return owner;
  });
  const treeLabels: Int32Array[] = owners.map((owner) =>
    Int32Array.from(tree.pointCluster, (c) => owner[c]!),
  );
  if (neighbourhoods && neighbourhoods.k > 0) {
    for (let level = 0; level < treeLabels.length - 1; level++) {
      treeLabels[level] = adoptNoise(
        treeLabels[level]!,
        level > 0 ? { labels: treeLabels[level - 1]!, owner: owners[level - 1]! } : null,
        neighbourhoods,
      );
    }
  }

  const levels: Int32Array[] = [];
  const nodes: LevelNode[] = [];
  let nextId = 0;
  let parentIds = new Map<number, number>();
  treeLabels.forEach((pointLabels, level) => {
    const members = new Map<number, number>();
    const sumX = new Map<number, number>();
    const sumY = new Map<number, number>();
    for (let point = 0; point < n; point++) {
      const cluster = pointLabels[point]!;
      if (cluster < 0) continue;
      members.set(cluster, (members.get(cluster) ?? 0) + 1);
      sumX.set(cluster, (sumX.get(cluster) ?? 0) + positions[2 * point]!);
      sumY.set(cluster, (sumY.get(cluster) ?? 0) + positions[2 * point + 1]!);
    }
    const ordered = [...members.keys()].sort((a, b) => members.get(b)! - members.get(a)! || a - b);
    const idOf = new Map<number, number>();
    for (const cluster of ordered) {
      const id = nextId++;
      idOf.set(cluster, id);
      const size = members.get(cluster)!;
      nodes.push({
        id,
        level,
        parent: level > 0 ? (parentIds.get(owners[level - 1]![cluster]!) ?? null) : null,
        size,
        centroid: [sumX.get(cluster)! / size, sumY.get(cluster)! / size],
      });
    }
    levels.push(
      Int32Array.from(pointLabels, (cluster) => (cluster >= 0 ? idOf.get(cluster)! : -1)),
    );
    parentIds = idOf;
  });
  return { levels, nodes };
}

/** One round of majority adoption for the noise points of a level; votes use the labels before it. */
function adoptNoise(
  labels: Int32Array,
  above: { labels: Int32Array; owner: Int32Array } | null,
  { k, indices }: Neighbourhoods,
): Int32Array {
  const adopted = labels.slice();
  const votes = new Map<number, number>();
  for (let point = 0; point < labels.length; point++) {
    if (labels[point]! >= 0) continue;
    const home = above ? above.labels[point]! : -1;
    if (above && home < 0) continue;
    votes.clear();
    for (let j = point * k; j < point * k + k; j++) {
      // Graphs may pad missing neighbours with -1.
      const neighbour = indices[j]!;
      if (neighbour < 0 || neighbour >= labels.length) continue;
      const cluster = labels[neighbour]!;
      if (cluster < 0 || (above && above.owner[cluster] !== home)) continue;
      votes.set(cluster, (votes.get(cluster) ?? 0) + 1);
    }
    for (const [cluster, count] of votes) {
      if (2 * count > k) adopted[point] = cluster;
    }
  }
  return adopted;
}
