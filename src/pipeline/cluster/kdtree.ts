/**
 * A 2-D kd-tree over an interleaved `n × 2` layout, stored in flat typed arrays so that building and
 * querying 100,000 points stays well under a second and nothing is allocated per query. Points are
 * copied into tree order so that a leaf's points are contiguous in memory.
 */

import { keepNearest } from '../nearest-list.ts';

/** Leaves hold at most this many points: small enough to prune well, large enough to keep the tree shallow. */
const LEAF_SIZE = 16;

export class KdTree2D {
  readonly size: number;
  /** Point index at each tree slot. */
  readonly order: Int32Array;
  /** Coordinates in tree order. */
  readonly xs: Float64Array;
  readonly ys: Float64Array;
  /** Per node: the slot range [start, end), its children (-1 for a leaf) and its bounding box. */
  readonly nodeStart: Int32Array;
  readonly nodeEnd: Int32Array;
  readonly nodeLeft: Int32Array;
  readonly nodeRight: Int32Array;
  readonly minX: Float64Array;
  readonly minY: Float64Array;
  readonly maxX: Float64Array;
  readonly maxY: Float64Array;
  readonly nodeCount: number;

  constructor(positions: Float32Array) {
    const n = positions.length >> 1;
    this.size = n;
    this.order = new Int32Array(n);
    for (let i = 0; i < n; i++) this.order[i] = i;
    const capacity = Math.max(1, 2 * Math.ceil(n / (LEAF_SIZE >> 1)) + 1);
    this.nodeStart = new Int32Array(capacity);
    this.nodeEnd = new Int32Array(capacity);
    this.nodeLeft = new Int32Array(capacity);
    this.nodeRight = new Int32Array(capacity);
    this.minX = new Float64Array(capacity);
    this.minY = new Float64Array(capacity);
    this.maxX = new Float64Array(capacity);
    this.maxY = new Float64Array(capacity);
    this.nodeCount = this.build(positions);
    this.xs = new Float64Array(n);
    this.ys = new Float64Array(n);
    for (let slot = 0; slot < n; slot++) {
      const point = this.order[slot]!;
      this.xs[slot] = positions[2 * point]!;
      this.ys[slot] = positions[2 * point + 1]!;
    }
  }

