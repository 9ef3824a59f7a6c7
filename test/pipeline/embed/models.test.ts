import { describe, expect, it } from 'vitest';
import {
  chooseDtype,
  DEFAULT_MODEL_ID,
  MODEL_CATALOGUE,
  resolveModel,
  TEST_MODEL_ID,
} from '../../../src/pipeline/embed/models.ts';

const minilm = resolveModel(DEFAULT_MODEL_ID);

describe('model catalogue', () => {
  it('offers the default and at least two more real models, each with its pooling', () => {
    const real = MODEL_CATALOGUE.filter((model) => model.id !== TEST_MODEL_ID);
    expect(real.length).toBeGreaterThanOrEqual(3);
    expect(minilm.pooling).toBe('mean');
    expect(resolveModel('Xenova/bge-small-en-v1.5')).toMatchObject({
      pooling: 'cls',
      queryPrefix: expect.any(String),
    });
  });

  it('names the valid models when asked for an unknown one', () => {
    expect(() => resolveModel('nope')).toThrow(/There is no embedding model called "nope"/);
  });
});

describe('chooseDtype', () => {
  it('picks fp16 on WebGPU only with shader-f16, fp32 on other GPUs and q8 on the CPU', () => {
    expect(chooseDtype(minilm, 'webgpu', undefined, true)).toEqual({ dtype: 'fp16' });
    expect(chooseDtype(minilm, 'webgpu', undefined, false)).toEqual({ dtype: 'fp32' });
    expect(chooseDtype(minilm, 'wasm', undefined, false)).toEqual({ dtype: 'q8' });
  });

  it('honours a request the device can run, and says why when it cannot', () => {
    expect(chooseDtype(minilm, 'wasm', 'fp32', false)).toEqual({ dtype: 'fp32' });
    expect(chooseDtype(minilm, 'webgpu', 'fp16', false)).toEqual({
      dtype: 'fp32',
      notice:
        'Embedding at fp32 instead of fp16, because this GPU has no 16-bit float shaders (shader-f16).',
    });
    expect(chooseDtype(resolveModel(TEST_MODEL_ID), 'wasm', 'q8', false)).toEqual({
      dtype: 'fp32',
      notice: `Embedding at fp32 instead of q8, because ${TEST_MODEL_ID} has no q8 weights.`,
    });
  });
});
