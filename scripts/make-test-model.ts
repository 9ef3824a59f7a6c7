/**
 * Writes a BERT encoder with random (seeded) weights in the exact shape of all-MiniLM-L6-v2, paired with
 * the real tokenizer files, in the Transformers.js folder layout:
 *
 *   models/atlas-test/all-MiniLM-L6-v2-random/{config.json, tokenizer files, onnx/model.onnx}
 *
 * No real weights can be had offline, and the tests and benchmarks need a model that costs exactly what
 * the real one costs. The ONNX protobuf is written with protobufjs from the parts of the ONNX schema
 * this graph uses. Idempotent: an existing model made by the same generator version is kept.
 *
 * Usage: npm run models:test [-- --out <models dir>]
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { createRandom } from '../src/lib/random.ts';

export const TEST_MODEL_ID = 'atlas-test/all-MiniLM-L6-v2-random';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tokenizerDir = resolve(repoRoot, '../shared/models/all-MiniLM-L6-v2-tokenizer');
const TOKENIZER_FILES = [
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'vocab.txt',
];
/** Bump when the graph changes, so stale generated models are rewritten. */
const GENERATOR_VERSION = 2;
const SEED = 20250601;

const shape = {
  layers: 6,
  hidden: 384,
  heads: 12,
  ffn: 1536,
  vocab: 30522,
  maxPositions: 512,
  typeVocab: 2,
  layerNormEps: 1e-12,
  weightScale: 0.02,
};

/** The subset of onnx.proto (ONNX IR) this generator writes; field numbers as in the official schema. */
const ONNX_SCHEMA = `
syntax = "proto3";
package onnx;
message AttributeProto {
  string name = 1; float f = 2; int64 i = 3; bytes s = 4; TensorProto t = 5;
  repeated float floats = 7; repeated int64 ints = 8; int32 type = 20;
}
message NodeProto {
  repeated string input = 1; repeated string output = 2; string name = 3; string op_type = 4;
  repeated AttributeProto attribute = 5; string domain = 7;
}
message TensorProto {
  repeated int64 dims = 1; int32 data_type = 2; string name = 8; bytes raw_data = 9;
}
message TensorShapeProto {
  message Dimension { int64 dim_value = 1; string dim_param = 2; }
  repeated Dimension dim = 1;
}
message TypeProto {
  message Tensor { int32 elem_type = 1; TensorShapeProto shape = 2; }
  Tensor tensor_type = 1;
}
message ValueInfoProto { string name = 1; TypeProto type = 2; }
message GraphProto {
  repeated NodeProto node = 1; string name = 2; repeated TensorProto initializer = 5;
  repeated ValueInfoProto input = 11; repeated ValueInfoProto output = 12;
}
message OperatorSetIdProto { string domain = 1; int64 version = 2; }
message ModelProto {
  int64 ir_version = 1; string producer_name = 2; string producer_version = 3;
  GraphProto graph = 7; repeated OperatorSetIdProto opset_import = 8;
}
`;

const FLOAT = 1;
const INT64 = 7;
const ATTRIBUTE_FLOAT = 1;
const ATTRIBUTE_INT = 2;
const ATTRIBUTE_INTS = 7;

interface Tensor {
  name: string;
  dims: number[];
  data_type: number;
  raw_data: Uint8Array;
}
interface Attribute {
  name: string;
  type: number;
  f?: number;
  i?: number;
  ints?: number[];
}
interface Node {
  op_type: string;
  input: string[];
  output: string[];
  name: string;
  attribute: Attribute[];
}

class GraphBuilder {
  readonly nodes: Node[] = [];
  readonly initializers: Tensor[] = [];
  private counter = 0;

  constructor(private readonly random: () => number) {}

  /** Gaussian N(0, scale²) weights (Box–Muller over the seeded generator). */
  normal(name: string, dims: number[], scale: number): string {
    const size = dims.reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    for (let i = 0; i < size; i += 2) {
      const u = 1 - this.random();
      const v = this.random();
      const radius = Math.sqrt(-2 * Math.log(u)) * scale;
      data[i] = radius * Math.cos(2 * Math.PI * v);
      if (i + 1 < size) data[i + 1] = radius * Math.sin(2 * Math.PI * v);
    }
    return this.floats(name, dims, data);
  }

  filled(name: string, dims: number[], value: number): string {
    return this.floats(name, dims, new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(value));
  }

  floats(name: string, dims: number[], data: Float32Array): string {
    this.initializers.push({
      name,
      dims,
      data_type: FLOAT,
      raw_data: new Uint8Array(data.buffer),
    });
    return name;
  }

