/**
 * Nearest papers: cosine similarity in embedding space where the map kept its vectors, else distance in
 * the layout. DOM-free and allocation-light, so it runs on a click even for a million papers.
 */

export interface RankedPapers {
  /** Paper indices, best first. */
  indices: Int32Array;
  /** Cosine similarity (vectors) or negative layout distance (positions), matching `indices`. */
  scores: Float32Array;
}

/** Keeps the `k` largest scores seen so far, sorted best first. */
class TopK {
  readonly indices: Int32Array;
  readonly scores: Float32Array;
  size = 0;

  constructor(readonly k: number) {
    this.indices = new Int32Array(k);
    this.scores = new Float32Array(k).fill(-Infinity);
  }

  /** The score a candidate must beat to enter. */
  get threshold(): number {
    return this.size < this.k ? -Infinity : this.scores[this.k - 1]!;
  }

  offer(index: number, score: number): void {
    if (this.k === 0 || (this.size === this.k && score <= this.scores[this.k - 1]!)) return;
    let at = Math.min(this.size, this.k - 1);
    while (at > 0 && this.scores[at - 1]! < score) {
      this.scores[at] = this.scores[at - 1]!;
      this.indices[at] = this.indices[at - 1]!;
      at--;
    }
    this.scores[at] = score;
    this.indices[at] = index;
    if (this.size < this.k) this.size++;
  }

  result(): RankedPapers {
    return { indices: this.indices.slice(0, this.size), scores: this.scores.slice(0, this.size) };
  }
}

/** The `k` rows most cosine-similar to `query` (which need not be normalised), best first. */
export function rankByVector(
  vectors: Float32Array,
  dim: number,
  query: Float32Array,
  k: number,
  exclude = -1,
): RankedPapers {
  if (query.length !== dim) {
    throw new RangeError(
      `The query has ${query.length} dimensions but the map's vectors have ${dim}.`,
    );
  }
  let queryNorm = 0;
  for (let d = 0; d < dim; d++) queryNorm += query[d]! * query[d]!;
  queryNorm = Math.sqrt(queryNorm);
  const n = Math.floor(vectors.length / dim);
  const top = new TopK(Math.min(k, Math.max(0, n - (exclude >= 0 ? 1 : 0))));
  if (queryNorm === 0) return top.result();
  for (let i = 0; i < n; i++) {
    if (i === exclude) continue;
    let dot = 0;
    let norm = 0;
    const offset = i * dim;
    for (let d = 0; d < dim; d++) {
      const value = vectors[offset + d]!;
      dot += value * query[d]!;
      norm += value * value;
    }
    if (norm === 0) continue;
    top.offer(i, dot / (Math.sqrt(norm) * queryNorm));
  }
  return top.result();
}

/** The `k` papers nearest to paper `index` in the layout, nearest first (scores are -distance). */
export function rankByPosition(positions: Float32Array, index: number, k: number): RankedPapers {
  const n = positions.length / 2;
  const top = new TopK(Math.min(k, Math.max(0, n - 1)));
  const x = positions[2 * index]!;
  const y = positions[2 * index + 1]!;
  for (let i = 0; i < n; i++) {
    if (i === index) continue;
    const dx = positions[2 * i]! - x;
    const dy = positions[2 * i + 1]! - y;
    const score = -(dx * dx + dy * dy);
    if (score > top.threshold) top.offer(i, score);
  }
  const result = top.result();
  for (let i = 0; i < result.scores.length; i++) result.scores[i] = -Math.sqrt(-result.scores[i]!);
  return result;
}

/** The `k` nearest papers to paper `index`: by embedding where vectors exist, else by layout. */
export function nearestPapers(
  map: { positions: Float32Array; vectors?: { data: Float32Array; dim: number } },
  index: number,
  k = 10,
): RankedPapers & { space: 'embedding' | 'layout' } {
  if (map.vectors && map.vectors.dim > 0) {
    const { data, dim } = map.vectors;
    const query = data.subarray(index * dim, (index + 1) * dim);
    return { ...rankByVector(data, dim, query, k, index), space: 'embedding' };
  }
  return { ...rankByPosition(map.positions, index, k), space: 'layout' };
}
