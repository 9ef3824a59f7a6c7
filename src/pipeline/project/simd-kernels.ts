/**
 * Dot-product kernels in WebAssembly SIMD (`kernels/dots.wat`). They work on rows of `stride` floats
 * (a multiple of 4) in a memory the caller fills through `floats`.
 */
import { createKernelMemory, instantiateKernel } from './kernels/load.ts';

export interface SimdKernels {
  readonly memory: WebAssembly.Memory;
  /** The whole memory as floats: write rows at float offsets, read results back. */
  readonly floats: Float32Array;
  /**
   * Dot products of `rows` rows (from float offset `rowsAt`) with `columns` rows (from `columnsAt`),
   * each `stride` floats, into `out[r × columns + c]` at float offset `outAt`. `rows` must be a
   * multiple of 4, `columns` of 2, `stride` of 4.
   */
  blockDots(
    rowsAt: number,
    columnsAt: number,
    stride: number,
    rows: number,
    columns: number,
    outAt: number,
  ): void;
  /** The dot product of the rows at float offsets `a` and `b`, `stride` floats long. */
  dot(a: number, b: number, stride: number): number;
}

/**
 * Kernels over a fresh memory of at least `floatCount` floats (shared between threads when `shared`),
 * or over `memory` when given. Float offsets passed to the kernels must lie within the memory.
 */
export function createSimdKernels(
  floatCount: number,
  options: { shared?: boolean; memory?: WebAssembly.Memory } = {},
): SimdKernels {
  const memory = options.memory ?? createKernelMemory(floatCount * 4, options.shared ?? false);
  const exports = instantiateKernel('dots', memory);
  const blockDots = exports.blockDots as (...args: number[]) => void;
  const dot = exports.dot as (a: number, b: number, stride: number) => number;
  return {
    memory,
    floats: new Float32Array(memory.buffer),
    blockDots: (rowsAt, columnsAt, stride, rows, columns, outAt) =>
      blockDots(rowsAt * 4, columnsAt * 4, stride, rows, columns, outAt * 4),
    dot: (a, b, stride) => dot(a * 4, b * 4, stride),
  };
}