  private build(positions: Float32Array): number {
    const order = this.order;
    let count = 0;
    const stack: number[] = [];
    const makeNode = (start: number, end: number): number => {
      const node = count++;
      this.nodeStart[node] = start;
      this.nodeEnd[node] = end;
      this.nodeLeft[node] = -1;
      this.nodeRight[node] = -1;
      let x0 = Infinity;
      let y0 = Infinity;
      let x1 = -Infinity;
      let y1 = -Infinity;
      for (let slot = start; slot < end; slot++) {
        const point = order[slot]!;
        const x = positions[2 * point]!;
        const y = positions[2 * point + 1]!;
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
      this.minX[node] = x0;
      this.minY[node] = y0;
      this.maxX[node] = x1;
      this.maxY[node] = y1;
      if (end - start > LEAF_SIZE) stack.push(node);
      return node;
    };
    if (this.size === 0) return 0;
    makeNode(0, this.size);
    while (stack.length > 0) {
      const node = stack.pop()!;
      const start = this.nodeStart[node]!;
      const end = this.nodeEnd[node]!;
      const axis =
        this.maxX[node]! - this.minX[node]! >= this.maxY[node]! - this.minY[node]! ? 0 : 1;
      const middle = (start + end) >> 1;
      selectNth(order, positions, axis, start, end - 1, middle);
      this.nodeLeft[node] = makeNode(start, middle);
      this.nodeRight[node] = makeNode(middle, end);
    }
    return count;
  }

  /** Squared distance from (x, y) to the node's bounding box; 0 inside it. */
  boxDistanceSquared(node: number, x: number, y: number): number {
    const dx =
      x < this.minX[node]! ? this.minX[node]! - x : x > this.maxX[node]! ? x - this.maxX[node]! : 0;
    const dy =
      y < this.minY[node]! ? this.minY[node]! - y : y > this.maxY[node]! ? y - this.maxY[node]! : 0;
    return dx * dx + dy * dy;
  }

  /**
   * Distance from every point to its `k`-th nearest point, the point itself counted first (so `k = 1`
   * gives 0), as HDBSCAN defines core distances. `k` is capped at the number of points.
   */
  kthNeighbourDistances(k: number): Float64Array {
    const result = new Float64Array(this.size);
    this.forEachNearest(Math.min(k, this.size), (point, distancesSquared) => {
      result[point] = Math.sqrt(distancesSquared[distancesSquared.length - 1]!);
    });
    return result;
  }

  /** The `k` nearest other points of every point, nearest first, as `n × k` row-major point indices. */
  nearestNeighbours(k: number): Int32Array {
    const kk = Math.min(k, this.size - 1);
    const result = new Int32Array(this.size * Math.max(0, kk));
    if (kk <= 0) return result;
    this.forEachNearest(kk + 1, (point, _, slots) => {
      let column = 0;
      for (const slot of slots) {
        const other = this.order[slot]!;
        if (other !== point && column < kk) result[point * kk + column++] = other;
      }
    });
    return result;
  }

  /** Calls `visit` with each point's `k` nearest points (itself included): squared distances and slots, ascending. */
  private forEachNearest(
    k: number,
    visit: (point: number, distancesSquared: Float64Array, slots: Int32Array) => void,
  ): void {
    const kk = Math.max(1, k);
    const best = new Float64Array(kk);
    const bestSlot = new Int32Array(kk);
    const stack = new Int32Array(64);
    for (let slot = 0; slot < this.size; slot++) {
      const x = this.xs[slot]!;
      const y = this.ys[slot]!;
      best.fill(Infinity);
      bestSlot.fill(-1);
      let worst = Infinity;
      let depth = 0;
      stack[depth++] = 0;
      while (depth > 0) {
        const node = stack[--depth]!;
        if (this.boxDistanceSquared(node, x, y) >= worst) continue;
        const left = this.nodeLeft[node]!;
        if (left < 0) {
          for (let other = this.nodeStart[node]!; other < this.nodeEnd[node]!; other++) {
            const dx = this.xs[other]! - x;
            const dy = this.ys[other]! - y;
            const d2 = dx * dx + dy * dy;
            if (d2 < worst) {
              keepNearest(best, bestSlot, d2, other);
              worst = best[kk - 1]!;
            }
          }
          continue;
        }
        const right = this.nodeRight[node]!;
        const leftDistance = this.boxDistanceSquared(left, x, y);
        const rightDistance = this.boxDistanceSquared(right, x, y);
        // Push the farther child first so the nearer one is searched first and tightens `worst` sooner.
        if (leftDistance <= rightDistance) {
          stack[depth++] = right;
          stack[depth++] = left;
        } else {
          stack[depth++] = left;
          stack[depth++] = right;
        }
      }
      visit(this.order[slot]!, best, bestSlot);
    }
  }
}

/** Quickselect: reorders `order[lo..hi]` so the point at `nth` has the median coordinate on `axis`. */
function selectNth(
  order: Int32Array,
  positions: Float32Array,
  axis: number,
  lo: number,
  hi: number,
  nth: number,
): void {
  let left = lo;
  let right = hi;
  while (right > left) {
    const pivot = positions[2 * order[(left + right) >> 1]! + axis]!;
    let i = left;
    let j = right;
    while (i <= j) {
      while (positions[2 * order[i]! + axis]! < pivot) i++;
      while (positions[2 * order[j]! + axis]! > pivot) j--;
      if (i <= j) {
        const swap = order[i]!;
        order[i] = order[j]!;
        order[j] = swap;
        i++;
        j--;
      }
    }
    if (nth <= j) right = j;
    else if (nth >= i) left = i;
    else return;
  }
}
