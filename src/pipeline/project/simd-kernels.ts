/**
 * Dot-product kernels in WebAssembly SIMD (f32x4), emitted as bytes here so the project needs no
 * WebAssembly toolchain. They work on rows of `stride` floats (a multiple of 4) in a memory the caller
 * fills through `floats`. Where WebAssembly SIMD is missing, `createSimdKernels` returns null and callers
 * use the plain-JavaScript kernels of `dot-kernels.ts`.
 */
import {
  VOID_BLOCK,
  compileOnce,
  get,
  i32 as constI32,
  instantiate,
  memory,
  moduleBytes,
  op,
  set,
  simd,
  simdOp as simdCodes,
  type,
  unsignedLeb,
  type Bytes,
  type FunctionSpec,
  type ValueType,
} from './wasm-bytes.ts';

export interface SimdKernels {
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

const { i32: I32, f32: F32, v128: V128 } = type;
const i32 = constI32;
const simdOp = simd;
/** v128.load with 4-byte alignment (rows are float-aligned, not 16-byte-aligned) and no offset. */
const loadV128 = (): Bytes => [...simd(simdCodes.v128Load), ...memory(2)];
const zeroV128 = (): Bytes => [...simd(simdCodes.v128Const), ...new Array<number>(16).fill(0)];
const lane = (index: number): Bytes => [...simd(simdCodes.f32x4ExtractLane), index];

/** Sum of the four lanes of the v128 in `local`, as an f32 on the stack. */
const horizontalSum = (local: number): Bytes => [
  ...get(local),
  ...lane(0),
  ...get(local),
  ...lane(1),
  op.f32Add,
  ...get(local),
  ...lane(2),
  ...get(local),
  ...lane(3),
  op.f32Add,
  op.f32Add,
];

/**
 * blockDots(rowsAt, columnsAt, stride, rows, columns, outAt), all byte addresses and counts as i32.
 * A 4 × 2 register block: per 4 floats of depth it loads 6 vectors and does 8 vector multiply-adds.
 */
function blockDotsFunction(): FunctionSpec {
  const [rowsAt, columnsAt, stride, rows, columns, outAt] = [0, 1, 2, 3, 4, 5];
  const [r, c, d, strideBytes, a0, b0] = [6, 7, 8, 9, 10, 11];
  const accumulators = [12, 13, 14, 15, 16, 17, 18, 19]; // row i, column j at 12 + 2i + j
  const [va, vb0, vb1] = [20, 21, 22];
  const locals = [...new Array<ValueType>(6).fill(I32), ...new Array<ValueType>(11).fill(V128)];
  const address = (base: number, rowOffset: number): Bytes => [
    ...get(base),
    ...(rowOffset === 0 ? [] : [...get(strideBytes), ...i32(rowOffset), op.i32Mul, op.i32Add]),
    ...get(d),
    op.i32Add,
  ];
  const accumulate = (accumulator: number, vb: number): Bytes => [
    ...get(accumulator),
    ...get(va),
    ...get(vb),
    ...simdOp(simdCodes.f32x4Mul),
    ...simdOp(simdCodes.f32x4Add),
    ...set(accumulator),
  ];
  const depthLoop = [
    op.loop,
    VOID_BLOCK,
    ...address(b0, 0),
    ...loadV128(),
    ...set(vb0),
    ...address(b0, 1),
    ...loadV128(),
    ...set(vb1),
    ...[0, 1, 2, 3].flatMap((i) => [
      ...address(a0, i),
      ...loadV128(),
      ...set(va),
      ...accumulate(accumulators[2 * i]!, vb0),
      ...accumulate(accumulators[2 * i + 1]!, vb1),
    ]),
    ...get(d),
    ...i32(16),
    op.i32Add,
    op.localTee,
    ...unsignedLeb(d),
    ...get(strideBytes),
    op.i32LtU,
    op.brIf,
    0,
    op.end,
  ];
  const stores = [0, 1, 2, 3].flatMap((i) =>
    [0, 1].flatMap((j) => [
      // out + ((r + i) × columns + c + j) × 4
      ...get(outAt),
      ...get(r),
      ...i32(i),
      op.i32Add,
      ...get(columns),
      op.i32Mul,
      ...get(c),
      op.i32Add,
      ...i32(j),
      op.i32Add,
      ...i32(2),
      op.i32Shl,
      op.i32Add,
      ...horizontalSum(accumulators[2 * i + j]!),
      op.f32Store,
      2,
      0,
    ]),
  );
  const columnLoop = [
    ...i32(0),
    ...set(c),
    op.loop,
    VOID_BLOCK,
    ...accumulators.flatMap((accumulator) => [...zeroV128(), ...set(accumulator)]),
    // a0 = rowsAt + r × strideBytes; b0 = columnsAt + c × strideBytes
    ...get(rowsAt),
    ...get(r),
    ...get(strideBytes),
    op.i32Mul,
    op.i32Add,
    ...set(a0),
    ...get(columnsAt),
    ...get(c),
    ...get(strideBytes),
    op.i32Mul,
    op.i32Add,
    ...set(b0),
    ...i32(0),
    ...set(d),
    ...depthLoop,
    ...stores,
    ...get(c),
    ...i32(2),
    op.i32Add,
    op.localTee,
    ...unsignedLeb(c),
    ...get(columns),
    op.i32LtU,
    op.brIf,
    0,
    op.end,
  ];
  const code = [
    ...get(stride),
    ...i32(2),
    op.i32Shl,
    ...set(strideBytes),
    ...i32(0),
    ...set(r),
    op.loop,
    VOID_BLOCK,
    ...columnLoop,
    ...get(r),
    ...i32(4),
    op.i32Add,
    op.localTee,
    ...unsignedLeb(r),
    ...get(rows),
    op.i32LtU,
    op.brIf,
    0,
    op.end,
  ];
  return { name: 'blockDots', params: [I32, I32, I32, I32, I32, I32], results: [], locals, code };
}

/** dot(a, b, stride): two v128 accumulators over 8 floats a step, then one over the last 4 if any. */
function dotFunction(): FunctionSpec {
  const [a, b, stride] = [0, 1, 2];
  const [d, end] = [3, 4];
  const [sum0, sum1] = [5, 6];
  const locals: ValueType[] = [I32, I32, V128, V128];
  const multiplyAdd = (sum: number, offset: number): Bytes => [
    ...get(sum),
    ...get(a),
    ...get(d),
    op.i32Add,
    ...simdOp(simdCodes.v128Load),
    2,
    ...unsignedLeb(offset),
    ...get(b),
    ...get(d),
    op.i32Add,
    ...simdOp(simdCodes.v128Load),
    2,
    ...unsignedLeb(offset),
    ...simdOp(simdCodes.f32x4Mul),
    ...simdOp(simdCodes.f32x4Add),
    ...set(sum),
  ];
  const code = [
    ...zeroV128(),
    ...set(sum0),
    ...zeroV128(),
    ...set(sum1),
    ...i32(0),
    ...set(d),
    // end = (stride × 4) rounded down to 32 bytes
    ...get(stride),
    ...i32(2),
    op.i32Shl,
    ...i32(-32),
    op.i32And,
    ...set(end),
    op.block,
    VOID_BLOCK,
    ...get(d),
    ...get(end),
    op.i32LtU,
    op.i32Eqz,
    op.brIf,
    0,
    op.loop,
    VOID_BLOCK,
    ...multiplyAdd(sum0, 0),
    ...multiplyAdd(sum1, 16),
    ...get(d),
    ...i32(32),
    op.i32Add,
    op.localTee,
    ...unsignedLeb(d),
    ...get(end),
    op.i32LtU,
    op.brIf,
    0,
    op.end,
    op.end,
    // A stride of 4 mod 8 floats leaves one more vector.
    op.block,
    VOID_BLOCK,
    ...get(d),
    ...get(stride),
    ...i32(2),
    op.i32Shl,
    op.i32LtU,
    op.i32Eqz,
    op.brIf,
    0,
    ...multiplyAdd(sum0, 0),
    op.end,
    ...get(sum0),
    ...get(sum1),
    ...simdOp(simdCodes.f32x4Add),
    ...set(sum0),
    ...horizontalSum(sum0),
  ];
  return { name: 'dot', params: [I32, I32, I32], results: [F32], locals, code };
}

const compiledModule = compileOnce(() => moduleBytes([blockDotsFunction(), dotFunction()]));

/** Whether this runtime can run the SIMD kernels. */
export function hasSimdKernels(): boolean {
  return compiledModule() !== null;
}

/**
 * Kernels over a fresh memory of at least `floatCount` floats, or null where WebAssembly SIMD is not
 * supported. Float offsets passed to the kernels must lie within that memory.
 */
export function createSimdKernels(floatCount: number): SimdKernels | null {
  const module = compiledModule();
  if (!module) return null;
  const { memory: wasmMemory, exports } = instantiate(module, floatCount * 4);
  const blockDots = exports.blockDots as (...args: number[]) => void;
  const dot = exports.dot as (a: number, b: number, stride: number) => number;
  return {
    floats: new Float32Array(wasmMemory.buffer),
    blockDots: (rowsAt, columnsAt, stride, rows, columns, outAt) =>
      blockDots(rowsAt * 4, columnsAt * 4, stride, rows, columns, outAt * 4),
    dot: (a, b, stride) => dot(a * 4, b * 4, stride),
  };
}
