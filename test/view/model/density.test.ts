import { describe, expect, it } from 'vitest';
import { DensityRasterizer } from '../../../src/view/model/density.ts';

const rasterizeDensity = (...args: Parameters<DensityRasterizer['draw']>) =>
  new DensityRasterizer().draw(...args);

describe('DensityRasterizer', () => {
  it('puts each point on its pixel, top row at maxY, coloured by the mean of its points', () => {
    const positions = new Float32Array([0.5, 3.5, 0.5, 3.5, 3.5, 0.5, 9, 9]);
    const colors = new Uint8Array([200, 0, 0, 255, 0, 0, 200, 255, 0, 255, 0, 255, 1, 2, 3, 255]);
    const image = rasterizeDensity(positions, colors, [0, 0, 4, 4], 4, 4, { splat: 1 });
    expect(image.width).toBe(4);
    expect(image.height).toBe(4);
    const pixel = (column: number, row: number) =>
      Array.from(image.data.subarray(4 * (row * 4 + column), 4 * (row * 4 + column) + 4));
    // (0.5, 3.5) is the top-left pixel: two points, red and blue, averaged, more opaque than one.
    expect(pixel(0, 0).slice(0, 3)).toEqual([100, 0, 100]);
    // (3.5, 0.5) is the bottom-right pixel: one green point.
    expect(pixel(3, 3)).toEqual([0, 255, 0, 150]);
    expect(pixel(0, 0)[3]).toBeGreaterThan(150);
    // The point at (9, 9) lies outside the bounds; empty pixels stay transparent.
    const covered = Array.from({ length: 16 }, (_, p) => image.data[4 * p + 3]!).filter(
      (a) => a > 0,
    );
    expect(covered).toHaveLength(2);
  });

  it('splats a point over a square of pixels, clipped at the edges', () => {
    const image = rasterizeDensity(
      new Float32Array([0.1, 0.1, 5, 5]),
      new Uint8Array([9, 9, 9, 255, 9, 9, 9, 255]),
      [0, 0, 10, 10],
      10,
      10,
      { splat: 3 },
    );
    const covered = Array.from({ length: 100 }, (_, p) => image.data[4 * p + 3]!).filter(
      (a) => a > 0,
    );
    // The corner point keeps 4 of its 9 pixels, the centre point all 9.
    expect(covered).toHaveLength(13);
  });

  it('weights colour by alpha and scales opacity by it: faded papers show faint, a highlighted one wins its pixel', () => {
    // Pixel (0,0): one red paper kept and three blue ones faded to a quarter; pixel (1,0): faded only.
    const positions = new Float32Array([0.5, 1.5, 0.5, 1.5, 0.5, 1.5, 0.5, 1.5, 1.5, 1.5]);
    const red = [255, 0, 0, 255];
    const fadedBlue = [0, 0, 255, 64];
    const colors = new Uint8Array([...red, ...fadedBlue, ...fadedBlue, ...fadedBlue, ...fadedBlue]);
    const image = rasterizeDensity(positions, colors, [0, 0, 2, 2], 2, 2, { splat: 1 });
    const pixel = (p: number) => Array.from(image.data.subarray(4 * p, 4 * p + 4));
    const [r, , b, mixedAlpha] = pixel(0);
    expect(r).toBeGreaterThan(b!);
    const fadedAlpha = pixel(1)[3]!;
    expect(fadedAlpha).toBe(Math.round(150 * (64 / 255)));
    expect(mixedAlpha).toBeGreaterThan(fadedAlpha);
  });

  it('gives the same image when a rasterizer is used again: its sums are cleared after each', () => {
    const positions = new Float32Array([0.2, 0.2, 3.1, 2.7, 3.1, 2.7, 1.9, 0.4]);
    const colors = new Uint8Array([
      9, 80, 200, 215, 200, 10, 10, 215, 1, 2, 3, 120, 50, 60, 70, 215,
    ]);
    const rasterizer = new DensityRasterizer();
    const first = rasterizer.draw(positions, colors, [0, 0, 4, 4], 8, 8);
    const second = rasterizer.draw(positions, colors, [0, 0, 4, 4], 8, 8);
    expect(Array.from(second.data)).toEqual(Array.from(first.data));
    expect(Array.from(first.data)).toEqual(
      Array.from(rasterizeDensity(positions, colors, [0, 0, 4, 4], 8, 8).data),
    );
  });
});
