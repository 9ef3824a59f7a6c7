import { createSimdKernels } from './simd-kernels.ts';
import { rowCount, writeNormalizedRows } from './vectors.ts';

/**
 * The rows of a vector set scaled to unit length, with the two products the kNN searches need: one
 * dot product, and a square block of them, in WebAssembly SIMD.
 */
export interface UnitRows {
  readonly n: number;
  /** Cosine similarity of rows a and b. */
  dot(a: number, b: number): number;
  /**
   * The `blockSize` × `blockSize` dot products of the rows from `rowStart` with the rows from
   * `columnStart`, as `result[r × blockSize + c]`; the result is reused by the next call.
   */
  blockDots(rowStart: number, columnStart: number): ArrayLike<number>;
}

/**
 * Normalised rows of `vectors`, padded with zero rows to a multiple of `blockSize` (a multiple of 4)
 * so blocks never have a ragged edge. Padding rows have dot product 0 with everything.
 */
export function unitRows(vectors: Float32Array, dim: number, blockSize = 64): UnitRows {
  const n = rowCount(vectors, dim);
  const paddedRows = Math.ceil(n / blockSize) * blockSize;
  const stride = Math.ceil(dim / 4) * 4;
  const outAt = paddedRows * stride;
  const kernels = createSimdKernels(outAt + blockSize * blockSize);
  const { floats } = kernels;
  writeNormalizedRows(vectors, dim, floats, 0, stride);
  const block = floats.subarray(outAt, outAt + blockSize * blockSize);
  return {
    n,
    dot: (a, b) => kernels.dot(a * stride, b * stride, stride),
    blockDots(rowStart, columnStart) {
      kernels.blockDots(
        rowStart * stride,
        columnStart * stride,
        stride,
        blockSize,
        blockSize,
        outAt,
      );
      return block;
    },
  };
}
