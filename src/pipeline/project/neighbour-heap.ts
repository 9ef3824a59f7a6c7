/** The flat arrays behind `NeighbourHeaps`, n × k each, row-major. */
export interface HeapArrays {
  distances: Float32Array;
  indices: Int32Array;
  /** Per slot: 1 while the neighbour is new to NN-descent's local join, 0 once it has been used. */
  isNew: Uint8Array;
}

/**
 * n bounded max-heaps of (distance, index) pairs in flat typed arrays, one heap of size k per row,
 * keeping each row's k smallest distances. The root (largest kept distance) is the admission threshold,
 * so most candidates are rejected with one comparison.
 */
export class NeighbourHeaps {
  readonly distances: Float32Array;
  readonly indices: Int32Array;
  readonly isNew: Uint8Array;

  /** Heaps over existing arrays: those of `allocate`, handed to another thread that shares them. */
  constructor(
    readonly k: number,
    arrays: HeapArrays,
  ) {
    this.distances = arrays.distances;
    this.indices = arrays.indices;
    this.isNew = arrays.isNew;
  }

  /**
   * n empty heaps. With `shared`, every array lies in a SharedArrayBuffer, so helper threads can read
   * the heaps and update rows of their own.
   */
  static allocate(n: number, k: number, shared = false): NeighbourHeaps {
    const buffer = (bytes: number) =>
      shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
    return new NeighbourHeaps(k, {
      distances: new Float32Array(buffer(n * k * 4)).fill(Infinity),
      indices: new Int32Array(buffer(n * k * 4)).fill(-1),
      isNew: new Uint8Array(buffer(n * k)),
    });
  }

  get arrays(): HeapArrays {
    return { distances: this.distances, indices: this.indices, isNew: this.isNew };
  }

  /** The largest distance kept for `row`: a candidate must be closer to get in. */
  threshold(row: number): number {
    return this.distances[row * this.k]!;
  }

  /**
   * Offers `index` at `distance` to `row`'s heap; returns whether it was admitted. With `checkDuplicate`,
   * an index already in the heap is refused (needed when a pair can be offered twice, as in NN-descent).
   */
  push(row: number, distance: number, index: number, checkDuplicate: boolean): boolean {
    const k = this.k;
    const base = row * k;
    const distances = this.distances;
    const indices = this.indices;
    if (!(distance < distances[base]!)) return false;
    if (checkDuplicate) {
      for (let slot = 0; slot < k; slot++) if (indices[base + slot] === index) return false;
    }
    // Sift the new pair down from the root, which it replaces.
    let position = 0;
    for (;;) {
      const left = 2 * position + 1;
      if (left >= k) break;
      const right = left + 1;
      let larger = left;
      if (right < k && distances[base + right]! > distances[base + left]!) larger = right;
      if (distances[base + larger]! <= distance) break;
      distances[base + position] = distances[base + larger]!;
      indices[base + position] = indices[base + larger]!;
      this.isNew[base + position] = this.isNew[base + larger]!;
      position = larger;
    }
    distances[base + position] = distance;
    indices[base + position] = index;
    this.isNew[base + position] = 1;
    return true;
  }

  /**
   * Offers `index` at `distance` to `row`'s heap, ordering pairs by (distance, index): of equally distant
   * candidates the lower index is kept, whatever order they are offered in, so that searches that
   * offer the same candidates in different orders (one thread or several) keep the same ones. No
   * duplicate check: each candidate must be offered once. Returns whether it was admitted.
   */
  pushOrdered(row: number, distance: number, index: number): boolean {
    const k = this.k;
    const base = row * k;
    const distances = this.distances;
    const indices = this.indices;
    const rootDistance = distances[base]!;
    if (!(distance < rootDistance || (distance === rootDistance && index < indices[base]!))) {
      return false;
    }
    let position = 0;
    for (;;) {
      const left = 2 * position + 1;
      if (left >= k) break;
      const right = left + 1;
      const larger =
        right < k &&
        (distances[base + right]! > distances[base + left]! ||
          (distances[base + right] === distances[base + left] &&
            indices[base + right]! > indices[base + left]!))
          ? right
          : left;
      const largerDistance = distances[base + larger]!;
      if (
        largerDistance < distance ||
        (largerDistance === distance && indices[base + larger]! < index)
      ) {
        break;
      }
      distances[base + position] = distances[base + larger]!;
      indices[base + position] = indices[base + larger]!;
      position = larger;
    }
    distances[base + position] = distance;
    indices[base + position] = index;
    return true;
  }

  /** Sorts every row by ascending distance (ties by index, so the order is deterministic), in place. */
  sortRows(): void {
    sortRowsByDistance(this.indices, this.distances, this.k);
  }
}

/**
 * Orders each row of a kNN graph by (distance, index), in place. Insertion sort: k is small (tens) and
 * rows arrive partly sorted. Equal Float32 distances put the lower index first, so every producer of
 * a graph (exact, NN-descent, GPU) orders rows the same way.
 */
export function sortRowsByDistance(indices: Int32Array, distances: Float32Array, k: number): void {
  for (let base = 0; base < indices.length; base += k) {
    for (let i = 1; i < k; i++) {
      const distance = distances[base + i]!;
      const index = indices[base + i]!;
      let j = i - 1;
      while (
        j >= 0 &&
        (distances[base + j]! > distance ||
          (distances[base + j] === distance && indices[base + j]! > index))
      ) {
        distances[base + j + 1] = distances[base + j]!;
        indices[base + j + 1] = indices[base + j]!;
        j--;
      }
      distances[base + j + 1] = distance;
      indices[base + j + 1] = index;
    }
  }
}
