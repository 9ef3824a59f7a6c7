/**
 * The exact minimum spanning tree of a 2-D layout under HDBSCAN's mutual reachability distance
 * `max(core(p), core(q), |p − q|)`, by Borůvka's algorithm over a kd-tree: each round finds, for every
 * component, its lightest edge to another component, pruning tree nodes that lie wholly inside the
 * querying component or cannot beat the best edge found so far. About log₂ n rounds of near-linear work.
 */
import { createYielder } from '../../lib/scheduling.ts';
import { KdTree2D } from './kdtree.ts';

export interface SpanningTree {
  /** Edge endpoints (point indices) and mutual reachability weights, `n − 1` edges. */
  from: Int32Array;
  to: Int32Array;
  weight: Float64Array;
}

export interface MstResult {
  tree: SpanningTree;
  /** Core distance of every point: the distance to its `minSamples`-th nearest point, itself included. */
  coreDistances: Float64Array;
}

export async function mutualReachabilityMst(
  positions: Float32Array,
  minSamples: number,
  signal?: AbortSignal,
): Promise<MstResult> {
  const pause = createYielder(signal);
  const kdTree = new KdTree2D(positions);
  const n = kdTree.size;
  const coreDistances = kdTree.kthNeighbourDistances(minSamples);
  await pause();

  const edgeCount = Math.max(0, n - 1);
  const tree: SpanningTree = {
    from: new Int32Array(edgeCount),
    to: new Int32Array(edgeCount),
    weight: new Float64Array(edgeCount),
  };
  if (n < 2) return { tree, coreDistances };

  const { xs, ys, order, nodeCount, nodeLeft, nodeRight, nodeStart, nodeEnd } = kdTree;
  const coreSquared = new Float64Array(n);
  for (let slot = 0; slot < n; slot++) coreSquared[slot] = coreDistances[order[slot]!]! ** 2;
  const nodeMinCoreSquared = new Float64Array(nodeCount);
  for (let node = nodeCount - 1; node >= 0; node--) {
    const left = nodeLeft[node]!;
    if (left < 0) {
      let smallest = Infinity;
      for (let slot = nodeStart[node]!; slot < nodeEnd[node]!; slot++) {
        if (coreSquared[slot]! < smallest) smallest = coreSquared[slot]!;
      }
      nodeMinCoreSquared[node] = smallest;
    } else {
      nodeMinCoreSquared[node] = Math.min(
        nodeMinCoreSquared[left]!,
        nodeMinCoreSquared[nodeRight[node]!]!,
      );
    }
  }

  const parent = new Int32Array(n);
  for (let slot = 0; slot < n; slot++) parent[slot] = slot;
  const find = (slot: number): number => {
    let root = slot;
    while (parent[root] !== root) root = parent[root]!;
    while (parent[slot] !== root) {
      const next = parent[slot]!;
      parent[slot] = root;
      slot = next;
    }
    return root;
  };

  const component = new Int32Array(n);
  /** The component every point of a node belongs to, or -1 where the node spans several. */
  const nodeComponent = new Int32Array(nodeCount);
  const bestWeight = new Float64Array(n);
  const bestFrom = new Int32Array(n);
  const bestTo = new Int32Array(n);
  const stack = new Int32Array(128);
  let edges = 0;

  while (edges < n - 1) {
    for (let slot = 0; slot < n; slot++) component[slot] = find(slot);
    for (let node = nodeCount - 1; node >= 0; node--) {
      const left = nodeLeft[node]!;
      if (left < 0) {
        const first = component[nodeStart[node]!]!;
        let shared = first;
        for (let slot = nodeStart[node]! + 1; slot < nodeEnd[node]!; slot++) {
          if (component[slot] !== first) {
            shared = -1;
            break;
          }
        }
        nodeComponent[node] = shared;
      } else {
        const leftComponent = nodeComponent[left]!;
        nodeComponent[node] =
          leftComponent === nodeComponent[nodeRight[node]!] ? leftComponent : -1;
      }
    }
    bestWeight.fill(Infinity);
    bestTo.fill(-1);

    for (let slot = 0; slot < n; slot++) {
      const own = component[slot]!;
      const ownCore = coreSquared[slot]!;
      let bound = bestWeight[own]!;
      // Mutual reachability from this point is at least its core distance: no edge here can win.
      if (ownCore >= bound) continue;
      const x = xs[slot]!;
      const y = ys[slot]!;
      let found = -1;
      let depth = 0;
      stack[depth++] = 0;
      while (depth > 0) {
        const node = stack[--depth]!;
        if (nodeComponent[node] === own) continue;
        const lower = Math.max(
          ownCore,
          nodeMinCoreSquared[node]!,
          kdTree.boxDistanceSquared(node, x, y),
        );
        if (lower >= bound) continue;
        const left = nodeLeft[node]!;
        if (left < 0) {
          for (let other = nodeStart[node]!; other < nodeEnd[node]!; other++) {
            if (component[other] === own) continue;
            const dx = xs[other]! - x;
            const dy = ys[other]! - y;
            const reach = Math.max(dx * dx + dy * dy, ownCore, coreSquared[other]!);
            if (reach < bound) {
              bound = reach;
              found = other;
            }
          }
          continue;
        }
        const right = nodeRight[node]!;
        if (kdTree.boxDistanceSquared(left, x, y) <= kdTree.boxDistanceSquared(right, x, y)) {
          stack[depth++] = right;
          stack[depth++] = left;
        } else {
          stack[depth++] = left;
          stack[depth++] = right;
        }
      }
      if (found >= 0) {
        bestWeight[own] = bound;
        bestFrom[own] = slot;
        bestTo[own] = found;
      }
    }

    for (let root = 0; root < n; root++) {
      if (component[root] !== root || bestTo[root]! < 0) continue;
      const a = find(bestFrom[root]!);
      const b = find(bestTo[root]!);
      if (a === b) continue;
      parent[a] = b;
      tree.from[edges] = order[bestFrom[root]!]!;
      tree.to[edges] = order[bestTo[root]!]!;
      tree.weight[edges] = Math.sqrt(bestWeight[root]!);
      edges++;
    }
    await pause();
  }
  return { tree, coreDistances };
}
