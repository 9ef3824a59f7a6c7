/**
 * One UMAP optimisation epoch in WebAssembly, emitted as bytes here: the same computation as the
 * JavaScript loop in `layout-optimizer.ts` (umap-js's `optimizeLayoutStep` for 2-D layouts), about 4×
 * faster, mostly because x^b costs a few multiplications here instead of `Math.exp(b·Math.log(x))`.
 *
 * Negative samples draw from mulberry32, the generator of `src/lib/random.ts`, reimplemented bit for
 * bit, so both paths draw the same vertices for the same seed. Powers use log and exp from the
 * float's bits plus series (relative error about 1e-9, far below the float32 rounding of
 * the positions), so the two paths agree to rounding.
 */
import {
  compileOnce,
  f64,
  get,
  i32,
  i64,
  instantiate,
  memory,
  moduleBytes,
  op,
  set,
  tee,
  type,
  VOID_BLOCK,
  type Bytes,
  type ValueType,
} from './wasm-bytes.ts';

export interface LayoutKernel {
  /** n × 2 interleaved positions, in the kernel's memory: write the initial layout, read results. */
  readonly positions: Float32Array;
  readonly heads: Int32Array;
  readonly tails: Int32Array;
  readonly epochsPerSample: Float64Array;
  readonly epochOfNextSample: Float64Array;
  readonly epochsPerNegativeSample: Float64Array;
  readonly epochOfNextNegativeSample: Float64Array;
  /** Runs epoch `epoch` (from 0) at learning rate `alpha`. */
  runEpoch(epoch: number, alpha: number): void;
}

const { i32: I32, i64: I64, f64: F64 } = type;
const GRADIENT_CLIP = 4;

// Parameters of the epoch function, then its locals, by index.
const P = {
  epoch: 0,
  alpha: 1,
  n: 2,
  edgeCount: 3,
  a: 4,
  b: 5,
  attractionScale: 6,
  repulsionScale: 7,
  positionsAt: 8,
  headsAt: 9,
  tailsAt: 10,
  epochsPerSampleAt: 11,
  nextSampleAt: 12,
  epochsPerNegativeAt: 13,
  nextNegativeAt: 14,
} as const;
const PARAM_TYPES: ValueType[] = [
  F64,
  F64,
  I32,
  I32,
  F64,
  F64,
  F64,
  F64,
  I32,
  I32,
  I32,
  I32,
  I32,
  I32,
  I32,
];
const I32_LOCALS = [
  'edge',
  'j',
  'k',
  'other',
  'state',
  't',
  'jAt',
  'kAt',
  'exponent',
  'negatives',
  'p',
  'flag',
] as const;
const F64_LOCALS = [
  'cx',
  'cy',
  'kx',
  'ky',
  'dx',
  'dy',
  'd2',
  'coefficient',
  'gx',
  'gy',
  'm',
  's',
  's2',
  's4',
  'y',
  'kf',
  'r',
  'r2',
  'r4',
  'power',
  'next',
] as const;
const L: Record<(typeof I32_LOCALS)[number] | (typeof F64_LOCALS)[number] | 'bits', number> =
  (() => {
    const indices = {} as Record<string, number>;
    let index = PARAM_TYPES.length;
    for (const name of I32_LOCALS) indices[name] = index++;
    for (const name of F64_LOCALS) indices[name] = index++;
    indices.bits = index;
    return indices as Record<
      (typeof I32_LOCALS)[number] | (typeof F64_LOCALS)[number] | 'bits',
      number
    >;
  })();
const LOCAL_TYPES: ValueType[] = [...I32_LOCALS.map(() => I32), ...F64_LOCALS.map(() => F64), I64];

/** c0 + c1·v, with v in a local. */
const linear = (c0: number, c1: number, variable: number): Bytes => [
  ...get(variable),
  ...f64(c1),
  op.f64Mul,
  ...f64(c0),
  op.f64Add,
];

/**
 * Estrin's scheme: p(v) = (c0 + c1 v) + v²((c2 + c3 v) + v²(…)), given v, v² and v⁴ in locals. The
 * terms evaluate side by side, so the dependency chain is a few operations deep instead of one
 * multiply-add per coefficient as in Horner's scheme: the optimiser's steps form one long chain
 * (each sample moves the point the next sample starts from), so latency, not throughput, sets its pace.
 */
