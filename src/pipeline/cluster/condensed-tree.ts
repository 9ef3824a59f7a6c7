/**
 * HDBSCAN's condensed cluster tree (Campello, Moulavi & Sander 2013; McInnes & Healy 2017), built from
 * the mutual reachability spanning tree: the single-linkage dendrogram is read top-down, a split counts
 * only when both sides keep at least `minClusterSize` points, and smaller pieces "fall out" of their
 * cluster as points. Density is λ = 1 / distance; a cluster is born at the λ where it splits off and its
 * stability sums how long (in λ) its points stay in it. Clusters are numbered parents before children.
 */
import type { SpanningTree } from './mst.ts';

export interface CondensedTree {
  pointCount: number;
  clusterCount: number;
  /** Per cluster: its parent cluster, -1 for the root (cluster 0). */
  parent: Int32Array;
  /** Per cluster: its two child clusters, or -1 for a leaf. */
  firstChild: Int32Array;
  secondChild: Int32Array;
  birthLambda: Float64Array;
  /** λ at which the cluster split in two or lost its last points. */
  deathLambda: Float64Array;
  /** Points at birth. */
  size: Int32Array;
  stability: Float64Array;
  /** Per point: the cluster it was last part of, and the λ at which it left. */
  pointCluster: Int32Array;
  pointLambda: Float64Array;
}

