/**
 * How the map draws its papers for a view: every point when the renderer can draw them all in a frame,
 * the papers in view when few enough are, else an image of their density. DOM-free and unit-tested; the
 * papers layer (`src/view/map/papers-layer.ts`) applies the choice.
 */
import { rectContains, type WorldRect } from './geometry.ts';
import type { PointGrid } from './point-grid.ts';

/**
 * How the map draws its papers: each point, or (with more papers in view than the renderer can draw
 * one by one in a frame) an image of their density, until zooming in leaves few enough in view.
 */
export type RenderMode = 'points' | 'density';

/**
 * Points a software renderer (SwiftShader, llvmpipe) draws one by one: there a frame of 100,000
 * instanced points costs over a second, and 10,000 about a tenth of that. GPUs draw them all.
 */
export const SOFTWARE_POINT_BUDGET = 10_000;
/** The papers drawn one by one are collected this share beyond the view on each side. */
export const IN_VIEW_MARGIN = 0.25;
/** The density image covers the view and this share more on each side, so small pans need no redraw. */
export const DENSITY_MARGIN = 0.15;
const DENSITY_MAX_SIDE = 2048;

/** The papers drawn one by one when the map has more than the budget: those in `rect`. */
export interface InViewPapers {
  indices: Uint32Array;
  rect: WorldRect;
}

export type Detail =
  { mode: 'points'; inView: null } | { mode: 'points'; inView: InViewPapers } | { mode: 'density' };

/** The world rectangle a camera shows in a canvas, grown by `margin` of its size on each side. */
export function viewRect(
  camera: { x: number; y: number; zoom: number },
  width: number,
  height: number,
  margin = 0,
): WorldRect {
  const scale = 2 ** camera.zoom;
  const halfWidth = (width / scale / 2) * (1 + 2 * margin);
  const halfHeight = (height / scale / 2) * (1 + 2 * margin);
  return [camera.x - halfWidth, camera.y - halfHeight, camera.x + halfWidth, camera.y + halfHeight];
}

/**
 * The detail for a view. `view(margin)` is the view rectangle grown by a margin; `current` is kept
 * (the same object) while its papers still cover the view, so pans reuse them.
 */
export function chooseDetail(options: {
  count: number;
  budget: number;
  view: (margin: number) => WorldRect;
  grid: () => PointGrid;
  current: Detail | null;
}): Detail {
  const { count, budget, view, current } = options;
  if (count <= budget) {
    return current?.mode === 'points' && current.inView === null
      ? current
      : { mode: 'points', inView: null };
  }
  if (current?.mode === 'points' && current.inView && rectContains(current.inView.rect, view(0)))
    return current;
  const grid = options.grid();
  // A wide margin lets pans and small zooms reuse the collected papers; near the budget, the view alone.
  const rect = [view(IN_VIEW_MARGIN), view(0.05)].find(
    (candidate) => grid.countIn(candidate, budget) <= budget,
  );
  if (rect) return { mode: 'points', inView: { indices: grid.indicesIn(rect), rect } };
  return current?.mode === 'density' ? current : { mode: 'density' };
}

/** Where a density image lies and how fine it is. */
export interface DensityFrame {
  rect: WorldRect;
  /** World units per image pixel. */
  texel: number;
  width: number;
  height: number;
}

/** The image to splat for a view: the view and a margin, about one image pixel per CSS pixel. */
export function densityFrame(view: (margin: number) => WorldRect, zoom: number): DensityFrame {
  const rect = view(DENSITY_MARGIN);
  const texel = Math.max(
    2 ** -zoom,
    (rect[2] - rect[0]) / DENSITY_MAX_SIDE,
    (rect[3] - rect[1]) / DENSITY_MAX_SIDE,
  );
  return { rect, texel, width: (rect[2] - rect[0]) / texel, height: (rect[3] - rect[1]) / texel };
}

/** Whether a density image spans the view at about one image pixel per CSS pixel. */
export function densityCoversView(
  image: { bounds: WorldRect; texel: number },
  view: WorldRect,
  zoom: number,
): boolean {
  const texelPerPixel = image.texel * 2 ** zoom;
  return rectContains(image.bounds, view) && texelPerPixel > 0.7 && texelPerPixel < 1.5;
}

/** The positions and colours of the papers at `indices`, in that order. */
export function pointsAt(
  indices: ArrayLike<number>,
  allPositions: Float32Array,
  allColors: Uint8Array,
): { positions: Float32Array; colors: Uint8Array } {
  const positions = new Float32Array(indices.length * 2);
  const colors = new Uint8Array(indices.length * 4);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]!;
    positions[2 * k] = allPositions[2 * i]!;
    positions[2 * k + 1] = allPositions[2 * i + 1]!;
    colors.set(allColors.subarray(4 * i, 4 * i + 4), 4 * k);
  }
  return { positions, colors };
}

/** Point radius in pixels by how many are drawn: zoomed into a large map, the few in view grow. */
export function pointRadius(drawn: number): number {
  return drawn > 200_000 ? 1.2 : drawn > 20_000 ? 2 : drawn > 2_000 ? 3 : 4.5;
}

/** Highlights of up to this many papers are drawn larger and ringed over the dimmed map. */
export const RINGED_HIGHLIGHT_MAX = 20_000;
/** The alpha kept by papers outside a large highlight (the dimmed map's opacity over its usual). */
export const FADED_ALPHA = 0.25;

/**
 * How a highlight stands out: a few papers (ten search hits) are drawn again, larger and ringed, over
 * the dimmed map, so they are found at a glance; many (a brushed year range) keep their colour while
 * the rest fade in the one layer of points. Drawing tens of thousands of papers a second time in a
 * layer of their own multiplies a frame's cost on software renderers (seconds per frame at 30,000
 * papers in headless Chromium's SwiftShader, against a quarter of a second for the whole map).
 */
export function highlightStyle(count: number | null): 'none' | 'ringed' | 'faded-rest' {
  if (count === null) return 'none';
  return count <= RINGED_HIGHLIGHT_MAX ? 'ringed' : 'faded-rest';
}

/** `colors` (n × RGBA) with the alpha of every paper outside `highlighted` scaled by `keep`. */
export function fadeOutside(
  colors: Uint8Array,
  highlighted: ArrayLike<number>,
  keep: number,
): Uint8Array {
  const shown = new Uint8Array(colors.length);
  for (let a = 3; a < colors.length; a += 4) {
    shown[a - 3] = colors[a - 3]!;
    shown[a - 2] = colors[a - 2]!;
    shown[a - 1] = colors[a - 1]!;
    shown[a] = Math.round(colors[a]! * keep);
  }
  for (let k = 0; k < highlighted.length; k++) {
    const a = 4 * highlighted[k]! + 3;
    shown[a] = colors[a]!;
  }
  return shown;
}
