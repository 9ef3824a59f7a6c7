import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AtlasError } from '../../../src/lib/errors.ts';
import { clusteredVectors } from '../../../src/pipeline/project/synthetic.ts';

/**
 * The GPU itself only runs in the browser (e2e/knn-webgpu.spec.ts); here, the plan, the ordering and
 * the device choice, with a fake `navigator.gpu`. Modules are re-imported per test because the chosen
 * device is cached.
 */
async function load() {
  vi.resetModules();
  const gpu = await import('../../../src/pipeline/project/knn-webgpu.ts');
  const knn = await import('../../../src/pipeline/project/knn.ts');
  const errors = await import('../../../src/lib/errors.ts');
  return { ...gpu, ...knn, AtlasError: errors.AtlasError };
}

interface FakeAdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter?: boolean;
}

/** A device that accepts buffers but fails to build the pipeline, as a broken driver might. */
function brokenDevice() {
  return {
    limits: { maxStorageBufferBindingSize: 1 << 27 },
    lost: new Promise(() => undefined),
    queue: { writeBuffer: () => undefined, submit: () => undefined },
    pushErrorScope: () => undefined,
    popErrorScope: () => Promise.resolve(null),
    createBuffer: () => ({ destroy: () => undefined }),
    createShaderModule: () => ({}),
    createComputePipeline: () => {
      throw new Error('pipeline creation failed');
    },
  };
}

function fakeGpu(info: FakeAdapterInfo | null) {
  const requestDevice = vi.fn(() => Promise.resolve(brokenDevice()));
  const requestAdapter = vi.fn(() =>
    Promise.resolve(
      info && {
        info,
        limits: { maxStorageBufferBindingSize: 1 << 27, maxBufferSize: 1 << 28 },
        requestDevice,
      },
    ),
  );
  vi.stubGlobal('navigator', { gpu: { requestAdapter } });
  return { requestAdapter, requestDevice };
}

const hardware: FakeAdapterInfo = {
  vendor: 'nvidia',
  architecture: 'ampere',
  device: '',
  description: '',
};
const swiftShader: FakeAdapterInfo = {
  vendor: 'google',
  architecture: 'swiftshader',
  device: '',
  description: '',
};