function estrin(coefficients: number[], v: number, v2: number, v4: number): Bytes {
  const [c0, c1, c2, c3, c4, c5, c6, c7, c8] = coefficients as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number | undefined,
  ];
  const low = [...linear(c0, c1, v), ...get(v2), ...linear(c2, c3, v), op.f64Mul, op.f64Add];
  const high = [
    ...linear(c4, c5, v),
    ...get(v2),
    ...linear(c6, c7, v),
    op.f64Mul,
    op.f64Add,
    ...(c8 === undefined
      ? []
      : // c8·v⁸ = v⁴·(c8·v⁴), inside the v⁴ factor below
        [...get(v4), ...f64(c8), op.f64Mul, op.f64Add]),
  ];
  return [...low, ...get(v4), ...high, op.f64Mul, op.f64Add];
}

/** 1 + s²/3 + s⁴/5 + s⁶/7 + s⁸/9 from s² and s⁴ in locals. */
function logSeries(): Bytes {
  // (1 + s²/3) + s⁴ ((1/5 + s²/7) + s⁴/9)
  return [
    ...linear(1, 1 / 3, L.s2),
    ...get(L.s4),
    ...linear(1 / 5, 1 / 7, L.s2),
    ...get(L.s4),
    ...f64(1 / 9),
    op.f64Mul,
    op.f64Add,
    op.f64Mul,
    op.f64Add,
  ];
}

/** ln(x) of the positive normal f64 in local `x`, onto the stack. */
function naturalLog(x: number): Bytes {
  return [
    ...get(x),
    op.i64ReinterpretF64,
    ...set(L.bits),
    // exponent = (bits >> 52) − 1023 (x > 0, so the sign bit is clear)
    ...get(L.bits),
    ...i64(52n),
    op.i64ShrU,
    op.i32WrapI64,
    ...i32(1023),
    op.i32Sub,
    ...set(L.exponent),
    // m = the mantissa with a zero exponent, in [1, 2)
    ...get(L.bits),
    ...i64(0x000fffffffffffffn),
    op.i64And,
    ...i64(0x3ff0000000000000n),
    op.i64Or,
    op.f64ReinterpretI64,
    ...tee(L.m),
    ...f64(Math.SQRT2),
    op.f64Gt,
    ...set(L.flag),
    // Above √2, halve m and bump the exponent, so m ∈ [√½, √2] and the series converges fast.
    ...get(L.m),
    ...f64(0.5),
    op.f64Mul,
    ...get(L.m),
    ...get(L.flag),
    op.select,
    ...set(L.m),
    ...get(L.exponent),
    ...get(L.flag),
    op.i32Add,
    ...set(L.exponent),
    // ln m = 2 atanh(s) = 2 s (1 + s²/3 + s⁴/5 + s⁶/7 + s⁸/9 + …), s = (m − 1)/(m + 1), |s| ≤ 0.172,
    // so the first omitted term is below 1e-9.
    ...get(L.m),
    ...f64(1),
    op.f64Sub,
    ...get(L.m),
    ...f64(1),
    op.f64Add,
    op.f64Div,
    ...tee(L.s),
    ...get(L.s),
    op.f64Mul,
    ...tee(L.s2),
    ...get(L.s2),
    op.f64Mul,
    ...set(L.s4),
    ...get(L.exponent),
    op.f64ConvertI32S,
    ...f64(Math.LN2),
    op.f64Mul,
    ...f64(2),
    ...get(L.s),
    op.f64Mul,
    ...logSeries(),
    op.f64Mul,
    op.f64Add,
  ];
}

/** e^y of the f64 in local `y` (|y| well under 700), onto the stack. */
function exponential(y: number): Bytes {
  // Taylor to r⁸/8!: the first omitted term is below 3e-10 for |r| ≤ ln 2 / 2.
  const factorials = [1];
  for (let i = 1; i <= 8; i++) factorials.push(factorials[i - 1]! / i);
  return [
    // y = kf·ln 2 + r, |r| ≤ ln 2 / 2; e^y = 2^kf · e^r
    ...get(y),
    ...f64(1 / Math.LN2),
    op.f64Mul,
    op.f64Nearest,
    ...set(L.kf),
    ...get(y),
    ...get(L.kf),
    ...f64(Math.LN2),
    op.f64Mul,
    op.f64Sub,
    ...tee(L.r),
    ...get(L.r),
    op.f64Mul,
    ...tee(L.r2),
    ...get(L.r2),
    op.f64Mul,
    ...set(L.r4),
    ...estrin(factorials, L.r, L.r2, L.r4),
    ...get(L.kf),
    op.i32TruncF64S,
    ...i32(1023),
    op.i32Add,
    op.i64ExtendI32S,
    ...i64(52n),
    op.i64Shl,
    op.f64ReinterpretI64,
    op.f64Mul,
  ];
}

