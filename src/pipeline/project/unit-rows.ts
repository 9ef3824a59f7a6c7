import { createSimdKernels, type SimdKernels } from './simd-kernels.ts';
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
  readonly blockSize: number;
  /** Cosine similarity of rows a and b. */
  dot(a: number, b: number): number;
  /**
   * The `blockSize` × `blockSize` dot products of the rows from `rowStart` with the rows from
   * `columnStart`, as `result[r × blockSize + c]`, in scratch area `scratch` (one per thread that
   * shares the rows); the result is reused by the next call on that area.
   */
  blockDots(rowStart: number, columnStart: number, scratch?: number): ArrayLike<number>;
}

/**
 * Normalised rows of `vectors`, padded with zero rows to a multiple of `blockSize` (a multiple of 4)
 * so blocks never have a ragged edge, and `scratchBlocks` areas for `blockDots` (one per thread that
 * will share the rows). Padding rows have dot product 0 with everything.
 */
export function unitRows(
  vectors: Float32Array,
  dim: number,
  blockSize = 64,
  options: { shared?: boolean; scratchBlocks?: number } = {},
): UnitRows {
  const n = rowCount(vectors, dim);
  const stride = Math.ceil(dim / 4) * 4;
  const { scratchBlocks = 1, ...memory } = options;
  const kernels = createSimdKernels(
    scratchAt(n, stride, blockSize) + scratchBlocks * blockSize * blockSize,
    memory,
  );
  writeNormalizedRows(vectors, dim, kernels.floats, 0, stride);
  return rowsIn(kernels, n, stride, blockSize);
}

/** The unit rows another thread made (`UnitRows.memory`, shared), as this thread sees them. */
export function attachedUnitRows(
  memory: WebAssembly.Memory,
  n: number,
  stride: number,
  blockSize: number,
): UnitRows {
  return rowsIn(createSimdKernels(0, { memory }), n, stride, blockSize);
}

/** Where the scratch areas begin, in floats: after the rows, padded to whole blocks. */
function scratchAt(n: number, stride: number, blockSize: number): number {
  return Math.ceil(n / blockSize) * blockSize * stride;
}

function rowsIn(kernels: SimdKernels, n: number, stride: number, blockSize: number): UnitRows {
  const areaFloats = blockSize * blockSize;
  const firstArea = scratchAt(n, stride, blockSize);
  /** Each scratch area's view, made on its first use and reused for every block after. */
  const areas: Float32Array[] = [];
  return {
    n,
    memory: kernels.memory,
    stride,
    blockSize,
    dot: (a, b) => kernels.dot(a * stride, b * stride, stride),
    blockDots(rowStart, columnStart, scratch = 0) {
      const at = firstArea + scratch * areaFloats;
      kernels.blockDots(rowStart * stride, columnStart * stride, stride, blockSize, blockSize, at);
      return (areas[scratch] ??= kernels.floats.subarray(at, at + areaFloats));
    },
  };
}
