/**
 * Dot-product kernels in WebAssembly SIMD (f32x4), emitted as bytes here so the project needs no
 * WebAssembly toolchain. They work on rows of `stride` floats (a multiple of 4) in a memory the caller
 * fills through `floats`. Where WebAssembly SIMD is missing, `createSimdKernels` returns null and callers
 * use the plain-JavaScript kernels of `dot-kernels.ts`.
 */

/** Bytes per WebAssembly memory page. */
const PAGE_BYTES = 65_536;

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

// Opcodes used below (WebAssembly core and SIMD specifications).
const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;
const op = {
  block: 0x02,
  loop: 0x03,
  end: 0x0b,
  brIf: 0x0d,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  f32Store: 0x38,
  i32Const: 0x41,
  i32LtU: 0x49,
  i32Add: 0x6a,
  i32Mul: 0x6c,
  i32Shl: 0x74,
  f32Add: 0x92,
  simd: 0xfd,
} as const;
const simd = { load: 0x00, const: 0x0c, f32x4ExtractLane: 0x1f, f32x4Add: 0xe4, f32x4Mul: 0xe6 };
const VOID_BLOCK = 0x40;

function unsignedLeb(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

function signedLeb(value: number): number[] {
  const bytes: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) {
      bytes.push(byte);
      return bytes;
    }
    bytes.push(byte | 0x80);
  }
}

function section(id: number, content: number[]): number[] {
  return [id, ...unsignedLeb(content.length), ...content];
}

function vector(items: number[][]): number[] {
  return [...unsignedLeb(items.length), ...items.flat()];
}

function name(text: string): number[] {
  const bytes = Array.from(new TextEncoder().encode(text));
  return [...unsignedLeb(bytes.length), ...bytes];
}

const get = (local: number): number[] => [op.localGet, ...unsignedLeb(local)];
const set = (local: number): number[] => [op.localSet, ...unsignedLeb(local)];
const i32 = (value: number): number[] => [op.i32Const, ...signedLeb(value)];
const simdOp = (code: number): number[] => [op.simd, ...unsignedLeb(code)];
/** v128.load with 4-byte alignment (rows are float-aligned, not 16-byte-aligned) and no offset. */
const loadV128 = (): number[] => [...simdOp(simd.load), 2, 0];
const zeroV128 = (): number[] => [...simdOp(simd.const), ...new Array<number>(16).fill(0)];
const lane = (index: number): number[] => [...simdOp(simd.f32x4ExtractLane), index];
/** Sum of the four lanes of the v128 in `local`, as an f32 on the stack. */
const horizontalSum = (local: number): number[] => [
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
function blockDotsBody(): number[] {
  const [rowsAt, columnsAt, stride, rows, columns, outAt] = [0, 1, 2, 3, 4, 5];
  const [r, c, d, strideBytes, a0, b0] = [6, 7, 8, 9, 10, 11];
  const accumulators = [12, 13, 14, 15, 16, 17, 18, 19]; // row i, column j at 12 + 2i + j
  const [va, vb0, vb1] = [20, 21, 22];
  const locals = [
    [6, I32],
    [11, V128],
  ];
  const address = (base: number, rowOffset: number): number[] => [
    ...get(base),
    ...(rowOffset === 0 ? [] : [...get(strideBytes), ...i32(rowOffset), op.i32Mul, op.i32Add]),
    ...get(d),
    op.i32Add,
  ];
  const accumulate = (accumulator: number, vb: number): number[] => [
    ...get(accumulator),
    ...get(va),
    ...get(vb),
    ...simdOp(simd.f32x4Mul),
    ...simdOp(simd.f32x4Add),
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
    op.end,
  ];
  return functionBody(locals, code);
}

/** dot(a, b, stride): two v128 accumulators over 8 floats a step, then one over the last 4 if any. */
function dotBody(): number[] {
  const [a, b, stride] = [0, 1, 2];
  const [d, end] = [3, 4];
  const [sum0, sum1] = [5, 6];
  const locals = [
    [2, I32],
    [2, V128],
  ];
  const multiplyAdd = (sum: number, offset: number): number[] => [
    ...get(sum),
    ...get(a),
    ...get(d),
    op.i32Add,
    ...simdOp(simd.load),
    2,
    ...unsignedLeb(offset),
    ...get(b),
    ...get(d),
    op.i32Add,
    ...simdOp(simd.load),
    2,
    ...unsignedLeb(offset),
    ...simdOp(simd.f32x4Mul),
    ...simdOp(simd.f32x4Add),
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
    0x71, // i32.and
    ...set(end),
    op.block,
    VOID_BLOCK,
    ...get(d),
    ...get(end),
    op.i32LtU,
    0x45, // i32.eqz
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
    0x45, // i32.eqz
    op.brIf,
    0,
    ...multiplyAdd(sum0, 0),
    op.end,
    ...get(sum0),
    ...get(sum1),
    ...simdOp(simd.f32x4Add),
    ...set(sum0),
    ...horizontalSum(sum0),
    op.end,
  ];
  return functionBody(locals, code);
}

function functionBody(locals: number[][], code: number[]): number[] {
  const body = [...vector(locals.map(([count, type]) => [...unsignedLeb(count!), type!])), ...code];
  return [...unsignedLeb(body.length), ...body];
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const blockDotsType = [0x60, ...vector([[I32], [I32], [I32], [I32], [I32], [I32]]), 0];
  const dotType = [0x60, ...vector([[I32], [I32], [I32]]), 1, F32];
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vector([blockDotsType, dotType])),
    ...section(2, vector([[...name('env'), ...name('memory'), 0x02, 0x00, 0x01]])),
    ...section(3, vector([[0], [1]])),
    ...section(
      7,
      vector([
        [...name('blockDots'), 0x00, 0],
        [...name('dot'), 0x00, 1],
      ]),
    ),
    ...section(10, vector([blockDotsBody(), dotBody()])),
  ]);
}

let compiled: WebAssembly.Module | null | undefined;

function compiledModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    const bytes = moduleBytes();
    compiled =
      typeof WebAssembly === 'object' && WebAssembly.validate(bytes)
        ? new WebAssembly.Module(bytes)
        : null;
  }
  return compiled;
}

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
  const memory = new WebAssembly.Memory({
    initial: Math.max(1, Math.ceil((floatCount * 4) / PAGE_BYTES)),
  });
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const blockDots = instance.exports.blockDots as (...args: number[]) => void;
  const dot = instance.exports.dot as (a: number, b: number, stride: number) => number;
  return {
    floats: new Float32Array(memory.buffer),
    blockDots: (rowsAt, columnsAt, stride, rows, columns, outAt) =>
      blockDots(rowsAt * 4, columnsAt * 4, stride, rows, columns, outAt * 4),
    dot: (a, b, stride) => dot(a * 4, b * 4, stride),
  };
}
