/**
 * Owns the deck.gl instance of an explorer: builds layers from the map and the view's highlight state,
 * keeps the camera, places labels for the zoom, and answers projection and picking questions. Point data
 * is fed as binary attributes with a stable identity; colour and highlight changes go through
 * `updateTriggers` or small overlay layers, so a million points are never re-read from objects.
 */
import { Deck, LinearInterpolator, OrthographicView, type PickingInfo } from '@deck.gl/core';
import {
  BitmapLayer,
  PolygonLayer,
  ScatterplotLayer,
  TextLayer,
  type ScatterplotLayerProps,
} from '@deck.gl/layers';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AtlasMap } from '../../pipeline/atlas-map.ts';
import type { Colouring, Rgb } from '../model/colors.ts';
import { rasterizeDensity } from '../model/density.ts';
import { boundsOf, convexHulls, rectContains, type WorldRect } from '../model/geometry.ts';
import {
  firstLabelLevel,
  labelLevelForZoom,
  placeLabels,
  type LabelCandidate,
} from '../model/labels.ts';
import { PointGrid } from '../model/point-grid.ts';
import type { ViewCamera } from '../share/url-state.ts';

/**
 * How the map draws its papers: each point, or (with more papers in view than the renderer can draw
 * one by one in a frame) an image of their density, until zooming in leaves few enough in view.
 */
export type RenderMode = 'points' | 'density';

export interface MapCallbacks {
  onHover(index: number, x: number, y: number): void;
  onClick(index: number): void;
  onViewChange(camera: ViewCamera): void;
  onFirstFrame(): void;
  onRenderModeChange(mode: RenderMode): void;
  /** Background work for the map (cluster hulls) is done. */
  onSettled(): void;
}

export interface PlacedLabel {
  id: number;
  text: string;
  position: [number, number];
  size: number;
  level: number;
}

interface BinaryPoints {
  length: number;
  attributes: {
    getPosition: { value: Float32Array; size: 2 };
    getFillColor: { value: Uint8Array; size: 4; normalized: true };
  };
}

interface HullDatum {
  id: number;
  polygon: [number, number][];
  color: Rgb;
}

interface Theme {
  dark: boolean;
  text: [number, number, number, number];
  halo: [number, number, number, number];
  ring: [number, number, number, number];
}

const LIGHT: Theme = {
  dark: false,
  text: [28, 32, 40, 255],
  halo: [255, 255, 255, 235],
  ring: [20, 24, 32, 255],
};
const DARK: Theme = {
  dark: true,
  text: [236, 239, 244, 255],
  halo: [17, 20, 26, 235],
  ring: [255, 255, 255, 255],
};
/**
 * Points a software renderer (SwiftShader, llvmpipe) draws one by one: there a frame of 100,000
 * instanced points costs over a second, and 10,000 about a tenth of that. GPUs draw them all.
 */
const SOFTWARE_POINT_BUDGET = 10_000;
/** How close (CSS pixels) the pointer must be to a paper to hover or click it. */
const PICK_RADIUS = 6;
/** The density image covers the view and this share more on each side, so small pans need no redraw. */
const DENSITY_MARGIN = 0.15;
const DENSITY_MAX_SIDE = 2048;
/** The papers drawn one by one are collected this share beyond the view on each side. */
const IN_VIEW_MARGIN = 0.25;
/** While the camera moves, the density image is redrawn at most this often (ms). */
const DENSITY_REDRAW_MS = 120;

interface DensityLayerImage {
  image: ImageData;
  bounds: WorldRect;
  /** World units per image pixel. */
  texel: number;
}

const FONT_FAMILY = 'Inter, "Segoe UI", system-ui, -apple-system, Roboto, sans-serif';
const LABEL_SIZES = [16, 13, 12];

