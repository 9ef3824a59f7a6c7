/**
 * A small WebAssembly binary writer: enough of the format (types, one imported memory, functions,
 * exports, code) to emit the projection's kernels in code, with no toolchain and no binary file. The
 * opcode names follow the WebAssembly core and SIMD specifications.
 */

export type Bytes = number[];

export const type = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b } as const;
export type ValueType = (typeof type)[keyof typeof type];

export const op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  select: 0x1b,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Load: 0x28,
  f32Load: 0x2a,
  f64Load: 0x2b,
  i32Store: 0x36,
  f32Store: 0x38,
  f64Store: 0x39,
  i32Const: 0x41,
  i64Const: 0x42,
  f64Const: 0x44,
  i32Eqz: 0x45,
  i32Eq: 0x46,
  i32LtS: 0x48,
  i32LtU: 0x49,
  f64Lt: 0x63,
  f64Gt: 0x64,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32And: 0x71,
  i32Or: 0x72,
  i32Xor: 0x73,
  i32Shl: 0x74,
  i32ShrU: 0x76,
  i64And: 0x83,
  i64Or: 0x84,
  i64Shl: 0x86,
  i64ShrU: 0x88,
  f32Add: 0x92,
  f64Floor: 0x9c,
  f64Nearest: 0x9e,
  f64Add: 0xa0,
  f64Sub: 0xa1,
  f64Mul: 0xa2,
  f64Div: 0xa3,
  f64Min: 0xa4,
  f64Max: 0xa5,
  i32WrapI64: 0xa7,
  i32TruncF64S: 0xaa,
  i32TruncF64U: 0xab,
  i64ExtendI32S: 0xac,
  f32DemoteF64: 0xb6,
  f64ConvertI32S: 0xb7,
  f64ConvertI32U: 0xb8,
  f64PromoteF32: 0xbb,
  i64ReinterpretF64: 0xbd,
  f64ReinterpretI64: 0xbf,
  simd: 0xfd,
} as const;

export const simdOp = {
  v128Load: 0x00,
  v128Const: 0x0c,
  f32x4ExtractLane: 0x1f,
  f32x4Add: 0xe4,
  f32x4Mul: 0xe6,
} as const;

/** Block type of a block, loop or if that leaves nothing on the stack. */
export const VOID_BLOCK = 0x40;

export function unsignedLeb(value: number): Bytes {
  const bytes: Bytes = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

export function signedLeb(value: bigint): Bytes {
  const bytes: Bytes = [];
  for (;;) {
    const byte = Number(value & 0x7fn);
    value >>= 7n;
    if ((value === 0n && (byte & 0x40) === 0) || (value === -1n && (byte & 0x40) !== 0)) {
      bytes.push(byte);
      return bytes;
    }
    bytes.push(byte | 0x80);
  }
}

export const get = (local: number): Bytes => [op.localGet, ...unsignedLeb(local)];
export const set = (local: number): Bytes => [op.localSet, ...unsignedLeb(local)];
export const tee = (local: number): Bytes => [op.localTee, ...unsignedLeb(local)];
export const i32 = (value: number): Bytes => [op.i32Const, ...signedLeb(BigInt(value))];
export const i64 = (value: bigint): Bytes => [op.i64Const, ...signedLeb(value)];
export function f64(value: number): Bytes {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setFloat64(0, value, true);
  return [op.f64Const, ...bytes];
}
export const simd = (code: number): Bytes => [op.simd, ...unsignedLeb(code)];
/** A load or store's memory argument: log2 of the alignment, then a constant byte offset. */
export const memory = (alignLog2: number, offset = 0): Bytes => [alignLog2, ...unsignedLeb(offset)];

export interface FunctionSpec {
  name: string;
  params: ValueType[];
  results: ValueType[];
  /** Types of the locals after the parameters, in order. */
  locals: ValueType[];
  /** The body, without the final `end`. */
  code: Bytes;
}

function section(id: number, content: Bytes): Bytes {
  return [id, ...unsignedLeb(content.length), ...content];
}

function vector(items: Bytes[]): Bytes {
  return [...unsignedLeb(items.length), ...items.flat()];
}

function utf8(text: string): Bytes {
  const bytes = Array.from(new TextEncoder().encode(text));
  return [...unsignedLeb(bytes.length), ...bytes];
}

function body(spec: FunctionSpec): Bytes {
  const groups: Bytes[] = [];
  for (const localType of spec.locals) {
    const last = groups.at(-1);
    if (last && last[1] === localType) last[0]!++;
    else groups.push([1, localType]);
  }
  const content = [...vector(groups), ...spec.code, op.end];
  return [...unsignedLeb(content.length), ...content];
}

/** A module that imports its memory as `env.memory` and exports the given functions by name. */
export function moduleBytes(functions: FunctionSpec[]): Uint8Array<ArrayBuffer> {
  const types = functions.map((spec) => [
    0x60,
    ...vector(spec.params.map((t) => [t])),
    ...vector(spec.results.map((t) => [t])),
  ]);
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...section(2, vector([[...utf8('env'), ...utf8('memory'), 0x02, 0x00, 0x01]])),
    ...section(3, vector(functions.map((_, index) => unsignedLeb(index)))),
    ...section(
      7,
      vector(functions.map((spec, index) => [...utf8(spec.name), 0x00, ...unsignedLeb(index)])),
    ),
    ...section(10, vector(functions.map(body))),
  ]);
}

/** Bytes per WebAssembly memory page. */
const PAGE_BYTES = 65_536;

/** Compiles a module once, or returns null where the runtime cannot (no WebAssembly, or no SIMD). */
export function compileOnce(bytes: () => Uint8Array<ArrayBuffer>): () => WebAssembly.Module | null {
  let compiled: WebAssembly.Module | null | undefined;
  return () => {
    if (compiled === undefined) {
      const code = bytes();
      compiled =
        typeof WebAssembly === 'object' && WebAssembly.validate(code)
          ? new WebAssembly.Module(code)
          : null;
    }
    return compiled;
  };
}

/** A fresh memory of at least `byteCount` bytes and an instance of `module` over it. */
export function instantiate(
  module: WebAssembly.Module,
  byteCount: number,
): { memory: WebAssembly.Memory; exports: WebAssembly.Exports } {
  const memory = new WebAssembly.Memory({
    initial: Math.max(1, Math.ceil(byteCount / PAGE_BYTES)),
  });
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return { memory, exports: instance.exports };
}
