import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { EmbedEngine } from '../../../src/pipeline/embed/engine.ts';
import { MAX_TOKENS, resolveModel, TEST_MODEL_ID } from '../../../src/pipeline/embed/models.ts';
import { TransformersEmbedder } from '../../../src/pipeline/embed/neural.ts';
import { VectorCache } from '../../../src/pipeline/embed/vector-cache.ts';
import { cosine } from '../../../scripts/real-model.ts';

const modelsDir = resolve('models');
const spec = resolveModel(TEST_MODEL_ID);
const setup = { modelBaseUrl: modelsDir, allowRemoteModels: false };
const texts = [
  'Graph neural networks predict molecular properties.',
  'We observe a supernova in a distant galaxy with a space telescope and measure its light curve.',
  'Short.',
];

let embedder: TransformersEmbedder;

beforeAll(async () => {
  embedder = await TransformersEmbedder.load(spec, 'cpu', 'fp32', setup);
});

describe('the generated test model', () => {
  it('has all-MiniLM-L6-v2’s inputs, output and hidden size', async () => {
    const session = await ort.InferenceSession.create(
      join(modelsDir, TEST_MODEL_ID, 'onnx', 'model.onnx'),
    );
    expect(session.inputNames).toEqual(['input_ids', 'attention_mask', 'token_type_ids']);
    expect(session.outputNames).toEqual(['last_hidden_state']);
    const ids = BigInt64Array.from([101n, 7592n, 2088n, 102n]);
    const feeds = {
      input_ids: new ort.Tensor('int64', ids, [1, 4]),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(4).fill(1n), [1, 4]),
      token_type_ids: new ort.Tensor('int64', new BigInt64Array(4), [1, 4]),
    };
    const output = (await session.run(feeds)).last_hidden_state!;
    expect(output.dims).toEqual([1, 4, 384]);
    expect(Array.from(output.data as Float32Array).every(Number.isFinite)).toBe(true);
    await session.release();
  });
});

describe('TransformersEmbedder (onnxruntime-node)', () => {
  it('mean-pools the last hidden state and L2-normalises, as computed by hand', async () => {
    const vectors = await embedder.embed(texts);
    expect(vectors.length).toBe(texts.length * 384);
    const session = await ort.InferenceSession.create(
      join(modelsDir, TEST_MODEL_ID, 'onnx', 'model.onnx'),
    );
    const tokenizer = (await import('@huggingface/transformers')).AutoTokenizer;
    const tokens = await tokenizer.from_pretrained(join(modelsDir, TEST_MODEL_ID));
    for (const [row, text] of texts.entries()) {
      const ids = tokens.encode(text);
      const n = ids.length;
      const output = await session.run({
        input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, n]),
        attention_mask: new ort.Tensor('int64', new BigInt64Array(n).fill(1n), [1, n]),
        token_type_ids: new ort.Tensor('int64', new BigInt64Array(n), [1, n]),
      });
      const hidden = output.last_hidden_state!.data as Float32Array;
      const mean = new Float32Array(384);
      for (let t = 0; t < n; t++)
        for (let c = 0; c < 384; c++) mean[c]! += hidden[t * 384 + c]! / n;
      const ours = vectors.subarray(row * 384, (row + 1) * 384);
      expect(Math.hypot(...ours)).toBeCloseTo(1, 5);
      expect(cosine(ours, mean)).toBeGreaterThan(0.9999);
    }
    await session.release();
  });

  it('gives the same vector alone as in a padded batch', async () => {
    const batch = await embedder.embed(texts);
    const alone = await embedder.embed([texts[2]!]);
    expect(cosine(alone, batch.subarray(2 * 384, 3 * 384))).toBeGreaterThan(0.99999);
  });

  it('counts tokens with special tokens, before truncation', () => {
    const counts = embedder.tokenCounts(['hello world', 'word '.repeat(300)]);
    expect(counts[0]).toBe(4);
    expect(counts[1]).toBe(302);
  });
});

describe('EmbedEngine with the real model in Node', () => {
  it('embeds, counts truncated texts, caches, and answers queries', async () => {
    const engine = new EmbedEngine({
      cpuDevice: 'cpu',
      detectGpu: async () => ({ available: false, shaderF16: false }),
      loadEmbedder: (model, device, dtype) =>
        TransformersEmbedder.load(model, device, dtype, setup),
      openCache: () => VectorCache.open(new IDBFactory()),
    });
    const corpus = [...texts, `A very long abstract. ${'token '.repeat(MAX_TOKENS + 10)}`];
    const first = await engine.embedCorpus(corpus, { embedder: 'neural', model: TEST_MODEL_ID });
    expect(first.info).toEqual({
      kind: 'neural',
      model: TEST_MODEL_ID,
      device: 'cpu',
      dtype: 'fp32',
      dim: 384,
    });
    expect(first.truncated).toBe(1);
    expect(first.notices).toEqual([]);
    const second = await engine.embedCorpus(corpus, { embedder: 'neural', model: TEST_MODEL_ID });
    expect(second.cached).toBe(corpus.length);
    expect(second.vectors).toEqual(first.vectors);
    const query = await engine.embedQuery(texts[0]!);
    expect(cosine(query, first.vectors.subarray(0, 384))).toBeGreaterThan(0.9999);
    await engine.dispose();
  });
});