export function buildCondensedTree(
  tree: SpanningTree,
  pointCount: number,
  minClusterSize: number,
): CondensedTree {
  const n = pointCount;
  const merges = Math.max(0, n - 1);
  const edgeOrder = Array.from({ length: merges }, (_, i) => i).sort(
    (a, b) => tree.weight[a]! - tree.weight[b]! || a - b,
  );

  // Single-linkage dendrogram: node ids < n are points, n + i is the i-th merge.
  const mergeLeft = new Int32Array(merges);
  const mergeRight = new Int32Array(merges);
  const mergeDistance = new Float64Array(merges);
  const mergeSize = new Int32Array(merges);
  const unionParent = new Int32Array(n);
  const unionNode = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    unionParent[i] = i;
    unionNode[i] = i;
  }
  const find = (point: number): number => {
    let root = point;
    while (unionParent[root] !== root) root = unionParent[root]!;
    while (unionParent[point] !== root) {
      const next = unionParent[point]!;
      unionParent[point] = root;
      point = next;
    }
    return root;
  };
  const nodeSize = (node: number): number => (node < n ? 1 : mergeSize[node - n]!);
  for (let i = 0; i < merges; i++) {
    const edge = edgeOrder[i]!;
    const a = find(tree.from[edge]!);
    const b = find(tree.to[edge]!);
    mergeLeft[i] = unionNode[a]!;
    mergeRight[i] = unionNode[b]!;
    mergeDistance[i] = tree.weight[edge]!;
    mergeSize[i] = nodeSize(unionNode[a]!) + nodeSize(unionNode[b]!);
    unionParent[a] = b;
    unionNode[b] = n + i;
  }

  // Coincident points merge at distance 0; cap λ just above the densest finite level instead of ∞.
  let smallestPositive = Infinity;
  for (let i = 0; i < merges; i++) {
    const distance = mergeDistance[i]!;
    if (distance > 0 && distance < smallestPositive) smallestPositive = distance;
  }
  const lambdaCap = Number.isFinite(smallestPositive) ? 2 / smallestPositive : 1;
  const lambdaOf = (distance: number): number => (distance > 0 ? 1 / distance : lambdaCap);

  const capacity = Math.max(1, 2 * Math.floor(n / Math.max(2, minClusterSize)) + 1);
  const parent = new Int32Array(capacity).fill(-1);
  const firstChild = new Int32Array(capacity).fill(-1);
  const secondChild = new Int32Array(capacity).fill(-1);
  const birthLambda = new Float64Array(capacity);
  const deathLambda = new Float64Array(capacity);
  const size = new Int32Array(capacity);
  const pointCluster = new Int32Array(n);
  const pointLambda = new Float64Array(n);
  let clusterCount = 1;
  size[0] = n;

  // Per merge node, top-down: the cluster it belongs to, and whether it has already fallen out (at which λ).
  const nodeCluster = new Int32Array(merges);
  const nodeFallenAt = new Float64Array(merges).fill(-1);
  const newCluster = (parentCluster: number, lambda: number, points: number): number => {
    const id = clusterCount++;
    parent[id] = parentCluster;
    birthLambda[id] = lambda;
    size[id] = points;
    return id;
  };
  const fallOut = (node: number, cluster: number, lambda: number): void => {
    if (node < n) {
      pointCluster[node] = cluster;
      pointLambda[node] = lambda;
    } else {
      nodeCluster[node - n] = cluster;
      nodeFallenAt[node - n] = lambda;
    }
  };
  const stayIn = (node: number, cluster: number): void => {
    nodeCluster[node - n] = cluster;
  };

  if (merges > 0) nodeCluster[merges - 1] = 0;
  else if (n === 1) fallOut(0, 0, lambdaCap);
  for (let i = merges - 1; i >= 0; i--) {
    const left = mergeLeft[i]!;
    const right = mergeRight[i]!;
    const cluster = nodeCluster[i]!;
    const fallenAt = nodeFallenAt[i]!;
    if (fallenAt >= 0) {
      fallOut(left, cluster, fallenAt);
      fallOut(right, cluster, fallenAt);
      continue;
    }
    const lambda = lambdaOf(mergeDistance[i]!);
    const leftSize = nodeSize(left);
    const rightSize = nodeSize(right);
    const leftBig = leftSize >= minClusterSize;
    const rightBig = rightSize >= minClusterSize;
    if (leftBig && rightBig) {
      const a = newCluster(cluster, lambda, leftSize);
      const b = newCluster(cluster, lambda, rightSize);
      firstChild[cluster] = a;
      secondChild[cluster] = b;
      deathLambda[cluster] = lambda;
      stayIn(left, a);
      stayIn(right, b);
      continue;
    }
    if (leftBig) stayIn(left, cluster);
    else fallOut(left, cluster, lambda);
    if (rightBig) stayIn(right, cluster);
    else fallOut(right, cluster, lambda);
    if (!leftBig && !rightBig) deathLambda[cluster] = lambda;
  }

  const stability = new Float64Array(clusterCount);
  for (let point = 0; point < n; point++) {
    const cluster = pointCluster[point]!;
    stability[cluster] = stability[cluster]! + pointLambda[point]! - birthLambda[cluster]!;
  }
  for (let cluster = 1; cluster < clusterCount; cluster++) {
    const up = parent[cluster]!;
    stability[up] = stability[up]! + size[cluster]! * (birthLambda[cluster]! - birthLambda[up]!);
  }

  return {
    pointCount: n,
    clusterCount,
    parent: parent.slice(0, clusterCount),
    firstChild: firstChild.slice(0, clusterCount),
    secondChild: secondChild.slice(0, clusterCount),
    birthLambda: birthLambda.slice(0, clusterCount),
    deathLambda: deathLambda.slice(0, clusterCount),
    size: size.slice(0, clusterCount),
    stability,
    pointCluster,
    pointLambda,
  };
}

/**
 * Excess-of-mass selection below `cluster` (the cluster itself excluded): every cluster beneath keeps
 * itself where its stability beats the best its descendants can offer, else hands over to them.
 * Returns the selected clusters, none of which contains another.
 */
export function selectExcessOfMass(tree: CondensedTree, cluster: number): number[] {
  const best = new Float64Array(tree.clusterCount);
  const keepsItself = new Uint8Array(tree.clusterCount);
  for (let c = tree.clusterCount - 1; c > 0; c--) {
    const a = tree.firstChild[c]!;
    const childrenBest = a < 0 ? 0 : best[a]! + best[tree.secondChild[c]!]!;
    if (a < 0 || tree.stability[c]! >= childrenBest) {
      best[c] = tree.stability[c]!;
      keepsItself[c] = 1;
    } else {
      best[c] = childrenBest;
    }
  }
  const selected: number[] = [];
  const pending: number[] = [];
  if (tree.firstChild[cluster]! >= 0)
    pending.push(tree.secondChild[cluster]!, tree.firstChild[cluster]!);
  while (pending.length > 0) {
    const c = pending.pop()!;
    if (keepsItself[c]) selected.push(c);
    else pending.push(tree.secondChild[c]!, tree.firstChild[c]!);
  }
  return selected;
}
