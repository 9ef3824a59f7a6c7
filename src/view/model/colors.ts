/**
 * Point colours and their legend for each way of colouring the map. Colours go to the GPU as one
 * Uint8Array (n × RGBA); every legend entry knows its members so a click can highlight them.
 */
import type { AtlasMap, ClusterNode } from '../../pipeline/atlas-map.ts';
import { mapFirstLabelLevel } from './labels.ts';
import type { ColorBy } from '../share/url-state.ts';

export type Rgb = [number, number, number];

export interface LegendEntry {
  key: string;
  label: string;
  color: Rgb;
  count: number;
}

export interface Colouring {
  colorBy: ColorBy;
  /** RGBA per paper. */
  colors: Uint8Array;
  legend: LegendEntry[];
  /** Legend entry index per paper, -1 for papers in no entry. */
  entryOf: Int32Array;
}

/**
 * Twenty categorical colours, chosen greedily in CIELAB for the largest smallest difference between
 * any two (ΔE76 ≥ 33) and from the grey of "Other", starting from four Tableau hues, at lightness
 * 45–82 so each reads on light and dark backgrounds. A colouring with more values gives the most
 * frequent 20 their own colour and the rest one grey "Other".
 */
export const CATEGORY_PALETTE: Rgb[] = [
  [78, 121, 167],
  [242, 142, 43],
  [225, 87, 89],
  [89, 161, 79],
  [170, 0, 255],
  [255, 136, 238],
  [0, 221, 0],
  [51, 102, 238],
  [204, 204, 0],
  [255, 0, 0],
  [0, 221, 221],
  [136, 102, 51],
  [255, 0, 136],
  [255, 0, 221],
  [153, 85, 136],
  [221, 204, 119],
  [204, 187, 255],
  [255, 170, 170],
  [34, 136, 119],
  [0, 221, 119],
];
/** "Other" and noise: one grey, apart from every palette colour. */
export const OTHER_COLOR: Rgb = [170, 170, 170];
export const NOISE_COLOR: Rgb = [148, 152, 160];
const NOISE_ALPHA = 120;
const POINT_ALPHA = 215;
/** Category-like colourings keep this many most common values and fold the rest into "Other". */
const MAX_ENTRIES = CATEGORY_PALETTE.length;

/** Viridis at a few stops, interpolated: perceptually even, readable in light and dark. */
const RAMP: Rgb[] = [
  [68, 1, 84],
  [65, 68, 135],
  [42, 120, 142],
  [34, 168, 132],
  [122, 209, 81],
  [253, 231, 37],
];

export function rampColor(t: number): Rgb {
  const clamped = Math.max(0, Math.min(1, t)) * (RAMP.length - 1);
  const at = Math.min(RAMP.length - 2, Math.floor(clamped));
  const f = clamped - at;
  const a = RAMP[at]!;
  const b = RAMP[at + 1]!;
  return [0, 1, 2].map((c) => Math.round(a[c]! + (b[c]! - a[c]!) * f)) as Rgb;
}

export function colourMap(map: AtlasMap, colorBy: ColorBy): Colouring {
  switch (colorBy) {
    case 'cluster':
      return byCluster(map);
    case 'year':
      return byYear(map);
    case 'category':
      return byValue(map, 'category', (i) => map.papers[i]?.categories?.[0]);
    case 'source':
      return byValue(map, 'source', (i) => map.papers[i]?.source);
  }
}

function paint(colorBy: ColorBy, n: number, legend: LegendEntry[], entryOf: Int32Array): Colouring {
  const colors = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    const entry = entryOf[i]!;
    const color = entry >= 0 ? legend[entry]!.color : NOISE_COLOR;
    colors[4 * i] = color[0];
    colors[4 * i + 1] = color[1];
    colors[4 * i + 2] = color[2];
    colors[4 * i + 3] = entry >= 0 ? POINT_ALPHA : NOISE_ALPHA;
  }
  return { colorBy, colors, legend, entryOf };
}

/**
 * The clusters of the level whose labels the fitted view shows (`mapFirstLabelLevel`), largest first:
 * each broad region keeps one hue, and its clusters on that level are lighter and darker shades of it,
 * so regions read at a glance and neighbouring topics still differ.
 */
function byCluster(map: AtlasMap): Colouring {
  const n = map.papers.length;
  const level = mapFirstLabelLevel(map);
  const labels = map.clusterLevels[level] ?? new Int32Array(n).fill(-1);
  const byId = new Map(map.clusters.map((c) => [c.id, c]));
  const rootOf = (cluster: ClusterNode): ClusterNode => {
    let node = cluster;
    while (node.parent !== null && byId.has(node.parent)) node = byId.get(node.parent)!;
    return node;
  };
  const bySize = (a: ClusterNode, b: ClusterNode) => b.size - a.size || a.id - b.id;
  const roots = map.clusters.filter((c) => c.level === 0).sort(bySize);
  const rootIndex = new Map(roots.map((c, k) => [c.id, k]));
  const shown = map.clusters.filter((c) => c.level === level).sort(bySize);
  const shadesOf = new Map<number, ClusterNode[]>();
  for (const cluster of shown) {
    const root = rootOf(cluster).id;
    shadesOf.set(root, [...(shadesOf.get(root) ?? []), cluster]);
  }
  const entryIndex = new Map(shown.map((c, k) => [c.id, k]));
  const entryOf = new Int32Array(n);
  const counts = new Int32Array(shown.length);
  for (let i = 0; i < n; i++) {
    const entry = entryIndex.get(labels[i]!) ?? -1;
    entryOf[i] = entry;
    if (entry >= 0) counts[entry]!++;
  }
  const legend = shown.map((c, k): LegendEntry => {
    const root = rootOf(c).id;
    const siblings = shadesOf.get(root)!;
    const hue = CATEGORY_PALETTE[(rootIndex.get(root) ?? k) % CATEGORY_PALETTE.length]!;
    return {
      key: String(c.id),
      label: c.label,
      color: shade(hue, siblings.indexOf(c), siblings.length),
      count: counts[k]!,
    };
  });
  return paint('cluster', n, legend, entryOf);
}

