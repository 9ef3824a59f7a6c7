/**
 * Owns the deck.gl instance of an explorer: builds layers from the map and the view's highlight state,
 * keeps the camera, places labels for the zoom, and answers projection and picking questions. Point data
 * is fed as binary attributes with a stable identity; colour and highlight changes go through
 * `updateTriggers` or small overlay layers, so a million points are never re-read from objects.
 */
import { Deck, LinearInterpolator, OrthographicView, type PickingInfo } from '@deck.gl/core';
import { PolygonLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
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
import type { ViewCamera } from '../share/url-state.ts';

export interface MapCallbacks {
  onHover(index: number, x: number, y: number): void;
  onClick(index: number): void;
  onViewChange(camera: ViewCamera): void;
  onFirstFrame(): void;
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
const FONT_FAMILY = 'Inter, "Segoe UI", system-ui, -apple-system, Roboto, sans-serif';
const LABEL_SIZES = [16, 13, 12];

export class AtlasMapController implements ReactiveController {
  private deck: Deck<OrthographicView> | null = null;
  private container: HTMLDivElement | null = null;
  private map: AtlasMap | null = null;
  private points: BinaryPoints | null = null;
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
        },
        onAfterRender: () => this.afterRender(),
        onError: (error) => console.error('Map rendering failed:', error),
      });
    }
    if (mapChanged) {
      this.pendingCamera = camera ?? null;
      const fitted = this.fittedCamera();
      if (fitted) this.fitZoom = fitted.zoom;
      if (camera) this.jumpTo(camera);
      else this.fit();
      this.scheduleHulls();
    }
    this.render();
  }

  get pointCount(): number {
    return this.points?.length ?? 0;
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
      const count = indices.length;
      const positions = new Float32Array(count * 2);
      const colors = new Uint8Array(count * 4);
      const source = this.colouring.colors;
      for (let k = 0; k < count; k++) {
        const i = indices[k]!;
        positions[2 * k] = this.map.positions[2 * i]!;
        positions[2 * k + 1] = this.map.positions[2 * i + 1]!;
        colors.set(source.subarray(4 * i, 4 * i + 3), 4 * k);
        colors[4 * k + 3] = 255;
      }
      this.emphasis = { positions, colors, count };
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
    const { positions } = this.map;
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let i = 0; i < positions.length; i += 2) {
      const x = positions[i]!;
      const y = positions[i + 1]!;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    if (!Number.isFinite(minX)) {
      minX = minY = -1;
      maxX = maxY = 1;
    }
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
    const info = this.deck.pickObject({
      x: x - rect.left,
      y: y - rect.top,
      radius: 6,
      layerIds: ['points'],
    });
    return info?.index ?? -1;
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
    if (!this.firstFrameDone && this.points) {
      this.firstFrameDone = true;
      this.callbacks.onFirstFrame();
    }
  }

  private setCamera(camera: ViewCamera): void {
    this.camera = camera;
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
    const index =
      info.layer?.id === 'points' || info.layer?.id === 'emphasis' ? this.pickedPaper(info) : -1;
    this.callbacks.onHover(index, info.x, info.y);
  }

  private handleClick(info: PickingInfo): void {
    this.callbacks.onClick(this.pickedPaper(info));
  }

  private pickedPaper(info: PickingInfo): number {
    if (info.index < 0 || !info.layer) return -1;
    if (info.layer.id === 'points') return info.index;
    return -1;
  }

  private render(): void {
    if (!this.deck || !this.points || !this.map) return;
    const map = this.map;
    const n = this.points.length;
    const theme = this.theme;
    const radius = n > 200_000 ? 1.2 : n > 20_000 ? 2 : n > 2_000 ? 3 : 4.5;
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
      new ScatterplotLayer({
        id: 'points',
        data: this.points,
        radiusUnits: 'pixels',
        getRadius: radius,
        radiusMinPixels: 0.8,
        opacity: dimmed ? 0.22 : 0.9,
        pickable: true,
        autoHighlight: true,
        highlightColor: theme.dark ? [255, 255, 255, 255] : [20, 24, 32, 255],
        updateTriggers: { getFillColor: this.colourVersion },
      }),
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
      ...(this.selected >= 0
        ? [
            new ScatterplotLayer<number>({
              id: 'selected',
              data: [this.selected],
              getPosition: (i) => [map.positions[2 * i]!, map.positions[2 * i + 1]!],
              radiusUnits: 'pixels',
              getRadius: radius + 6,
              filled: false,
              stroked: true,
              lineWidthUnits: 'pixels',
              getLineWidth: 2.5,
              getLineColor: theme.ring,
              pickable: false,
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
