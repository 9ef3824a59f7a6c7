/**
 * Which cluster labels to draw at a zoom level: broad regions far out, finer topics closer in, placed
 * greedily (biggest cluster first) so no two labels overlap on screen, and which label a point is on.
 * DOM-free and deterministic.
 */
import type { WorldRect } from './geometry.ts';

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

export interface PlacedText {
  id: number;
  /** The full label, or its lead term where only that fits. */
  text: string;
}

export interface PlacementOptions {
  /** Pixels kept clear around each label. */
  padding?: number;
  /** The part of the map on screen (world units); without it every label counts as in view. */
  view?: WorldRect | null;
  /** At most this many labels inside `view`; labels outside it are not counted. */
  most?: number;
}

/** How the label pipeline joins a label's terms ("relation extraction · knowledge graphs"). */
const TERM_SEPARATOR = ' · ';

/** The lead term of a label ("graph neural networks" of "graph neural networks · message passing"). */
export function leadTerm(text: string): string {
  return text.split(TERM_SEPARATOR)[0]!;
}

/**
 * The candidates drawn at `zoom` (orthographic: one world unit = 2^zoom pixels), chosen greedily by
 * priority so their boxes, padded by `padding` pixels, never overlap. A label that does not fit whole
 * is tried as its lead term before it is left out.
 */
export function placeLabels(
  candidates: readonly LabelCandidate[],
  zoom: number,
  { padding = 4, view, most = Infinity }: PlacementOptions = {},
): PlacedText[] {
  const scale = 2 ** zoom;
  const ordered = [...candidates].sort((a, b) => b.priority - a.priority || a.id - b.id);
  const placed: Box[] = [];
  const chosen: PlacedText[] = [];
  let inView = 0;
  for (const label of ordered) {
    const visible =
      !view ||
      (label.x >= view[0] && label.x <= view[2] && label.y >= view[1] && label.y <= view[3]);
    if (visible && inView >= most) continue;
    const texts = [label.text, leadTerm(label.text)].filter((t, k, all) => all.indexOf(t) === k);
    for (const text of texts) {
      const box = labelBox(text, label.size, label.x * scale, label.y * scale, padding);
      const overlaps = placed.some(
        (p) => box.x0 < p.x1 && box.x1 > p.x0 && box.y0 < p.y1 && box.y1 > p.y0,
      );
      if (overlaps) continue;
      placed.push(box);
      chosen.push({ id: label.id, text });
      if (visible) inView++;
      break;
    }
  }
  return chosen;
}

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** A label's box in pixels around its centre (cx, cy). */
function labelBox(text: string, size: number, cx: number, cy: number, padding: number): Box {
  const halfWidth = estimateLabelWidth(text, size) / 2 + padding;
  const halfHeight = (size * 1.25) / 2 + padding;
  return { x0: cx - halfWidth, y0: cy - halfHeight, x1: cx + halfWidth, y1: cy + halfHeight };
}

/** A label as drawn: its text, centred on `position` (world units), at `size` pixels. */
export interface DrawnLabel {
  id: number;
  text: string;
  position: readonly [number, number];
  size: number;
}

/**
 * The id of the drawn label whose box holds world point (x, y) at `zoom`, or -1: a click there is on
 * the label, whatever paper lies under it.
 */
export function labelAt(labels: readonly DrawnLabel[], zoom: number, x: number, y: number): number {
  const scale = 2 ** zoom;
  for (const label of labels) {
    const [cx, cy] = label.position;
    const box = labelBox(label.text, label.size, cx * scale, cy * scale, 0);
    const px = x * scale;
    const py = y * scale;
    if (px >= box.x0 && px <= box.x1 && py >= box.y0 && py <= box.y1) return label.id;
  }
  return -1;
}

/** The fitted view of a map shows at least this many topic labels, where the map has them… */
export const FEWEST_FIRST_LABELS = 8;
/** …and at most this many, so a reader can take them in. */
export const MOST_FIRST_LABELS = 25;

/**
 * The level drawn on the fitted view: the broadest level with at least `FEWEST_FIRST_LABELS` clusters
 * (a map of a few broad regions opens on its topics instead), else the finest level. At most
 * `MOST_FIRST_LABELS` of its clusters, the largest, are labelled in a view; colouring by cluster
 * colours this level.
 */
export function firstLabelLevel(clusterCountByLevel: readonly number[]): number {
  const level = clusterCountByLevel.findIndex((count) => count >= FEWEST_FIRST_LABELS);
  return level >= 0 ? level : Math.max(0, clusterCountByLevel.length - 1);
}

/** `firstLabelLevel` of a map's hierarchy. */
export function mapFirstLabelLevel(map: {
  clusterLevels: readonly unknown[];
  clusters: readonly { level: number }[];
}): number {
  const counts = map.clusterLevels.map(() => 0);
  for (const cluster of map.clusters) counts[cluster.level] = (counts[cluster.level] ?? 0) + 1;
  return firstLabelLevel(counts);
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
