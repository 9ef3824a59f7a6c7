/**
 * What the map draws of its clusters: the labels for the zoom (broad regions far out, topics closer in,
 * placed so none overlap, at most `MOST_FIRST_LABELS` in view) and the hulls of the clusters labelled,
 * tinted by the colouring; a hull without its label would be a region the reader cannot name. Hulls
 * take a sort of every point, so they are computed after the map shows, one level per task.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AtlasMap } from '../../pipeline/atlas-map.ts';
import type { Colouring, Rgb } from '../model/colors.ts';
import { convexHulls, type WorldRect } from '../model/geometry.ts';
import {
  labelLevelForZoom,
  mapFirstLabelLevel,
  MOST_FIRST_LABELS,
  placeLabels,
  type LabelCandidate,
} from '../model/labels.ts';
import { memoize } from '../model/memoize.ts';
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

  /** The hulls of the clusters whose labels are drawn (every hull shown has its label), once computed. */
  get hulls(): readonly HullDatum[] {
    return this.labelledHulls(this.hullsByLevel.get(this.level) ?? [], this.labels);
  }

  /** Asked on every camera move; the hierarchy changes only with the map. */
  private readonly firstLevel = memoize(mapFirstLabelLevel);

  private readonly labelledHulls = memoize(
    (hulls: readonly HullDatum[], labels: readonly PlacedLabel[]): readonly HullDatum[] => {
      const labelled = new Set(labels.map((label) => label.id));
      return hulls.filter((hull) => labelled.has(hull.id));
    },
  );

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

  /**
   * Places the labels for a zoom (`fitZoom` shows the whole map) when the level or zoom moved enough:
   * at most `MOST_FIRST_LABELS` of them inside `view`, the part of the map on screen then. Panning
   * alone keeps them where they are, so they do not come and go under the reader's eyes.
   */
  setZoom(zoom: number, fitZoom: number, view: WorldRect | null): void {
    const map = this.map;
    if (!map) return;
    const level = labelLevelForZoom(
      zoom,
      fitZoom,
      map.clusterLevels.length,
      undefined,
      this.firstLevel(map),
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
    const byId = new Map(candidates.map((c) => [c.id, c]));
    const placement = { padding: 6, view, most: MOST_FIRST_LABELS };
    this.labels = placeLabels(candidates, zoom, placement).map(({ id, text }) => {
      const { x, y } = byId.get(id)!;
      return { id, text, position: [x, y], size, level };
    });
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

  /** Hull tint: the colour of the cluster, or of its nearest ancestor the colouring has an entry for. */
  private tint(hulls: HullDatum[]): HullDatum[] {
    const map = this.map;
    const colouring = this.colouring;
    if (!map || !colouring) return hulls;
    const byId = new Map(map.clusters.map((c) => [c.id, c]));
    const legendIndex = new Map(colouring.legend.map((entry, k) => [entry.key, k]));
    return hulls.map((hull) => {
      let node = byId.get(hull.id);
      while (node && node.parent !== null && !legendIndex.has(String(node.id)))
        node = byId.get(node.parent);
      const entry =
        colouring.colorBy === 'cluster' && node ? legendIndex.get(String(node.id)) : undefined;
      const color = entry === undefined ? NEUTRAL_HULL : colouring.legend[entry]!.color;
      return { ...hull, color };
    });
  }
}
