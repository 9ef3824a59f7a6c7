/**
 * Test page for the WebGPU kNN search: runs `exactKnnWebGpu` on a forced (here software) device and
 * `exactKnn` on the same seeded vectors, through `window.knnHarness`, and reports what `computeKnn`'s
 * automatic choice did.
 */
import { computeKnn, exactKnn } from '../../src/pipeline/project/knn.ts';
import { exactKnnWebGpu, webGpuForKnn } from '../../src/pipeline/project/knn-webgpu.ts';
import { clusteredVectors } from '../../src/pipeline/project/synthetic.ts';
import type { StageProgress } from '../../src/pipeline/types.ts';

export interface KnnComparison {
  /** Plain arrays, so the result crosses into Playwright as JSON. */
  gpuIndices: number[];
  gpuDistances: number[];
  cpuIndices: number[];
  cpuDistances: number[];
  gpuMilliseconds: number;
  cpuMilliseconds: number;
  adapter: string;
  gpuProgress: StageProgress[];
}

export interface AutoChoice {
  /** Whether the automatic device search found a device (it must refuse software adapters). */
  autoDevice: boolean;
  /** Progress messages of `computeKnn` with knnDevice 'auto'. */
  messages: string[];
  matchesCpu: boolean;
  /** Progress messages of `computeKnn` with knnDevice 'webgpu' (forced onto the software adapter). */
  forcedMessages: string[];
  forcedMatchesCpu: boolean;
}

const harness = {
  async compare(
    n: number,
    dim: number,
    k: number,
    rowsPerDispatch: number,
  ): Promise<KnnComparison> {
    const { vectors } = clusteredVectors(n, dim, 6, { seed: 7 });
    const device = await webGpuForKnn(true);
    if (!device) throw new Error('This browser offers no WebGPU adapter at all.');
    const gpuProgress: StageProgress[] = [];
    // A first run compiles the shader; the timed one measures the search itself.
    await exactKnnWebGpu(vectors, dim, k, { device });
    let startedAt = performance.now();
    const gpu = await exactKnnWebGpu(vectors, dim, k, {
      device,
      rowsPerDispatch,
      onProgress: (progress) => gpuProgress.push(progress),
    });
    const gpuMilliseconds = performance.now() - startedAt;
    await exactKnn(vectors, dim, k);
    startedAt = performance.now();
    const cpu = await exactKnn(vectors, dim, k);
    const cpuMilliseconds = performance.now() - startedAt;
    return {
      gpuIndices: Array.from(gpu.indices),
      gpuDistances: Array.from(gpu.distances),
      cpuIndices: Array.from(cpu.indices),
      cpuDistances: Array.from(cpu.distances),
      gpuMilliseconds,
      cpuMilliseconds,
      adapter: device.adapterInfo
        ? `${device.adapterInfo.vendor} ${device.adapterInfo.architecture}`
        : 'unknown',
      gpuProgress,
    };
  },

  async autoChoice(n: number, dim: number, k: number): Promise<AutoChoice> {
    const { vectors } = clusteredVectors(n, dim, 6, { seed: 7 });
    const messages: string[] = [];
    const auto = await computeKnn(vectors, dim, k, {
      knnDevice: 'auto',
      onProgress: (progress) => messages.push(progress.message ?? ''),
    });
    const forcedMessages: string[] = [];
    const forced = await computeKnn(vectors, dim, k, {
      knnDevice: 'webgpu',
      onProgress: (progress) => forcedMessages.push(progress.message ?? ''),
      onGpuFallback: (reason) => forcedMessages.push(`fallback: ${reason.message}`),
    });
    const cpu = await exactKnn(vectors, dim, k);
    return {
      autoDevice: (await webGpuForKnn()) !== null,
      messages,
      matchesCpu: auto.indices.every((index, slot) => index === cpu.indices[slot]),
      forcedMessages,
      forcedMatchesCpu: forced.indices.every((index, slot) => index === cpu.indices[slot]),
    };
  },
};

declare global {
  interface Window {
    knnHarness: typeof harness;
  }
}

window.knnHarness = harness;
document.getElementById('status')!.textContent = 'Ready';
