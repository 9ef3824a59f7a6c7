/**
 * Hierarchical density clustering of the 2-D layout (HDBSCAN, as BERTopic and DataMapPlot use it): no
 * cluster count to choose, noise allowed, and nested levels from a few broad regions down to topics.
 * Exact and deterministic: the same layout always gives the same clusters.
 */
import { AtlasError, throwIfCancelled } from '../../lib/errors.ts';
import type { RunOptions } from '../types.ts';
import { buildCondensedTree } from './condensed-tree.ts';
import { KdTree2D } from './kdtree.ts';
import { buildLevels, type LevelNode } from './levels.ts';
import { mutualReachabilityMst } from './mst.ts';

export { adjustedRandIndex, silhouette } from './quality.ts';

export interface ClusterHierarchy {
  /** Broadest first: the cluster id of each point at that level, -1 for noise. At least two levels. */
  levels: Int32Array[];
  /** Every cluster of every level; ids are unique across levels. */
  nodes: LevelNode[];
}

/** A k-nearest-neighbour graph of the papers: `n × k` row-major, self excluded, nearest first. */
export interface KnnGraph {
  k: number;
  indices: Int32Array;
  distances: Float32Array;
}

export interface ClusterOptions extends RunOptions {
  /**
   * Neighbours of each paper in embedding space. Above the finest level, a paper left as noise joins the
   * region most of its neighbours belong to; without a graph, its nearest points in the layout are used.
   */
  knn?: KnnGraph;
  /** Smallest group of points that counts as a cluster; by default it grows with √n (see `defaultMinClusterSize`). */
  minClusterSize?: number;
  /** Neighbours that define a point's local density (its core distance); by default from the cluster size. */
  minSamples?: number;
}

/** Layout neighbours that vote on where a noise point belongs in the broader levels. */
const LAYOUT_NEIGHBOURS = 10;

/** About √n / 2, at least 5: a cluster is a visible group on the map, whatever the corpus size. */
export function defaultMinClusterSize(n: number): number {
  return Math.max(5, Math.round(Math.sqrt(n) / 2));
}

/**
 * About a third of the cluster size, from 3 to 16: enough neighbours for a stable density estimate in
 * two dimensions, few enough that points at a cluster's rim still count as members rather than noise
 * (and that core distances stay cheap on large corpora).
 */
export function defaultMinSamples(minClusterSize: number): number {
  return Math.min(minClusterSize, Math.max(3, Math.min(16, Math.round(minClusterSize / 3))));
}

export async function clusterHierarchy(
  positions: Float32Array,
  options: ClusterOptions = {},
): Promise<ClusterHierarchy> {
  const { signal, onProgress } = options;
  if (positions.length % 2 !== 0) {
    throw new AtlasError(
      'cluster',
      'bad-positions',
      `The layout has ${positions.length} numbers, which is not a whole number of (x, y) points.`,
      { hint: 'Pass positions as an interleaved Float32Array of n × 2 numbers.' },
    );
  }
  for (let i = 0; i < positions.length; i++) {
    if (!Number.isFinite(positions[i])) {
      throw new AtlasError(
        'cluster',
        'bad-positions',
        `Point ${i >> 1} of the layout has a coordinate that is not a finite number.`,
        { hint: 'Recompute the layout; it should contain only finite coordinates.' },
      );
    }
  }
  const n = positions.length / 2;
  if (options.knn && options.knn.indices.length !== n * options.knn.k) {
    throw new AtlasError(
      'cluster',
      'bad-knn',
      `The neighbour graph has ${options.knn.indices.length} entries, but ${n} points × k = ${options.knn.k} needs ${n * options.knn.k}.`,
      { hint: 'Pass the kNN graph computed for the same papers as the layout, or leave it out.' },
    );
  }
  const minClusterSize = options.minClusterSize ?? defaultMinClusterSize(n);
  if (!Number.isInteger(minClusterSize) || minClusterSize < 2) {
    throw new AtlasError(
      'cluster',
      'bad-option',
      `minClusterSize must be a whole number of at least 2; got ${minClusterSize}.`,
    );
  }
  const minSamples = options.minSamples ?? defaultMinSamples(minClusterSize);
  if (!Number.isInteger(minSamples) || minSamples < 1) {
    throw new AtlasError(
      'cluster',
      'bad-option',
      `minSamples must be a whole number of at least 1; got ${minSamples}.`,
    );
  }

  const report = (done: number, message: string) =>
    onProgress?.({ stage: 'clustering', done, total: 3, message });
  throwIfCancelled(signal);
  report(0, 'Linking points by density');
  const { tree } = await mutualReachabilityMst(positions, minSamples, signal);
  report(1, 'Building the cluster tree');
  const condensed = buildCondensedTree(tree, n, minClusterSize);
  report(2, 'Choosing cluster levels');
  throwIfCancelled(signal);
  const layoutNeighbours = Math.min(LAYOUT_NEIGHBOURS, Math.max(0, n - 1));
  const neighbourhoods = options.knn ?? {
    k: layoutNeighbours,
    indices: new KdTree2D(positions).nearestNeighbours(layoutNeighbours),
  };
  const hierarchy = buildLevels(condensed, positions, neighbourhoods);
  report(3, 'Clusters ready');
  return hierarchy;
}