/** x^power for x in local `x` > 0 and the exponent in local `exponentLocal`, into local `power`. */
function power(x: number, exponentLocal: number): Bytes {
  return [
    ...get(exponentLocal),
    ...naturalLog(x),
    op.f64Mul,
    ...set(L.y),
    ...exponential(L.y),
    ...set(L.power),
  ];
}

/** clip(value on the stack) × alpha, onto the stack. */
function clippedStep(): Bytes {
  return [
    ...f64(-GRADIENT_CLIP),
    op.f64Max,
    ...f64(GRADIENT_CLIP),
    op.f64Min,
    ...get(P.alpha),
    op.f64Mul,
  ];
}

/** Address of element `index` (a local) of an array at byte address `base` (a param), `shift` = log2 size. */
function element(base: number, index: number, shift: number): Bytes {
  return [...get(base), ...get(index), ...i32(shift), op.i32Shl, op.i32Add];
}

const loadPosition = (at: number, offset: number): Bytes => [
  ...get(at),
  op.f32Load,
  ...memory(2, offset),
  op.f64PromoteF32,
];
const storePosition = (at: number, offset: number, value: Bytes): Bytes => [
  ...get(at),
  ...value,
  op.f32DemoteF64,
  op.f32Store,
  ...memory(2, offset),
];

/** mulberry32 (as `createRandom`), the state in local `state`; leaves the vertex floor(random × n) in `other`. */
function randomVertex(): Bytes {
  return [
    ...get(L.state),
    ...i32(0x6d2b79f5),
    op.i32Add,
    ...tee(L.state),
    ...set(L.t),
    // t = imul(t ^ (t >>> 15), t | 1)
    ...get(L.t),
    ...get(L.t),
    ...i32(15),
    op.i32ShrU,
    op.i32Xor,
    ...get(L.t),
    ...i32(1),
    op.i32Or,
    op.i32Mul,
    ...set(L.t),
    // t ^= t + imul(t ^ (t >>> 7), t | 61)
    ...get(L.t),
    ...get(L.t),
    ...get(L.t),
    ...get(L.t),
    ...i32(7),
    op.i32ShrU,
    op.i32Xor,
    ...get(L.t),
    ...i32(61),
    op.i32Or,
    op.i32Mul,
    op.i32Add,
    op.i32Xor,
    ...set(L.t),
    // ((t ^ (t >>> 14)) >>> 0) / 2^32 × n, floored
    ...get(L.t),
    ...get(L.t),
    ...i32(14),
    op.i32ShrU,
    op.i32Xor,
    op.f64ConvertI32U,
    ...f64(1 / 4294967296),
    op.f64Mul,
    ...get(P.n),
    op.f64ConvertI32S,
    op.f64Mul,
    op.i32TruncF64U,
    ...set(L.other),
  ];
}