beforeEach(() => {
  vi.stubGlobal('GPUBufferUsage', {
    MAP_READ: 1,
    COPY_SRC: 4,
    COPY_DST: 8,
    UNIFORM: 64,
    STORAGE: 128,
  });
  vi.stubGlobal('GPUMapMode', { READ: 1 });
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('planKnnTiles', () => {
  it('covers every row once in dispatches of whole workgroups', async () => {
    const { planKnnTiles, WORKGROUP_ROWS } = await load();
    const plan = planKnnTiles(1000, 384, 150);
    expect(plan.rowsPerDispatch).toBe(2 * WORKGROUP_ROWS);
    expect(plan.tileStarts).toEqual([0, 128, 256, 384, 512, 640, 768, 896]);
    expect(plan.strideVec4).toBe(96);
    expect(plan.paddedRows).toBe(1024);
  });

  it('pads the dimension to whole vec4s and never dispatches fewer than one workgroup', async () => {
    const { planKnnTiles, WORKGROUP_ROWS } = await load();
    const plan = planKnnTiles(10, 5, 1);
    expect(plan.strideVec4).toBe(2);
    expect(plan.paddedRows).toBe(32);
    expect(plan.rowsPerDispatch).toBe(WORKGROUP_ROWS);
    expect(plan.tileStarts).toEqual([0]);
  });

  it('sizes dispatches by work: more rows at a time for fewer columns, never more than needed', async () => {
    const { planKnnTiles } = await load();
    const large = planKnnTiles(20_000, 384);
    const small = planKnnTiles(2_000, 384);
    expect(large.rowsPerDispatch).toBeLessThan(small.rowsPerDispatch);
    expect(large.rowsPerDispatch).toBe(64);
    expect(small.rowsPerDispatch * small.paddedRows * 384).toBeLessThanOrEqual(2 ** 28);
    expect((small.rowsPerDispatch + 64) * small.paddedRows * 384).toBeGreaterThan(2 ** 28);
    expect(large.tileStarts.at(-1)! + large.rowsPerDispatch).toBeGreaterThanOrEqual(20_000);
    expect(planKnnTiles(100, 16).tileStarts).toEqual([0]);
    expect(planKnnTiles(100, 16).rowsPerDispatch).toBe(128);
  });
});

describe('isSoftwareAdapter', () => {
  it('knows SwiftShader, fallback adapters and other CPU renderers', async () => {
    const { isSoftwareAdapter } = await load();
    const adapter = (info: FakeAdapterInfo) => ({ info }) as unknown as GPUAdapter;
    expect(isSoftwareAdapter(adapter(swiftShader))).toBe(true);
    expect(isSoftwareAdapter(adapter({ ...hardware, isFallbackAdapter: true }))).toBe(true);
    expect(isSoftwareAdapter(adapter({ ...hardware, description: 'llvmpipe (LLVM 15)' }))).toBe(
      true,
    );
    expect(isSoftwareAdapter(adapter(hardware))).toBe(false);
  });
});

describe('webGpuForKnn', () => {
  it('is null without WebGPU or without an adapter', async () => {
    vi.stubGlobal('navigator', {});
    expect(await (await load()).webGpuForKnn()).toBeNull();
    fakeGpu(null);
    expect(await (await load()).webGpuForKnn(true)).toBeNull();
  });

  it('refuses a software adapter unless told to take it', async () => {
    const { requestDevice } = fakeGpu(swiftShader);
    const { webGpuForKnn } = await load();
    expect(await webGpuForKnn()).toBeNull();
    expect(requestDevice).not.toHaveBeenCalled();
    expect(await webGpuForKnn(true)).not.toBeNull();
  });

  it('takes a hardware adapter, once', async () => {
    const { requestAdapter } = fakeGpu(hardware);
    const { webGpuForKnn } = await load();
    const device = await webGpuForKnn();
    expect(device).not.toBeNull();
    expect(await webGpuForKnn()).toBe(device);
    expect(requestAdapter).toHaveBeenCalledTimes(1);
  });
});

describe('computeKnn device choice', () => {
  const dim = 16;
  const { vectors } = clusteredVectors(120, dim, 4, { seed: 3 });

  it('falls back to the CPU search, and says why, when the GPU search fails', async () => {
    const { requestDevice } = fakeGpu(hardware);
    const { computeKnn, exactKnn, AtlasError: LoadedAtlasError } = await load();
    const reasons: AtlasError[] = [];
    const messages: string[] = [];
    const graph = await computeKnn(vectors, dim, 10, {
      onGpuFallback: (reason) => reasons.push(reason),
      onProgress: (progress) => messages.push(progress.message ?? ''),
    });
    expect(requestDevice).toHaveBeenCalledTimes(1);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toBeInstanceOf(LoadedAtlasError);
    expect(reasons[0]!.code).toBe('webgpu-failed');
    expect(reasons[0]!.message).toContain('pipeline creation failed');
    expect(messages.at(-1)).toBe('Finding nearest neighbours (exact)');
    const cpu = await exactKnn(vectors, dim, 10);
    expect(Array.from(graph.indices)).toEqual(Array.from(cpu.indices));
  });

  it('leaves a software adapter alone on auto, and the GPU alone on cpu', async () => {
    const { requestDevice, requestAdapter } = fakeGpu(swiftShader);
    const { computeKnn } = await load();
    const fallbacks: AtlasError[] = [];
    await computeKnn(vectors, dim, 10, { onGpuFallback: (reason) => fallbacks.push(reason) });
    expect(requestDevice).not.toHaveBeenCalled();
    requestAdapter.mockClear();
    await computeKnn(vectors, dim, 10, { knnDevice: 'cpu' });
    expect(requestAdapter).not.toHaveBeenCalled();
    expect(fallbacks).toHaveLength(0);
  });

  it('tries a software adapter when WebGPU is forced', async () => {
    const { requestDevice } = fakeGpu(swiftShader);
    const { computeKnn } = await load();
    const fallbacks: AtlasError[] = [];
    await computeKnn(vectors, dim, 10, {
      knnDevice: 'webgpu',
      onGpuFallback: (reason) => fallbacks.push(reason),
    });
    expect(requestDevice).toHaveBeenCalledTimes(1);
    expect(fallbacks.map((reason) => reason.code)).toEqual(['webgpu-failed']);
  });

  it('refuses more neighbours than the GPU list holds', async () => {
    const { exactKnnWebGpu, MAX_GPU_K } = await load();
    const many = clusteredVectors(100, dim, 4, { seed: 3 }).vectors;
    await expect(
      exactKnnWebGpu(many, dim, MAX_GPU_K + 1, { device: {} as GPUDevice }),
    ).rejects.toMatchObject({ code: 'webgpu-failed' });
  });
});
