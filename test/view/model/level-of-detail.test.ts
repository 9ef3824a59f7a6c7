import { describe, expect, it } from 'vitest';
import type { WorldRect } from '../../../src/view/model/geometry.ts';
import * as detailOf from '../../../src/view/model/level-of-detail.ts';
import { PointGrid } from '../../../src/view/model/point-grid.ts';

/** A 100 × 100 lattice of papers, one per unit square. */
function lattice(): Float32Array {
  const positions = new Float32Array(100 * 100 * 2);
  for (let i = 0; i < 100 * 100; i++) {
    positions[2 * i] = i % 100;
    positions[2 * i + 1] = Math.floor(i / 100);
  }
  return positions;
}

const positions = lattice();
const grid = PointGrid.build(positions);
/** The detail for a view of `half` units around (50, 50) with a budget of 1,000 points. */
const detailFor = (half: number, current: detailOf.Detail | null = null) =>
  detailOf.chooseDetail({
    count: 10_000,
    budget: 1_000,
    view: around(half),
    grid: () => grid,
    current,
  });
/** A view of `half` units each side of (50, 50), grown by the margin as the explorer does. */
const around =
  (half: number) =>
  (margin: number): WorldRect => {
    const grow = half * (1 + 2 * margin);
    return [50 - grow, 50 - grow, 50 + grow, 50 + grow];
  };

describe('level of detail', () => {
  it('draws every point within the budget, keeping the same detail object', () => {
    const options = { count: 10_000, budget: 20_000, view: around(50), grid: () => grid };
    const first = detailOf.chooseDetail({ ...options, current: null });
    expect(first).toEqual({ mode: 'points', inView: null });
    expect(detailOf.chooseDetail({ ...options, current: first })).toBe(first);
  });

  it('draws the papers in view when few enough are, and reuses them while they cover the view', () => {
    const first = detailFor(10);
    expect(first.mode).toBe('points');
    const inView = (first as Extract<detailOf.Detail, { inView: object }>).inView;
    // The view and a quarter more on each side: 30 units across, about 31 × 31 papers.
    expect(inView.indices.length).toBeGreaterThan(800);
    expect(inView.indices.length).toBeLessThanOrEqual(1_000);
    for (const i of inView.indices) {
      expect(positions[2 * i]).toBeGreaterThanOrEqual(inView.rect[0]);
      expect(positions[2 * i]).toBeLessThanOrEqual(inView.rect[2]);
    }
    const panned = detailOf.chooseDetail({
      count: 10_000,
      budget: 1_000,
      view: (margin) => around(10)(margin).map((v) => v + 2) as WorldRect,
      grid: () => grid,
      current: first,
    });
    expect(panned).toBe(first);
  });

  it('falls back to the density image with too many papers in view', () => {
    const detail = detailFor(50);
    expect(detail).toEqual({ mode: 'density' });
    expect(detailFor(50, detail)).toBe(detail);
  });

  it('frames the density image at about one pixel per CSS pixel, capped in size', () => {
    const frame = detailOf.densityFrame(around(50), 3);
    expect(frame.texel).toBeCloseTo(1 / 8);
    expect(frame.rect).toEqual(around(50)(0.15));
    expect(frame.width).toBeCloseTo(130 * 8);
    const far = detailOf.densityFrame(around(5000), 3);
    expect(far.width).toBeLessThanOrEqual(2048 + 1e-6);
    const image = { bounds: frame.rect, texel: frame.texel };
    expect(detailOf.densityCoversView(image, around(50)(0), 3)).toBe(true);
    expect(detailOf.densityCoversView(image, around(80)(0), 3)).toBe(false);
    expect(detailOf.densityCoversView(image, around(50)(0), 5)).toBe(false);
  });

  it('computes the view rectangle of a camera', () => {
    expect(detailOf.viewRect({ x: 10, y: 20, zoom: 1 }, 200, 100)).toEqual([-40, -5, 60, 45]);
    expect(detailOf.viewRect({ x: 0, y: 0, zoom: 0 }, 100, 100, 0.5)).toEqual([
      -100, -100, 100, 100,
    ]);
  });

  it('gathers positions and colours of chosen papers, and sizes points by how many are drawn', () => {
    const colors = new Uint8Array(3 * 4).map((_, k) => k);
    const picked = detailOf.pointsAt([2, 0], new Float32Array([0, 1, 2, 3, 4, 5]), colors);
    expect(Array.from(picked.positions)).toEqual([4, 5, 0, 1]);
    expect(Array.from(picked.colors)).toEqual([8, 9, 10, 11, 0, 1, 2, 3]);
    expect(detailOf.pointRadius(500)).toBeGreaterThan(detailOf.pointRadius(50_000));
    expect(detailOf.pointRadius(50_000)).toBeGreaterThan(detailOf.pointRadius(500_000));
  });

  it('rings a few highlighted papers and fades the rest around many', () => {
    expect(detailOf.highlightStyle(null)).toBe('none');
    expect(detailOf.highlightStyle(10)).toBe('ringed');
    expect(detailOf.highlightStyle(detailOf.RINGED_HIGHLIGHT_MAX)).toBe('ringed');
    expect(detailOf.highlightStyle(detailOf.RINGED_HIGHLIGHT_MAX + 1)).toBe('faded-rest');
    const colors = Uint8Array.from([10, 20, 30, 200, 40, 50, 60, 255, 70, 80, 90, 100]);
    const shown = detailOf.fadeOutside(colors, [1], 0.25);
    expect(Array.from(shown)).toEqual([10, 20, 30, 50, 40, 50, 60, 255, 70, 80, 90, 25]);
    expect(Array.from(colors.subarray(0, 4))).toEqual([10, 20, 30, 200]);
  });
});