/** Shade `k` of `count` of a hue: the hue itself for one, else from darker to lighter around it. */
function shade(color: Rgb, k: number, count: number): Rgb {
  if (count <= 1) return color;
  const t = -0.35 + (0.7 * k) / (count - 1);
  const target = t < 0 ? 0 : 255;
  return color.map((c) => Math.round(c + (target - c) * Math.abs(t))) as Rgb;
}

/** The most common values in their own hues; the rest share one "Other" entry. */
function byValue(
  map: AtlasMap,
  colorBy: ColorBy,
  valueOf: (i: number) => string | undefined,
): Colouring {
  const n = map.papers.length;
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const value = valueOf(i);
    if (value !== undefined && value !== '') counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const kept = ranked.length > MAX_ENTRIES ? ranked.slice(0, MAX_ENTRIES) : ranked;
  const legend: LegendEntry[] = kept.map(([value, count], k) => ({
    key: value,
    label: value,
    color: CATEGORY_PALETTE[k]!,
    count,
  }));
  const entryIndex = new Map(kept.map(([value], k) => [value, k]));
  const otherCount = ranked.slice(kept.length).reduce((total, [, count]) => total + count, 0);
  const other = otherCount > 0 ? legend.length : -1;
  if (otherCount > 0) {
    legend.push({
      key: '\u0000other',
      label: `Other (${ranked.length - kept.length} more)`,
      color: OTHER_COLOR,
      count: otherCount,
    });
  }
  const entryOf = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const value = valueOf(i);
    entryOf[i] = value === undefined || value === '' ? -1 : (entryIndex.get(value) ?? other);
  }
  return paint(colorBy, n, legend, entryOf);
}

/** Years on a sequential ramp: one entry per year when few, else even bins of whole years. */
function byYear(map: AtlasMap): Colouring {
  const n = map.papers.length;
  let min = Infinity;
  let max = -Infinity;
  for (const paper of map.papers) {
    if (paper.year === undefined) continue;
    min = Math.min(min, paper.year);
    max = Math.max(max, paper.year);
  }
  const entryOf = new Int32Array(n).fill(-1);
  if (!Number.isFinite(min)) return paint('year', n, [], entryOf);
  const span = max - min + 1;
  const binCount = Math.min(span, 10);
  const binWidth = Math.ceil(span / binCount);
  const bins = Math.ceil(span / binWidth);
  const legend: LegendEntry[] = Array.from({ length: bins }, (_, b) => {
    const from = min + b * binWidth;
    const to = Math.min(max, from + binWidth - 1);
    return {
      key: `${from}-${to}`,
      label: from === to ? String(from) : `${from}–${to}`,
      color: rampColor(bins === 1 ? 0.5 : b / (bins - 1)),
      count: 0,
    };
  });
  for (let i = 0; i < n; i++) {
    const year = map.papers[i]!.year;
    if (year === undefined) continue;
    const bin = Math.floor((year - min) / binWidth);
    entryOf[i] = bin;
    legend[bin]!.count++;
  }
  return paint('year', n, legend, entryOf);
}

/** Alpha of papers a time step shows that are not new in it, under new ones at full strength. */
const OLDER_IN_WINDOW_ALPHA = 110;

/**
 * The colours with the papers new in a time step (`isNew[i] === 1`) at full strength and the rest
 * fainter, so the window's newest papers stand out while the window plays.
 */
export function emphasiseNew(colors: Uint8Array, isNew: Uint8Array): Uint8Array {
  const out = colors.slice();
  for (let i = 0; i < isNew.length; i++) {
    out[4 * i + 3] = isNew[i] ? 255 : Math.min(out[4 * i + 3]!, OLDER_IN_WINDOW_ALPHA);
  }
  return out;
}

/** The legend's entries with their counts among the papers that pass the filters (`passes[i] === 1`). */
export function legendUnderFilter(colouring: Colouring, passes: Uint8Array): LegendEntry[] {
  const counts = new Uint32Array(colouring.legend.length);
  const { entryOf } = colouring;
  for (let i = 0; i < passes.length; i++) {
    if (passes[i] && entryOf[i]! >= 0) counts[entryOf[i]!]!++;
  }
  return colouring.legend.map((entry, k) => ({ ...entry, count: counts[k]! }));
}
