import { describe, expect, it } from 'vitest';
import * as assembled from '../../../src/pipeline/project/kernels/assembled.ts';
import {
  createKernelMemory,
  instantiateKernel,
  isShared,
} from '../../../src/pipeline/project/kernels/load.ts';
import { assembleKernels } from '../../../scripts/build-kernels.ts';

describe('WebAssembly kernels', () => {
  it('are checked in exactly as WABT assembles their WAT source (run `npm run kernels`)', async () => {
    const kernels = await assembleKernels();
    expect(Object.keys(kernels).sort()).toEqual(Object.keys(assembled).sort());
    for (const [name, bytes] of Object.entries(kernels)) {
      expect(assembled[name as keyof typeof assembled], name).toBe(
        Buffer.from(bytes).toString('base64'),
      );
    }
  });

  it('instantiate over their own memory and over shared memory', () => {
    for (const shared of [false, true]) {
      const memory = createKernelMemory(4096, shared);
      expect(isShared(memory)).toBe(shared);
      expect(typeof instantiateKernel('layoutEpoch', memory).epoch).toBe('function');
      const dots = instantiateKernel('dots', memory);
      const floats = new Float32Array(memory.buffer);
      floats.set([1, 2, 3, 4, 5, 6, 7, 8], 0);
      floats.set([1, 1, 1, 1, 2, 2, 2, 2], 8);
      expect((dots.dot as (a: number, b: number, stride: number) => number)(0, 32, 8)).toBe(62);
    }
  });
});