/** The positions and colours of the papers at `indices`, in that order. */
function pointsAt(
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

export class AtlasMapController implements ReactiveController {
  private deck: Deck<OrthographicView> | null = null;
  private container: HTMLDivElement | null = null;
  private map: AtlasMap | null = null;
  private points: BinaryPoints | null = null;
  /** Until the renderer is known, large maps start as density images. */
  private pointBudget = SOFTWARE_POINT_BUDGET;
  private grid: PointGrid | null = null;
  /** With more papers than the budget but few in view: the papers in view, and what they draw. */
  private inView: { indices: Uint32Array; data: BinaryPoints; rect: WorldRect } | null = null;
  private density: DensityLayerImage | null = null;
  private densityTimer: ReturnType<typeof setTimeout> | null = null;
  private renderMode: RenderMode = 'points';
  private hovered = -1;
  private colouring: Colouring | null = null;
  private colourVersion = 0;
  private emphasis: { positions: Float32Array; colors: Uint8Array; count: number } | null = null;
  private emphasisVersion = 0;
  private selected = -1;
  private camera: ViewCamera = { x: 0, y: 0, zoom: 0 };
  private fitZoom = 0;
  private labelLevel = 0;
  private labelZoom = Number.NaN;
  private placed: PlacedLabel[] = [];
  private hullsByLevel = new Map<number, HullDatum[]>();
  private hullTimer: ReturnType<typeof setTimeout> | null = null;
  private pendingCamera: ViewCamera | null = null;
  private firstFrameDone = false;
  private hideLabelLayer = false;
  private captureRequest: ((canvas: HTMLCanvasElement) => void) | null = null;
  private theme: Theme = LIGHT;
  private readonly darkQuery =
    typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly callbacks: MapCallbacks,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.theme = this.darkQuery?.matches ? DARK : LIGHT;
    this.darkQuery?.addEventListener('change', this.onSchemeChange);
  }

  hostDisconnected(): void {
    this.darkQuery?.removeEventListener('change', this.onSchemeChange);
    if (this.hullTimer) clearTimeout(this.hullTimer);
    if (this.densityTimer) clearTimeout(this.densityTimer);
    this.deck?.finalize();
    this.deck = null;
    this.container = null;
  }

  private readonly onSchemeChange = (event: MediaQueryListEvent) => {
    this.theme = event.matches ? DARK : LIGHT;
    this.render();
  };

  /** Creates the deck in `container` (once) and shows `map`, fitting the camera unless one is given. */
  attach(
    container: HTMLDivElement,
    map: AtlasMap,
    colouring: Colouring,
    camera?: ViewCamera,
  ): void {
    const mapChanged = map !== this.map;
    this.map = map;
    this.colouring = colouring;
    if (mapChanged) {
      this.points = {
        length: map.papers.length,
        attributes: {
          getPosition: { value: map.positions, size: 2 },
          getFillColor: { value: colouring.colors, size: 4, normalized: true },
        },
      };
      this.colourVersion++;
      this.emphasis = null;
      this.selected = -1;
      this.hovered = -1;
      this.grid = null;
      this.inView = null;
      this.density = null;
      this.hullsByLevel = new Map();
      this.labelZoom = Number.NaN;
      this.firstFrameDone = false;
    }
    if (!this.deck || this.container !== container) {
      this.deck?.finalize();
      this.container = container;
      this.deck = new Deck<OrthographicView>({
        parent: container,
        views: new OrthographicView({
          id: 'map',
          flipY: false,
          controller: { doubleClickZoom: true, inertia: 250 },
        }),
        initialViewState: { target: [0, 0, 0], zoom: 0 },
        layers: [],
        pickingRadius: 6,
        useDevicePixels: true,
        getCursor: ({ isDragging, isHovering }) =>
          isDragging ? 'grabbing' : isHovering ? 'pointer' : 'grab',
        onViewStateChange: ({ viewState }) => {
          const target = viewState.target as number[];
          this.setCamera({ x: target[0] ?? 0, y: target[1] ?? 0, zoom: viewState.zoom as number });
        },
        onHover: (info) => this.handleHover(info),
        onClick: (info) => this.handleClick(info),
        onResize: () => {
          if (this.pendingCamera === null && !this.firstFrameDone) this.fit();
          this.updateDetail();
          this.render();
        },
        onDeviceInitialized: (device) => {
          this.pointBudget = device.info.gpuType === 'cpu' ? SOFTWARE_POINT_BUDGET : Infinity;
          this.updateDetail();
          this.render();
        },
        onAfterRender: () => this.afterRender(),
        onError: (error) => console.error('Map rendering failed:', error),
      });
    }
    if (mapChanged) {
      this.pendingCamera = camera ?? null;
      const fitted = this.fittedCamera();
      if (fitted) this.fitZoom = fitted.zoom;
      const start = camera ?? fitted;
      if (start) this.jumpTo(start);
      this.scheduleHulls();
    }
    this.render();
  }

  get pointCount(): number {
    return this.points?.length ?? 0;
  }

  get mode(): RenderMode {
    return this.renderMode;
  }

  get zoom(): number {
    return this.camera.zoom;
  }

  get view(): ViewCamera {
    return { ...this.camera };
  }

  get labels(): readonly PlacedLabel[] {
    return this.placed;
  }

  setColouring(colouring: Colouring): void {
    this.colouring = colouring;
    if (this.points)
      this.points.attributes.getFillColor = { value: colouring.colors, size: 4, normalized: true };
    this.colourVersion++;
    if (this.density) this.drawDensity();
    this.inView = null;
    this.updateDetail();
    this.hullsByLevel = new Map(
      [...this.hullsByLevel].map(([level, hulls]) => [level, this.colourHulls(hulls)]),
    );
    this.render();
  }

  /** Emphasises these papers (search hits, a legend entry, a selection) and dims the rest; null clears. */
  setEmphasis(indices: ArrayLike<number> | null): void {
    if (!indices || !this.map || !this.colouring) {
      this.emphasis = null;
    } else {
      const { positions, colors } = pointsAt(indices, this.map.positions, this.colouring.colors);
      for (let k = 3; k < colors.length; k += 4) colors[k] = 255;
      this.emphasis = { positions, colors, count: indices.length };
    }
    this.emphasisVersion++;
    this.render();
  }

  setSelected(index: number): void {
    this.selected = index;
    this.render();
  }

  /** Moves the camera to paper `index`, zooming in to at least topic level. */
  flyTo(index: number, duration = 650): void {
    if (!this.map) return;
    const x = this.map.positions[2 * index]!;
    const y = this.map.positions[2 * index + 1]!;
    const zoom = Math.max(this.camera.zoom, this.fitZoom + 2.5);
    this.jumpTo({ x, y, zoom }, duration);
  }

  /** Sets the camera, animated over `duration` ms when given. */
  jumpTo(camera: ViewCamera, duration = 0): void {
    this.deck?.setProps({
      initialViewState: {
        target: [camera.x, camera.y, 0],
        zoom: camera.zoom,
        minZoom: this.fitZoom - 4,
        maxZoom: this.fitZoom + 14,
        ...(duration > 0
          ? {
              transitionDuration: duration,
              transitionInterpolator: new LinearInterpolator(['target', 'zoom']),
            }
          : {}),
      },
    });
    if (duration === 0) this.setCamera(camera);
  }

  /** Fits the whole map into the canvas with a margin. */
  fit(duration = 0): void {
    const camera = this.fittedCamera();
    if (!camera) return;
    this.fitZoom = camera.zoom;
    this.jumpTo(camera, duration);
  }

  /** The camera that shows the whole map with a margin; its zoom anchors label levels and zoom limits. */
  private fittedCamera(): ViewCamera | null {
    if (!this.map || !this.container) return null;
    const [minX, minY, maxX, maxY] = boundsOf(this.map.positions) ?? [-1, -1, 1, 1];
    const width = Math.max(1, this.container.clientWidth);
    const height = Math.max(1, this.container.clientHeight);
    const spanX = Math.max(maxX - minX, 1e-6);
    const spanY = Math.max(maxY - minY, 1e-6);
    const zoom = Math.log2(Math.min(width / spanX, height / spanY) * 0.86);
    return { x: (minX + maxX) / 2, y: (minY + maxY) / 2, zoom };
  }

  /** Client (page) coordinates of paper `index`, or null before the first frame. */
  paperToScreen(index: number): { x: number; y: number } | null {
    const viewport = this.deck?.getViewports()[0];
    if (!viewport || !this.map || !this.container || index < 0 || index >= this.map.papers.length)
      return null;
    const [px, py] = viewport.project([
      this.map.positions[2 * index]!,
      this.map.positions[2 * index + 1]!,
    ]) as number[];
    const rect = this.container.getBoundingClientRect();
    return { x: rect.left + px!, y: rect.top + py! };
  }

  /** The paper drawn at client coordinates, or -1. */
  screenToPaper(x: number, y: number): number {
    if (!this.deck || !this.container) return -1;
    const rect = this.container.getBoundingClientRect();
    if (this.renderMode === 'density') return this.nearestPaper(x - rect.left, y - rect.top);
    const info = this.deck.pickObject({
      x: x - rect.left,
      y: y - rect.top,
      radius: PICK_RADIUS,
      layerIds: ['points'],
    });
    return info ? this.pickedPaper(info) : -1;
  }

  /** Canvas-relative CSS pixel position of a map point. */
  projectWorld(x: number, y: number): [number, number] | null {
    const viewport = this.deck?.getViewports()[0];
    if (!viewport) return null;
    const [px, py] = viewport.project([x, y]) as number[];
    return [px!, py!];
  }

  /** World coordinates of a point in client coordinates. */
  unproject(x: number, y: number): [number, number] | null {
    const viewport = this.deck?.getViewports()[0];
    if (!viewport || !this.container) return null;
    const rect = this.container.getBoundingClientRect();
    const [wx, wy] = viewport.unproject([x - rect.left, y - rect.top]) as number[];
    return [wx!, wy!];
  }

  /** A copy of the current frame without the label layer; the caller draws the labels as text. */
  captureFrame(): Promise<HTMLCanvasElement> {
    return new Promise((resolve) => {
      this.captureRequest = resolve;
      this.hideLabelLayer = true;
      this.render();
      this.deck?.redraw('export');
    });
  }

  /** Client rectangle of the canvas area. */
  get bounds(): DOMRect | null {
    return this.container?.getBoundingClientRect() ?? null;
  }

  private afterRender(): void {
    if (this.captureRequest && this.deck) {
      const source = this.deck.getCanvas();
      if (source) {
        const copy = document.createElement('canvas');
        copy.width = source.width;
        copy.height = source.height;
        copy.getContext('2d')?.drawImage(source, 0, 0);
        const resolve = this.captureRequest;
        this.captureRequest = null;
        this.hideLabelLayer = false;
        this.render();
        resolve(copy);
      }
    }
    const papersDrawn = this.renderMode === 'points' || this.density !== null;
    if (!this.firstFrameDone && this.points && papersDrawn) {
      this.firstFrameDone = true;
      this.callbacks.onFirstFrame();
    }
  }

  private setCamera(camera: ViewCamera): void {
    this.camera = camera;
    const detailChanged = this.updateDetail();
    const map = this.map;
    const level = labelLevelForZoom(
      camera.zoom,
      this.fitZoom,
      map?.clusterLevels.length ?? 0,
      undefined,
      map
        ? firstLabelLevel(
            map.clusterLevels.map((_, l) => map.clusters.filter((c) => c.level === l).length),
          )
        : 0,
    );
    if (level !== this.labelLevel || !(Math.abs(camera.zoom - this.labelZoom) < 0.15)) {
      this.labelLevel = level;
      this.placeLabels();
      this.render();
    } else if (detailChanged) {
      this.render();
    }
    this.callbacks.onViewChange(this.view);
  }

  private placeLabels(): void {
    const map = this.map;
    if (!map) return;
    this.labelZoom = this.camera.zoom;
    const level = this.labelLevel;
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
    const chosen = new Set(placeLabels(candidates, this.camera.zoom, 6));
    this.placed = candidates
      .filter((c) => chosen.has(c.id))
      .map((c) => ({ id: c.id, text: c.text, position: [c.x, c.y], size, level }));
  }

  /** Hulls take a sort of every point, so they come after the first frame, one level per tick. */
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
          this.colourHulls(
            [...hulls].map(([id, polygon]) => ({ id, polygon, color: [128, 128, 128] as Rgb })),
          ),
        );
        this.render();
        next(level + 1);
      }, 30);
    };
    next(0);
  }

  /** Hull tint: the colour of the cluster's broadest ancestor under the current colouring. */
  private colourHulls(hulls: HullDatum[]): HullDatum[] {
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
      const color: Rgb = entry === undefined ? [140, 146, 158] : colouring.legend[entry]!.color;
      return { ...hull, color };
    });
  }

  private handleHover(info: PickingInfo): void {
    const index = this.pickedPaper(info);
    if (this.renderMode === 'density' && index !== this.hovered) {
      this.hovered = index;
      this.render();
    }
    this.callbacks.onHover(index, info.x, info.y);
  }

  private handleClick(info: PickingInfo): void {
    this.callbacks.onClick(this.pickedPaper(info));
  }

  private pickedPaper(info: PickingInfo): number {
    if (this.renderMode === 'density') return this.nearestPaper(info.x, info.y);
    if (info.index < 0 || info.layer?.id !== 'points') return -1;
    return this.inView ? (this.inView.indices[info.index] ?? -1) : info.index;
  }

  /** The paper nearest a canvas position (CSS pixels) within the pick radius, found on the grid. */
  private nearestPaper(x: number, y: number): number {
    const viewport = this.deck?.getViewports()[0];
    if (!viewport || !this.grid || x < 0 || y < 0) return -1;
    const [wx, wy] = viewport.unproject([x, y]) as number[];
    return this.grid.nearest(wx!, wy!, PICK_RADIUS / 2 ** this.camera.zoom);
  }

  /** The world rectangle in view, grown by `margin` of its size on each side. */
  private viewRect(margin: number): WorldRect {
    const scale = 2 ** this.camera.zoom;
    const halfWidth = ((this.container?.clientWidth ?? 1) / scale / 2) * (1 + 2 * margin);
    const halfHeight = ((this.container?.clientHeight ?? 1) / scale / 2) * (1 + 2 * margin);
    const { x, y } = this.camera;
    return [x - halfWidth, y - halfHeight, x + halfWidth, y + halfHeight];
  }

  /**
   * Chooses how to draw the papers for the current camera: all points when the renderer can, the
   * points in view when few enough are, else the density image (redrawn when the view leaves it).
   * True when the layers must be rebuilt.
   */
  private updateDetail(): boolean {
    const map = this.map;
    if (!map || !this.points || !this.container) return false;
    if (this.points.length <= this.pointBudget) {
      const changed = this.inView !== null || this.renderMode !== 'points';
      this.inView = null;
      this.density = null;
      this.setRenderMode('points');
      return changed;
    }
    if (this.inView && rectContains(this.inView.rect, this.viewRect(0))) return false;
    const grid = (this.grid ??= PointGrid.build(map.positions));
    // A wide margin lets pans and small zooms reuse the collected papers; near the budget, the view alone.
    const rect = [this.viewRect(IN_VIEW_MARGIN), this.viewRect(0.05)].find(
      (candidate) => grid.countIn(candidate, this.pointBudget) <= this.pointBudget,
    );
    if (rect && this.colouring) {
      const indices = grid.indicesIn(rect);
      const { positions, colors } = pointsAt(indices, map.positions, this.colouring.colors);
      this.inView = {
        indices,
        rect,
        data: {
          length: indices.length,
          attributes: {
            getPosition: { value: positions, size: 2 },
            getFillColor: { value: colors, size: 4, normalized: true },
          },
        },
      };
      this.setRenderMode('points');
      return true;
    }
    const changed = this.inView !== null || this.renderMode !== 'density';
    this.inView = null;
    this.setRenderMode('density');
    if (!this.density) this.scheduleDensity(0);
    else if (!this.densityCoversView()) this.scheduleDensity(DENSITY_REDRAW_MS);
    return changed;
  }

  private setRenderMode(mode: RenderMode): void {
    if (mode === this.renderMode) return;
    this.renderMode = mode;
    this.hovered = -1;
    this.callbacks.onRenderModeChange(mode);
  }

  /** Whether the density image spans the view at about one image pixel per CSS pixel. */
  private densityCoversView(): boolean {
    const density = this.density;
    if (!density) return false;
    const texelPerPixel = density.texel * 2 ** this.camera.zoom;
    return (
      rectContains(density.bounds, this.viewRect(0)) && texelPerPixel > 0.7 && texelPerPixel < 1.5
    );
  }

  /** Draws the density image in a task of its own, so it never lengthens the task showing the map. */
  private scheduleDensity(delay: number): void {
    if (this.densityTimer) return;
    this.densityTimer = setTimeout(() => {
      this.densityTimer = null;
      if (this.renderMode !== 'density') return;
      this.drawDensity();
      this.render();
    }, delay);
  }

  /** Splats the papers around the view into an image of about one pixel per CSS pixel. */
  private drawDensity(): void {
    const map = this.map;
    const colouring = this.colouring;
    if (!map || !colouring || !this.container) return;
    const rect = this.viewRect(DENSITY_MARGIN);
    const texel = Math.max(
      2 ** -this.camera.zoom,
      (rect[2] - rect[0]) / DENSITY_MAX_SIDE,
      (rect[3] - rect[1]) / DENSITY_MAX_SIDE,
    );
    const image = rasterizeDensity(
      map.positions,
      colouring.colors,
      rect,
      (rect[2] - rect[0]) / texel,
      (rect[3] - rect[1]) / texel,
    );
    this.density = {
      image: new ImageData(image.data, image.width, image.height),
      bounds: image.bounds,
      texel,
    };
  }

  /** Every paper, or those in view when there are more than the renderer's budget. */
  private pointLayer(data: BinaryPoints, radius: number, dimmed: boolean): ScatterplotLayer {
    const theme = this.theme;
    return new ScatterplotLayer({
      id: 'points',
      data,
      radiusUnits: 'pixels',
      getRadius: radius,
      radiusMinPixels: 0.8,
      opacity: dimmed ? 0.22 : 0.9,
      pickable: true,
      autoHighlight: true,
      highlightColor: theme.dark ? [255, 255, 255, 255] : [20, 24, 32, 255],
      updateTriggers: { getFillColor: this.colourVersion },
    });
  }

  /** One paper marked over the map (hovered on the density image, or selected). */
  private markerLayer(
    id: string,
    index: number,
    positions: Float32Array,
    style: Partial<ScatterplotLayerProps<number>>,
  ): ScatterplotLayer<number> {
    return new ScatterplotLayer<number>({
      id,
      data: [index],
      getPosition: (i) => [positions[2 * i]!, positions[2 * i + 1]!],
      radiusUnits: 'pixels',
      pickable: false,
      updateTriggers: { getPosition: index },
      ...style,
    });
  }

  private render(): void {
    if (!this.deck || !this.points || !this.map) return;
    const map = this.map;
    const n = this.points.length;
    const theme = this.theme;
    // Sized by the points drawn: zoomed into a large map, the few in view grow as on a small map.
    const drawn = this.inView?.data.length ?? n;
    const radius = drawn > 200_000 ? 1.2 : drawn > 20_000 ? 2 : drawn > 2_000 ? 3 : 4.5;
    const dimmed = this.emphasis !== null;
    const hulls = this.hullsByLevel.get(this.labelLevel) ?? [];
    const layers = [
      new PolygonLayer<HullDatum>({
        id: 'hulls',
        data: hulls,
        getPolygon: (d) => d.polygon,
        getFillColor: (d) => [...d.color, theme.dark ? 22 : 26],
        getLineColor: (d) => [...d.color, theme.dark ? 90 : 110],
        lineWidthUnits: 'pixels',
        getLineWidth: 1,
        stroked: true,
        filled: true,
        pickable: false,
        updateTriggers: {
          getFillColor: [this.colourVersion, theme.dark],
          getLineColor: [this.colourVersion, theme.dark],
        },
      }),
      ...(this.renderMode === 'density' && this.density
        ? [
            new BitmapLayer({
              id: 'density',
              image: this.density.image,
              bounds: this.density.bounds,
              opacity: dimmed ? 0.22 : 0.9,
              pickable: false,
            }),
          ]
        : []),
      ...(this.renderMode === 'points'
        ? [this.pointLayer(this.inView?.data ?? this.points, radius, dimmed)]
        : []),
      ...(this.emphasis
        ? [
            new ScatterplotLayer({
              id: 'emphasis',
              data: {
                length: this.emphasis.count,
                attributes: {
                  getPosition: { value: this.emphasis.positions, size: 2 },
                  getFillColor: { value: this.emphasis.colors, size: 4, normalized: true },
                },
              },
              radiusUnits: 'pixels',
              getRadius: radius + 1.5,
              stroked: true,
              lineWidthUnits: 'pixels',
              getLineWidth: 1,
              getLineColor: theme.dark ? [17, 20, 26, 220] : [255, 255, 255, 230],
              pickable: false,
              updateTriggers: {
                getFillColor: this.emphasisVersion,
                getPosition: this.emphasisVersion,
              },
            }),
          ]
        : []),
      ...(this.renderMode === 'density' && this.hovered >= 0
        ? [
            this.markerLayer('hovered', this.hovered, map.positions, {
              getRadius: radius + 2,
              getFillColor: theme.ring,
            }),
          ]
        : []),
      ...(this.selected >= 0
        ? [
            this.markerLayer('selected', this.selected, map.positions, {
              getRadius: radius + 6,
              filled: false,
              stroked: true,
              lineWidthUnits: 'pixels',
              getLineWidth: 2.5,
              getLineColor: theme.ring,
            }),
          ]
        : []),
      new TextLayer<PlacedLabel>({
        id: 'labels',
        data: this.placed,
        visible: !this.hideLabelLayer,
        getText: (d) => d.text,
        getPosition: (d) => d.position,
        getSize: (d) => d.size,
        getColor: theme.text,
        fontFamily: FONT_FAMILY,
        fontWeight: 600,
        characterSet: 'auto',
        fontSettings: { sdf: true, fontSize: 48, buffer: 6 },
        outlineWidth: 0.35,
        outlineColor: theme.halo,
        getTextAnchor: 'middle',
        getAlignmentBaseline: 'center',
        pickable: false,
        updateTriggers: { getColor: theme.dark },
      }),
    ];
    this.deck.setProps({ layers });
  }
}
