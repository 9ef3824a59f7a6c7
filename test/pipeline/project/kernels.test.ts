import { describe, expect, it } from 'vitest';
import * as assembled from '../../../src/pipeline/project/kernels/assembled.ts';
import {
  createKernelMemory,
  instantiateKernel,
  isShared,
} from '../../../src/pipeline/project/kernels/load.ts';
import { assembleKernels } from '../../../scripts/build-kernels.ts';
import { createRandom } from '../../../src/lib/random.ts';

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

  it('multiply a sparse matrix by dense ones bit for bit as the scalar loops do, odd widths included', () => {
    const random = createRandom(5);
    const rows = 37;
    const cols = 23;
    const rowStarts = [0];
    const columns: number[] = [];
    const values: number[] = [];
    for (let row = 0; row < rows; row++) {
      for (let col = 0; col < cols; col++) {
        if (random() < 0.3) {
          columns.push(col);
          values.push(random() - 0.5);
        }
      }
      rowStarts.push(columns.length);
    }
    const storedValues = Float32Array.from(values);
    for (const width of [1, 4, 7]) {
      const dense = Float64Array.from(
        { length: Math.max(rows, cols) * width },
        () => random() - 0.5,
      );
      const memory = createKernelMemory(1 << 16, false);
      const kernel = instantiateKernel('sparse', memory);
      const at = { rowStarts: 0, columns: 256, values: 4096, dense: 8192, out: 16384 };
      new Int32Array(memory.buffer, at.rowStarts, rowStarts.length).set(rowStarts);
      new Int32Array(memory.buffer, at.columns, columns.length).set(columns);
      new Float32Array(memory.buffer, at.values, values.length).set(storedValues);
      new Float64Array(memory.buffer, at.dense, dense.length).set(dense);
      for (const [name, outRows] of [
        ['gather', rows],
        ['scatter', cols],
      ] as const) {
        const out = new Float64Array(memory.buffer, at.out, outRows * width).fill(0);
        (kernel[name] as (...args: number[]) => void)(
          at.rowStarts,
          at.columns,
          at.values,
          at.dense,
          at.out,
          0,
          rows,
          width,
          // scatter's range of X's columns (gather takes none)
          0,
          cols,
        );
        const expected = new Float64Array(outRows * width);
        for (let row = 0; row < rows; row++) {
          for (let entry = rowStarts[row]!; entry < rowStarts[row + 1]!; entry++) {
            const [target, source] =
              name === 'gather' ? [row, columns[entry]!] : [columns[entry]!, row];
            for (let c = 0; c < width; c++)
              expected[target * width + c]! += storedValues[entry]! * dense[source * width + c]!;
          }
        }
        expect(Array.from(out), `${name}, width ${width}`).toEqual(Array.from(expected));
      }
    }
  });

  it("sum the upper triangle of a dense matrix's column Gram matrix bit for bit as the scalar loop does", () => {
    const random = createRandom(9);
    const rows = 29;
    for (const width of [1, 4, 7]) {
      // Zeros in the matrix, as the sparse products leave, are skipped without changing the sums.
      const dense = Float64Array.from({ length: rows * width }, () =>
        random() < 0.2 ? 0 : random() - 0.5,
      );
      const memory = createKernelMemory(1 << 16, false);
      const kernel = instantiateKernel('sparse', memory);
      const at = { dense: 0, out: 8 * rows * width };
      new Float64Array(memory.buffer, at.dense, dense.length).set(dense);
      const out = new Float64Array(memory.buffer, at.out, width * width).fill(0);
      // In two shares of its rows, as two threads run it.
      const split = Math.floor(width / 2);
      (kernel.gram as (...args: number[]) => void)(at.dense, at.out, 0, rows, width, 0, split);
      (kernel.gram as (...args: number[]) => void)(at.dense, at.out, 0, rows, width, split, width);
      const expected = new Float64Array(width * width);
      for (let row = 0; row < rows; row++)
        for (let i = 0; i < width; i++)
          for (let j = i; j < width; j++)
            expected[i * width + j]! += dense[row * width + i]! * dense[row * width + j]!;
      expect(Array.from(out), `width ${width}`).toEqual(Array.from(expected));
    }
  });
});
