/**
 * The density overview of a large map: points splatted into an RGBA image of the visible region, each
 * pixel coloured by the mean colour of its points and as opaque as their count warrants. On a software
 * renderer a frame of 100,000 instanced points costs over a second; one textured quad costs nothing, so
 * the map shows this image until few enough points are in view to draw them one by one.
 */

import type { WorldRect } from './geometry.ts';

export interface DensityImage {
  width: number;
  height: number;
  /** Row 0 is the top (maxY) of `bounds`, as images are laid out. */
  data: Uint8ClampedArray<ArrayBuffer>;
  bounds: WorldRect;
}

export interface DensityOptions {
  /** Side of the square each point covers, in pixels (default 2). */
  splat?: number;
  /** Alpha of a pixel covered by one point (default 150); more points approach 255. */
  baseAlpha?: number;
}

/**
 * Splats points into an image (`draw`). Each pixel takes the mean colour of its points weighted by
 * their alpha, and an opacity that grows with their count, scaled by their mean alpha: faded papers (a
 * highlight's rest) show faint, noise a little fainter than clusters. The per-pixel sums are kept
 * between images and cleared pixel by pixel after each: a brush redraws the image every frame, and
 * allocating (and zeroing) tens of megabytes of sums each time cost more than the splatting.
 */
export class DensityRasterizer {
  /** Per pixel: point count, alpha sum, then the alpha-weighted sums of red, green and blue. */
  private sums = new Float32Array(0);
  /** The pixels in use (offsets into `sums`), so the final pass skips the empty ones. */
  private touched = new Uint32Array(0);

  /** Splats the points inside `bounds` into a `width × height` image. */
  draw(
    positions: Float32Array,
    colors: Uint8Array,
    bounds: WorldRect,
    width: number,
    height: number,
    options: DensityOptions = {},
  ): DensityImage {
    const splat = Math.max(1, Math.round(options.splat ?? 2));
    const baseAlpha = options.baseAlpha ?? 150;
    const w = Math.max(1, Math.floor(width));
    const h = Math.max(1, Math.floor(height));
    const [minX, minY, maxX, maxY] = bounds;
    const scaleX = w / Math.max(maxX - minX, 1e-12);
    const scaleY = h / Math.max(maxY - minY, 1e-12);
    if (this.sums.length < w * h * 5) this.sums = new Float32Array(w * h * 5);
    const touchedMax = Math.min(w * h, (positions.length / 2) * splat * splat);
    if (this.touched.length < touchedMax) this.touched = new Uint32Array(touchedMax);
    const { sums, touched } = this;
    let touchedCount = 0;
    const half = (splat - 1) / 2;
    for (let i = 0, n = positions.length / 2; i < n; i++) {
      const x = positions[2 * i]!;
      const y = positions[2 * i + 1]!;
      if (x < minX || x > maxX || y < minY || y > maxY) continue;
      const column = Math.floor((x - minX) * scaleX - half);
      const row = Math.floor((maxY - y) * scaleY - half);
      const a = colors[4 * i + 3]!;
      const r = colors[4 * i]! * a;
      const g = colors[4 * i + 1]! * a;
      const b = colors[4 * i + 2]! * a;
      for (let py = Math.max(0, row); py < Math.min(h, row + splat); py++) {
        for (let px = Math.max(0, column); px < Math.min(w, column + splat); px++) {
          const p = 5 * (py * w + px);
          if (sums[p]!++ === 0) touched[touchedCount++] = p;
          sums[p + 1]! += a;
          sums[p + 2]! += r;
          sums[p + 3]! += g;
          sums[p + 4]! += b;
        }
      }
    }
    const data = new Uint8ClampedArray(w * h * 4);
    const alphaRange = 255 - baseAlpha;
    for (let k = 0; k < touchedCount; k++) {
      const p = touched[k]!;
      const count = sums[p]!;
      const alpha = sums[p + 1]!;
      const out = (p / 5) * 4;
      if (alpha > 0) {
        data[out] = sums[p + 2]! / alpha;
        data[out + 1] = sums[p + 3]! / alpha;
        data[out + 2] = sums[p + 4]! / alpha;
        data[out + 3] =
          (baseAlpha + alphaRange * (1 - 1 / Math.sqrt(count))) * (alpha / count / 255);
      }
      sums.fill(0, p, p + 5);
    }
    return { width: w, height: h, data, bounds: [minX, minY, maxX, maxY] };
  }
}