  int64s(name: string, values: number[]): string {
    const data = BigInt64Array.from(values.map((v) => BigInt(v)));
    this.initializers.push({
      name,
      dims: [values.length],
      data_type: INT64,
      raw_data: new Uint8Array(data.buffer),
    });
    return name;
  }

  op(opType: string, inputs: string[], attributes: Attribute[] = [], output?: string): string {
    const name = output ?? `${opType.toLowerCase()}_${this.counter++}`;
    this.nodes.push({
      op_type: opType,
      input: inputs,
      output: [name],
      name,
      attribute: attributes,
    });
    return name;
  }
}

function buildGraph(): GraphBuilder {
  const g = new GraphBuilder(createRandom(SEED));
  const { hidden, heads, ffn, weightScale: scale } = shape;
  const headDim = hidden / heads;
  const eps: Attribute = { name: 'epsilon', type: ATTRIBUTE_FLOAT, f: shape.layerNormEps };
  const lastAxis: Attribute = { name: 'axis', type: ATTRIBUTE_INT, i: -1 };
  const layerNorm = (x: string, prefix: string) =>
    g.op(
      'LayerNormalization',
      [x, g.filled(`${prefix}.weight`, [hidden], 1), g.filled(`${prefix}.bias`, [hidden], 0)],
      [lastAxis, eps],
    );
  const dense = (x: string, prefix: string, inDim: number, outDim: number) =>
    g.op('Add', [
      g.op('MatMul', [x, g.normal(`${prefix}.weight`, [inDim, outDim], scale)]),
      g.normal(`${prefix}.bias`, [outDim], scale),
    ]);

  // Embeddings: word + position (a slice of the table as long as the sequence) + token type.
  const words = g.op('Gather', [
    g.normal('embeddings.word_embeddings.weight', [shape.vocab, hidden], scale),
    'input_ids',
  ]);
  const seqLength = g.op(
    'Shape',
    ['input_ids'],
    [
      { name: 'start', type: ATTRIBUTE_INT, i: 1 },
      { name: 'end', type: ATTRIBUTE_INT, i: 2 },
    ],
  );
  const positions = g.op('Slice', [
    g.normal('embeddings.position_embeddings.weight', [shape.maxPositions, hidden], scale),
    g.int64s('const.zero', [0]),
    seqLength,
    g.int64s('const.zero_axis', [0]),
  ]);
  const types = g.op('Gather', [
    g.normal('embeddings.token_type_embeddings.weight', [shape.typeVocab, hidden], scale),
    'token_type_ids',
  ]);
  let x = layerNorm(g.op('Add', [g.op('Add', [words, positions]), types]), 'embeddings.LayerNorm');

  // Additive attention mask: 0 where attended, -10000 at padding, shaped [batch, 1, 1, seq].
  const maskFloat = g.op(
    'Cast',
    ['attention_mask'],
    [{ name: 'to', type: ATTRIBUTE_INT, i: FLOAT }],
  );
  const maskBias = g.op('Unsqueeze', [
    g.op('Mul', [
      g.op('Sub', [g.filled('const.one', [], 1), maskFloat]),
      g.filled('const.mask_value', [], -10000),
    ]),
    g.int64s('const.mask_axes', [1, 2]),
  ]);
  const splitHeads = g.int64s('const.split_heads', [0, 0, heads, headDim]);
  const mergeHeads = g.int64s('const.merge_heads', [0, 0, hidden]);
  const attentionScale = g.filled('const.attention_scale', [], 1 / Math.sqrt(headDim));
  const sqrt2 = g.filled('const.sqrt2', [], Math.SQRT2);
  const half = g.filled('const.half', [], 0.5);
  const perm = (values: number[]): Attribute => ({
    name: 'perm',
    type: ATTRIBUTE_INTS,
    ints: values,
  });

  for (let layer = 0; layer < shape.layers; layer++) {
    const p = `encoder.layer.${layer}`;
    const heads4d = (name: string) =>
      g.op('Reshape', [dense(x, `${p}.attention.self.${name}`, hidden, hidden), splitHeads]);
    const query = g.op('Transpose', [heads4d('query')], [perm([0, 2, 1, 3])]);
    const keyT = g.op('Transpose', [heads4d('key')], [perm([0, 2, 3, 1])]);
    const value = g.op('Transpose', [heads4d('value')], [perm([0, 2, 1, 3])]);
    const scores = g.op('Add', [
      g.op('Mul', [g.op('MatMul', [query, keyT]), attentionScale]),
      maskBias,
    ]);
    const probabilities = g.op('Softmax', [scores], [lastAxis]);
    const context = g.op('Reshape', [
      g.op('Transpose', [g.op('MatMul', [probabilities, value])], [perm([0, 2, 1, 3])]),
      mergeHeads,
    ]);
    const attended = layerNorm(
      g.op('Add', [dense(context, `${p}.attention.output.dense`, hidden, hidden), x]),
      `${p}.attention.output.LayerNorm`,
    );
    // GELU, exact form: x · ½ · (1 + erf(x / √2)).
    const up = dense(attended, `${p}.intermediate.dense`, hidden, ffn);
    const gelu = g.op('Mul', [
      g.op('Mul', [
        up,
        g.op('Add', [g.op('Erf', [g.op('Div', [up, sqrt2])]), g.filled(`${p}.one`, [], 1)]),
      ]),
      half,
    ]);
    const down = dense(gelu, `${p}.output.dense`, ffn, hidden);
    x = layerNorm(g.op('Add', [down, attended]), `${p}.output.LayerNorm`);
  }
  g.op('Identity', [x], [], 'last_hidden_state');
  return g;
}