function epochFunction(): Bytes {
  const attraction = [
    ...get(L.d2),
    ...f64(0),
    op.f64Gt,
    op.if,
    VOID_BLOCK,
    // power = d2^(b − 1); coefficient = −2ab·power / (a·power·d2 + 1)
    ...get(P.b),
    ...f64(1),
    op.f64Sub,
    ...set(L.y),
    ...power(L.d2, L.y),
    ...get(P.attractionScale),
    ...get(L.power),
    op.f64Mul,
    ...get(P.a),
    ...get(L.power),
    op.f64Mul,
    ...get(L.d2),
    op.f64Mul,
    ...f64(1),
    op.f64Add,
    op.f64Div,
    ...set(L.coefficient),
    ...get(L.coefficient),
    ...get(L.dx),
    op.f64Mul,
    ...clippedStep(),
    ...set(L.gx),
    ...get(L.coefficient),
    ...get(L.dy),
    op.f64Mul,
    ...clippedStep(),
    ...set(L.gy),
    ...get(L.cx),
    ...get(L.gx),
    op.f64Add,
    ...set(L.cx),
    ...get(L.cy),
    ...get(L.gy),
    op.f64Add,
    ...set(L.cy),
    ...storePosition(L.kAt, 0, [...get(L.kx), ...get(L.gx), op.f64Sub]),
    ...storePosition(L.kAt, 4, [...get(L.ky), ...get(L.gy), op.f64Sub]),
    op.end,
  ];

  const repulsion = [
    ...get(L.d2),
    ...f64(0),
    op.f64Gt,
    op.if,
    VOID_BLOCK,
    // coefficient = 2γb / ((0.001 + d2)(a·d2^b + 1))
    ...power(L.d2, P.b),
    ...get(P.repulsionScale),
    ...f64(0.001),
    ...get(L.d2),
    op.f64Add,
    ...get(P.a),
    ...get(L.power),
    op.f64Mul,
    ...f64(1),
    op.f64Add,
    op.f64Mul,
    op.f64Div,
    ...set(L.coefficient),
    ...get(L.cx),
    ...get(L.coefficient),
    ...get(L.dx),
    op.f64Mul,
    ...clippedStep(),
    op.f64Add,
    ...set(L.cx),
    ...get(L.cy),
    ...get(L.coefficient),
    ...get(L.dy),
    op.f64Mul,
    ...clippedStep(),
    op.f64Add,
    ...set(L.cy),
    op.else,
    // Coincident points: umap-js pushes by the full clip value.
    ...get(L.cx),
    ...f64(GRADIENT_CLIP),
    ...get(P.alpha),
    op.f64Mul,
    op.f64Add,
    ...set(L.cx),
    ...get(L.cy),
    ...f64(GRADIENT_CLIP),
    ...get(P.alpha),
    op.f64Mul,
    op.f64Add,
    ...set(L.cy),
    op.end,
  ];

  const negativeSamples = [
    // negatives = floor((epoch − nextNegative[edge]) / epochsPerNegative[edge])
    ...get(P.epoch),
    ...element(P.nextNegativeAt, L.edge, 3),
    op.f64Load,
    ...memory(3),
    op.f64Sub,
    ...element(P.epochsPerNegativeAt, L.edge, 3),
    op.f64Load,
    ...memory(3),
    op.f64Div,
    op.f64Floor,
    op.i32TruncF64S,
    ...set(L.negatives),
    ...i32(0),
    ...set(L.p),
    op.block,
    VOID_BLOCK,
    op.loop,
    VOID_BLOCK,
    ...get(L.p),
    ...get(L.negatives),
    op.i32LtS,
    op.i32Eqz,
    op.brIf,
    1,
    ...get(L.p),
    ...i32(1),
    op.i32Add,
    ...set(L.p),
    ...randomVertex(),
    op.block,
    VOID_BLOCK,
    // The point itself: umap-js finds distance 0 and skips it.
    ...get(L.other),
    ...get(L.j),
    op.i32Eq,
    op.brIf,
    0,
    ...get(L.cx),
    ...element(P.positionsAt, L.other, 3),
    op.f32Load,
    ...memory(2, 0),
    op.f64PromoteF32,
    op.f64Sub,
    ...set(L.dx),
    ...get(L.cy),
    ...element(P.positionsAt, L.other, 3),
    op.f32Load,
    ...memory(2, 4),
    op.f64PromoteF32,
    op.f64Sub,
    ...set(L.dy),
    ...get(L.dx),
    ...get(L.dx),
    op.f64Mul,
    ...get(L.dy),
    ...get(L.dy),
    op.f64Mul,
    op.f64Add,
    ...set(L.d2),
    ...repulsion,
    op.end,
    op.br,
    0,
    op.end,
    op.end,
  ];

  const edgeBody = [
    op.block,
    VOID_BLOCK,
    ...element(P.nextSampleAt, L.edge, 3),
    op.f64Load,
    ...memory(3),
    ...tee(L.next),
    ...get(P.epoch),
    op.f64Gt,
    op.brIf,
    0,
    ...element(P.headsAt, L.edge, 2),
    op.i32Load,
    ...memory(2),
    ...set(L.j),
    ...element(P.tailsAt, L.edge, 2),
    op.i32Load,
    ...memory(2),
    ...set(L.k),
    ...element(P.positionsAt, L.j, 3),
    ...set(L.jAt),
    ...element(P.positionsAt, L.k, 3),
    ...set(L.kAt),
    ...loadPosition(L.jAt, 0),
    ...set(L.cx),
    ...loadPosition(L.jAt, 4),
    ...set(L.cy),
    ...loadPosition(L.kAt, 0),
    ...set(L.kx),
    ...loadPosition(L.kAt, 4),
    ...set(L.ky),
    ...get(L.cx),
    ...get(L.kx),
    op.f64Sub,
    ...set(L.dx),
    ...get(L.cy),
    ...get(L.ky),
    op.f64Sub,
    ...set(L.dy),
    ...get(L.dx),
    ...get(L.dx),
    op.f64Mul,
    ...get(L.dy),
    ...get(L.dy),
    op.f64Mul,
    op.f64Add,
    ...set(L.d2),
    ...attraction,
    // nextSample[edge] = next + epochsPerSample[edge]
    ...element(P.nextSampleAt, L.edge, 3),
    ...get(L.next),
    ...element(P.epochsPerSampleAt, L.edge, 3),
    op.f64Load,
    ...memory(3),
    op.f64Add,
    op.f64Store,
    ...memory(3),
    ...negativeSamples,
    ...storePosition(L.jAt, 0, get(L.cx)),
    ...storePosition(L.jAt, 4, get(L.cy)),
    // nextNegative[edge] += negatives × epochsPerNegative[edge]
    ...element(P.nextNegativeAt, L.edge, 3),
    ...element(P.nextNegativeAt, L.edge, 3),
    op.f64Load,
    ...memory(3),
    ...get(L.negatives),
    op.f64ConvertI32S,
    ...element(P.epochsPerNegativeAt, L.edge, 3),
    op.f64Load,
    ...memory(3),
    op.f64Mul,
    op.f64Add,
    op.f64Store,
    ...memory(3),
    op.end,
  ];

  return [
    // The generator state lives at address 0 between epochs.
    ...i32(0),
    op.i32Load,
    ...memory(2),
    ...set(L.state),
    op.block,
    VOID_BLOCK,
    ...get(P.edgeCount),
    op.i32Eqz,
    op.brIf,
    0,
    ...i32(0),
    ...set(L.edge),
    op.loop,
    VOID_BLOCK,
    ...edgeBody,
    ...get(L.edge),
    ...i32(1),
    op.i32Add,
    ...tee(L.edge),
    ...get(P.edgeCount),
    op.i32LtU,
    op.brIf,
    0,
    op.end,
    op.end,
    ...i32(0),
    ...get(L.state),
    op.i32Store,
    ...memory(2),
  ];
}

