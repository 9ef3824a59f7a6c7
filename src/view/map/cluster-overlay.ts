/**
 * What the map draws of its clusters: the labels for the zoom (broad regions far out, topics closer in,
 * placed so none overlap) and the hulls of the same level, tinted by the colouring. Hulls take a sort
 * of every point, so they are computed after the map shows, one level per task.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AtlasMap } from '../../pipeline/atlas-map.ts';
import type { Colouring, Rgb } from '../model/colors.ts';
import { convexHulls } from '../model/geometry.ts';
import {
  firstLabelLevel,
  labelLevelForZoom,
  placeLabels,
  type LabelCandidate,
} from '../model/labels.ts';
import type { HullDatum, PlacedLabel } from './build-layers.ts';

const LABEL_SIZES = [16, 13, 12];
/** Labels are placed again once the zoom has moved this far. */
const LABEL_ZOOM_STEP = 0.15;
const HULL_TICK_MS = 30;
const NEUTRAL_HULL: Rgb = [140, 146, 158];

export class ClusterOverlay implements ReactiveController {
  /** The labels placed for the current zoom. */
  labels: readonly PlacedLabel[] = [];
  private map: AtlasMap | null = null;
  private colouring: Colouring | null = null;
  private level = 0;
  private labelZoom = Number.NaN;
  private hullsByLevel = new Map<number, HullDatum[]>();
  private hullTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    host: ReactiveControllerHost,
    private readonly callbacks: {
      /** The labels or hulls to draw changed. */
      onChange(): void;
      /** Every level's hulls are done. */
      onSettled(): void;
    },
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    if (this.hullTimer) clearTimeout(this.hullTimer);
  }

  /** The hulls of the labelled level, once computed. */
  get hulls(): readonly HullDatum[] {
    return this.hullsByLevel.get(this.level) ?? [];
  }

  setMap(map: AtlasMap | null, colouring: Colouring | null): void {
    if (map === this.map) return this.setColouring(colouring);
    this.map = map;
    this.colouring = colouring;
    this.hullsByLevel = new Map();
    this.labels = [];
    this.labelZoom = Number.NaN;
    this.scheduleHulls();
  }

  setColouring(colouring: Colouring | null): void {
    if (colouring === this.colouring) return;
    this.colouring = colouring;
    this.hullsByLevel = new Map(
      [...this.hullsByLevel].map(([level, hulls]) => [level, this.tint(hulls)]),
    );
    this.callbacks.onChange();
  }

  /** Places the labels for a zoom (`fitZoom` shows the whole map) when the level or zoom moved enough. */
  setZoom(zoom: number, fitZoom: number): void {
    const map = this.map;
    if (!map) return;
    const counts = map.clusterLevels.map(
      (_, l) => map.clusters.filter((c) => c.level === l).length,
    );
    const level = labelLevelForZoom(
      zoom,
      fitZoom,
      map.clusterLevels.length,
      undefined,
      firstLabelLevel(counts),
    );
    if (level === this.level && Math.abs(zoom - this.labelZoom) < LABEL_ZOOM_STEP) return;
    this.level = level;
    this.labelZoom = zoom;
    const size = LABEL_SIZES[Math.min(level, LABEL_SIZES.length - 1)]!;
    const candidates: LabelCandidate[] = map.clusters
      .filter((c) => c.level === level && c.label)
      .map((c) => ({
        id: c.id,
        text: c.label,
        x: c.centroid[0],
        y: c.centroid[1],
        priority: c.size,
        size,
      }));
    const chosen = new Set(placeLabels(candidates, zoom, 6));
    this.labels = candidates
      .filter((c) => chosen.has(c.id))
      .map((c) => ({ id: c.id, text: c.text, position: [c.x, c.y], size, level }));
    this.callbacks.onChange();
  }

  private scheduleHulls(): void {
    if (this.hullTimer) clearTimeout(this.hullTimer);
    const map = this.map;
    if (!map) return;
    const next = (level: number) => {
      this.hullTimer = setTimeout(() => {
        if (this.map !== map) return;
        if (level >= map.clusterLevels.length) {
          this.callbacks.onSettled();
          return;
        }
        const hulls = convexHulls(map.positions, map.clusterLevels[level]!);
        this.hullsByLevel.set(
          level,
          this.tint([...hulls].map(([id, polygon]) => ({ id, polygon, color: NEUTRAL_HULL }))),
        );
        if (level === this.level) this.callbacks.onChange();
        next(level + 1);
      }, HULL_TICK_MS);
    };
    next(0);
  }

  /** Hull tint: the colour of the cluster's broadest ancestor under the current colouring. */
  private tint(hulls: HullDatum[]): HullDatum[] {
    const map = this.map;
    const colouring = this.colouring;
    if (!map || !colouring) return hulls;
    const byId = new Map(map.clusters.map((c) => [c.id, c]));
    const legendIndex = new Map(colouring.legend.map((entry, k) => [entry.key, k]));
    return hulls.map((hull) => {
      let node = byId.get(hull.id);
      while (node && node.parent !== null) node = byId.get(node.parent);
      const entry =
        colouring.colorBy === 'cluster' && node ? legendIndex.get(String(node.id)) : undefined;
      const color = entry === undefined ? NEUTRAL_HULL : colouring.legend[entry]!.color;
      return { ...hull, color };
    });
  }
}
