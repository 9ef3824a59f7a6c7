import { AtlasError } from '../../lib/errors.ts';

/** Checks that `vectors` is a whole number of rows of `dim` finite values and returns the row count. */
export function rowCount(vectors: Float32Array, dim: number): number {
  if (!Number.isInteger(dim) || dim < 1) {
    throw new AtlasError(
      'project',
      'bad-dimension',
      `The vector dimension must be a positive whole number, not ${dim}.`,
    );
  }
  if (vectors.length % dim !== 0) {
    throw new AtlasError(
      'project',
      'bad-shape',
      `The vectors hold ${vectors.length} values, which is not a whole number of rows of ${dim}.`,
      { hint: 'Pass the vectors row-major, n × dim, with the dimension the embedder reported.' },
    );
  }
  return vectors.length / dim;
}

/** Checks that a neighbour count fits the number of points (self excluded) and returns it. */
export function checkNeighbourCount(k: number, n: number): number {
  if (!Number.isInteger(k) || k < 1) {
    throw new AtlasError(
      'project',
      'bad-neighbour-count',
      `The neighbour count must be a positive whole number, not ${k}.`,
    );
  }
  if (k >= n) {
    throw new AtlasError(
      'project',
      'too-few-points',
      `There are ${n} points, too few for ${k} neighbours each.`,
      { hint: `Load at least ${k + 1} papers, or ask for fewer than ${n} neighbours.` },
    );
  }
  return k;
}

/**
 * Writes the rows scaled to unit length into `target`, row i at float offset `at + i × stride`, so a
 * dot product is the cosine similarity. Zero rows stay zero (cosine distance 1 to everything);
 * non-finite values are refused, as they would poison every distance they touch.
 */
export function writeNormalizedRows(
  vectors: Float32Array,
  dim: number,
  target: Float32Array,
  at: number,
  stride: number,
): void {
  const n = rowCount(vectors, dim);
  for (let row = 0; row < n; row++) {
    const offset = row * dim;
    let squared = 0;
    for (let d = 0; d < dim; d++) {
      const value = vectors[offset + d]!;
      squared += value * value;
    }
    if (!Number.isFinite(squared)) {
      throw new AtlasError(
        'project',
        'non-finite-vector',
        `Vector ${row} holds a value that is not a finite number.`,
        { hint: 'Re-run the embedding step; the vectors are damaged.' },
      );
    }
    const scale = squared === 0 ? 0 : 1 / Math.sqrt(squared);
    const targetOffset = at + row * stride;
    for (let d = 0; d < dim; d++) target[targetOffset + d] = vectors[offset + d]! * scale;
  }
}