const compiledModule = compileOnce(() =>
  moduleBytes([
    { name: 'epoch', params: PARAM_TYPES, results: [], locals: LOCAL_TYPES, code: epochFunction() },
  ]),
);

/**
 * A kernel for `n` points and `edgeCount` edges with curve parameters a, b, drawing negative samples
 * from mulberry32 seeded with `seed`; null where WebAssembly is not available.
 */
export function createLayoutKernel(
  n: number,
  edgeCount: number,
  a: number,
  b: number,
  repulsionStrength: number,
  seed: number,
): LayoutKernel | null {
  const module = compiledModule();
  if (!module) return null;
  // Layout: generator state (8 bytes), four f64 edge arrays, two i32 edge arrays, then positions.
  const f64Bytes = edgeCount * 8;
  const epochsPerSampleAt = 8;
  const nextSampleAt = epochsPerSampleAt + f64Bytes;
  const epochsPerNegativeAt = nextSampleAt + f64Bytes;
  const nextNegativeAt = epochsPerNegativeAt + f64Bytes;
  const headsAt = nextNegativeAt + f64Bytes;
  const tailsAt = headsAt + edgeCount * 4;
  const positionsAt = tailsAt + edgeCount * 4;
  const { memory: wasmMemory, exports } = instantiate(module, positionsAt + n * 8);
  const buffer = wasmMemory.buffer;
  new Uint32Array(buffer, 0, 1)[0] = seed >>> 0;
  const epoch = exports.epoch as (...args: number[]) => void;
  const attractionScale = -2 * a * b;
  const repulsionScale = 2 * repulsionStrength * b;
  return {
    positions: new Float32Array(buffer, positionsAt, n * 2),
    heads: new Int32Array(buffer, headsAt, edgeCount),
    tails: new Int32Array(buffer, tailsAt, edgeCount),
    epochsPerSample: new Float64Array(buffer, epochsPerSampleAt, edgeCount),
    epochOfNextSample: new Float64Array(buffer, nextSampleAt, edgeCount),
    epochsPerNegativeSample: new Float64Array(buffer, epochsPerNegativeAt, edgeCount),
    epochOfNextNegativeSample: new Float64Array(buffer, nextNegativeAt, edgeCount),
    runEpoch: (epochIndex, alpha) =>
      epoch(
        epochIndex,
        alpha,
        n,
        edgeCount,
        a,
        b,
        attractionScale,
        repulsionScale,
        positionsAt,
        headsAt,
        tailsAt,
        epochsPerSampleAt,
        nextSampleAt,
        epochsPerNegativeAt,
        nextNegativeAt,
      ),
  };
}