function valueInfo(name: string, elemType: number, dims: (number | string)[]) {
  return {
    name,
    type: {
      tensor_type: {
        elem_type: elemType,
        shape: {
          dim: dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })),
        },
      },
    },
  };
}

export function encodeTestModel(): Uint8Array {
  const g = buildGraph();
  const ModelProto = protobuf
    .parse(ONNX_SCHEMA, { keepCase: true })
    .root.lookupType('onnx.ModelProto');
  const model = {
    ir_version: 8,
    producer_name: 'abstract-atlas make-test-model',
    producer_version: String(GENERATOR_VERSION),
    opset_import: [{ domain: '', version: 17 }],
    graph: {
      name: 'bert-random',
      node: g.nodes,
      initializer: g.initializers,
      input: ['input_ids', 'attention_mask', 'token_type_ids'].map((name) =>
        valueInfo(name, INT64, ['batch_size', 'sequence_length']),
      ),
      output: [
        valueInfo('last_hidden_state', FLOAT, ['batch_size', 'sequence_length', shape.hidden]),
      ],
    },
  };
  return ModelProto.encode(ModelProto.fromObject(model)).finish();
}

function modelConfig(): Record<string, unknown> {
  const tokenizerConfig = JSON.parse(
    readFileSync(join(tokenizerDir, 'config.json'), 'utf8'),
  ) as Record<string, unknown>;
  return {
    ...tokenizerConfig,
    _name_or_path: TEST_MODEL_ID,
    atlas_test_model: { generator_version: GENERATOR_VERSION, seed: SEED },
  };
}

/** Writes the test model under `modelsDir` unless the same version is already there; returns its folder. */
export function makeTestModel(modelsDir = join(repoRoot, 'models')): {
  dir: string;
  written: boolean;
} {
  const dir = join(modelsDir, TEST_MODEL_ID);
  const onnxPath = join(dir, 'onnx', 'model.onnx');
  const configPath = join(dir, 'config.json');
  if (existsSync(onnxPath) && existsSync(configPath)) {
    const existing = JSON.parse(readFileSync(configPath, 'utf8')) as {
      atlas_test_model?: { generator_version?: number };
    };
    if (existing.atlas_test_model?.generator_version === GENERATOR_VERSION) {
      return { dir, written: false };
    }
  }
  if (!existsSync(join(tokenizerDir, 'tokenizer.json'))) {
    throw new Error(
      `The tokenizer files are missing at ${tokenizerDir}. The test model pairs random weights with the real ` +
        'all-MiniLM-L6-v2 tokenizer from ../shared/models/all-MiniLM-L6-v2-tokenizer/.',
    );
  }
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  for (const file of TOKENIZER_FILES) copyFileSync(join(tokenizerDir, file), join(dir, file));
  // Write to a temporary name first so a half-written model is never taken for a finished one.
  writeFileSync(`${onnxPath}.partial`, encodeTestModel());
  renameSync(`${onnxPath}.partial`, onnxPath);
  writeFileSync(configPath, `${JSON.stringify(modelConfig(), null, 2)}\n`);
  return { dir, written: true };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outIndex = process.argv.indexOf('--out');
  const modelsDir = outIndex > 0 ? resolve(process.argv[outIndex + 1] ?? 'models') : undefined;
  const started = performance.now();
  const { dir, written } = makeTestModel(modelsDir);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    written
      ? `Wrote the test model to ${dir} in ${seconds} s.`
      : `The test model is up to date at ${dir}.`,
  );
}
