/**
 * Which cluster labels to draw at a zoom level: broad regions far out, finer topics closer in, placed
 * greedily (biggest cluster first) so no two labels overlap on screen. DOM-free and deterministic.
 */

export interface LabelCandidate {
  id: number;
  text: string;
  x: number;
  y: number;
  /** Larger first; usually the cluster size. */
  priority: number;
  /** Font size in pixels. */
  size: number;
}

/** Width of a label in pixels, estimated from its length (an average glyph is ~0.56 em wide). */
export function estimateLabelWidth(text: string, size: number): number {
  return text.length * size * 0.56 + size * 0.6;
}

/**
 * Ids of the candidates drawn at `zoom` (orthographic: one world unit = 2^zoom pixels), chosen greedily
 * by priority so their boxes, padded by `padding` pixels, never overlap.
 */
export function placeLabels(
  candidates: readonly LabelCandidate[],
  zoom: number,
  padding = 4,
): number[] {
  const scale = 2 ** zoom;
  const ordered = [...candidates].sort((a, b) => b.priority - a.priority || a.id - b.id);
  const placed: { x0: number; y0: number; x1: number; y1: number }[] = [];
  const ids: number[] = [];
  for (const label of ordered) {
    const halfWidth = estimateLabelWidth(label.text, label.size) / 2 + padding;
    const halfHeight = (label.size * 1.25) / 2 + padding;
    const cx = label.x * scale;
    const cy = label.y * scale;
    const box = {
      x0: cx - halfWidth,
      y0: cy - halfHeight,
      x1: cx + halfWidth,
      y1: cy + halfHeight,
    };
    const overlaps = placed.some(
      (p) => box.x0 < p.x1 && box.x1 > p.x0 && box.y0 < p.y1 && box.y1 > p.y0,
    );
    if (overlaps) continue;
    placed.push(box);
    ids.push(label.id);
  }
  return ids;
}

/** Labels a reader can take in at a glance on the whole map. */
export const GLANCEABLE_LABELS = 12;

/**
 * The level drawn on the fitted view: the finest whose clusters still fit in a glance, so a small
 * corpus opens on its topics and a large one on its broad regions.
 */
export function firstLabelLevel(clusterCountByLevel: readonly number[]): number {
  let level = 0;
  clusterCountByLevel.forEach((count, index) => {
    if (count <= GLANCEABLE_LABELS) level = index;
  });
  return level;
}

/**
 * The hierarchy level whose labels suit a zoom: `firstLevel` at the fitted view, one level finer per
 * `zoomPerLevel` zoom steps in, never past the finest level.
 */
export function labelLevelForZoom(
  zoom: number,
  fitZoom: number,
  levelCount: number,
  zoomPerLevel = 1.25,
  firstLevel = 0,
): number {
  if (levelCount <= 0) return -1;
  const level = firstLevel + Math.floor((zoom - fitZoom) / zoomPerLevel + 0.35);
  return Math.max(0, Math.min(levelCount - 1, level));
}
