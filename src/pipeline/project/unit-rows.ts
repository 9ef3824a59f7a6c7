import { createSimdKernels } from './simd-kernels.ts';
import { rowCount, writeNormalizedRows } from './vectors.ts';

/**
 * The rows of a vector set scaled to unit length, with the two products the kNN searches need: one
 * dot product, and a square block of them, in WebAssembly SIMD.
 */
export interface UnitRows {
  readonly n: number;
  /** The kernel memory the rows lie in (from byte 0, `stride` floats each), for helper threads. */
  readonly memory: WebAssembly.Memory;
  readonly stride: number;
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
export function unitRows(
  vectors: Float32Array,
  dim: number,
  blockSize = 64,
  options: { shared?: boolean } = {},
): UnitRows {
  const n = rowCount(vectors, dim);
  const paddedRows = Math.ceil(n / blockSize) * blockSize;
  const stride = Math.ceil(dim / 4) * 4;
  const outAt = paddedRows * stride;
  const kernels = createSimdKernels(outAt + blockSize * blockSize, options);
  const { floats } = kernels;
  writeNormalizedRows(vectors, dim, floats, 0, stride);
  const block = floats.subarray(outAt, outAt + blockSize * blockSize);
  return {
    n,
    memory: kernels.memory,
    stride,
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
