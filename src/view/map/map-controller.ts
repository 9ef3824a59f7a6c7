/**
 * Owns the deck.gl instance of an explorer: its lifecycle and resizing, the camera, and questions about
 * screen positions. What it draws comes in through `setProps` (partial updates, as in Embedding Atlas's
 * renderer) and becomes layers through the pure `buildLayers`; the papers layer turns picks into paper
 * indices, so this controller never sees how the papers are drawn. A cluster label takes the pointer
 * from the papers under it: hovering it shows no paper, clicking it opens its topic.
 */
import { Deck, LinearInterpolator, OrthographicView, type PickingInfo } from '@deck.gl/core';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { boundsOf, type WorldRect } from '../model/geometry.ts';
import { labelAt } from '../model/labels.ts';
import { SOFTWARE_POINT_BUDGET, type RenderMode } from '../model/level-of-detail.ts';
import type { ViewCamera } from '../share/url-state.ts';
import { buildLayers, type MapLayersState } from './build-layers.ts';
import { PICK_RADIUS } from './papers-layer.ts';

export interface MapCallbacks {
  onHover(index: number, x: number, y: number): void;
  onClick(index: number): void;
  /** The label of cluster `clusterId` was clicked. */
  onLabelClick(clusterId: number): void;
  /** The camera moved; `fitZoom` is the zoom that shows the whole map. */
  onViewChange(camera: ViewCamera, fitZoom: number): void;
  /** The first frame with the papers drawn is on screen. */
  onFirstFrame(): void;
  onRenderModeChange(mode: RenderMode): void;
}

/** What the explorer sets; the renderer's budget and the label hiding are the controller's own. */
export type MapProps = Omit<MapLayersState, 'pointBudget' | 'hideLabels' | 'onDetailChange'>;

/** The whole map with this margin around it fills the canvas when fitted. */
const FIT_SHARE = 0.86;

/** CSS pixels at the canvas's edges that cards cover (toolbar, legend), kept clear when fitting. */
export interface FitInsets {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export class AtlasMapController implements ReactiveController {
  private deck: Deck<OrthographicView> | null = null;
  private container: HTMLDivElement | null = null;
  private state: MapLayersState | null = null;
  /** Until the renderer is known, large maps start as density images. */
  private pointBudget = SOFTWARE_POINT_BUDGET;
  private camera: ViewCamera = { x: 0, y: 0, zoom: 0 };
  private fitInsets: FitInsets = { left: 0, top: 0, right: 0, bottom: 0 };
  private fitZoom = 0;
  /** A camera was given for the current map: resizing keeps it instead of fitting. */
  private cameraGiven = false;
  private papersDrawn = false;
  /** The pointer is over a cluster label, which is clickable. */
  private overLabel = false;
  private firstFrameDone = false;
  private captureRequest: ((canvas: HTMLCanvasElement) => void) | null = null;

  constructor(
    host: ReactiveControllerHost,
    private readonly callbacks: MapCallbacks,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.deck?.finalize();
    this.deck = null;
    this.container = null;
  }

  /**
   * Updates what the map shows; unchanged values cost nothing. A new `positions` array is a new map: the
   * camera then fits it, or takes `camera` when given.
   */
  setProps(container: HTMLDivElement, props: Partial<MapProps>, camera?: ViewCamera): void {
    const previous = this.state;
    const next = previous ? { ...previous, ...props } : this.initialState(props);
    if (!next) return;
    const changed =
      !previous ||
      Object.keys(props).some(
        (key) => props[key as keyof MapProps] !== previous[key as keyof MapProps],
      );
    this.state = next;
    this.ensureDeck(container);
    if (!previous || previous.positions !== next.positions) {
      this.papersDrawn = false;
      this.firstFrameDone = false;
      this.cameraGiven = camera !== undefined;
      const fitted = this.fittedCamera();
      if (fitted) this.fitZoom = fitted.zoom;
      const start = camera ?? fitted;
      if (start) this.jumpTo(start);
    }
    if (changed) this.render();
  }

  get view(): ViewCamera {
    return { ...this.camera };
  }

  /** The part of the map on the canvas at the current camera (map coordinates), or null without one. */
  get worldInView(): WorldRect | null {
    const container = this.container;
    if (!container) return null;
    const scale = 2 ** this.camera.zoom;
    const halfWidth = container.clientWidth / 2 / scale;
    const halfHeight = container.clientHeight / 2 / scale;
    const { x, y } = this.camera;
    return [x - halfWidth, y - halfHeight, x + halfWidth, y + halfHeight];
  }

  /** Moves the camera to paper `index`, zooming in to at least topic level. */
  flyTo(index: number, duration = 650): void {
    const positions = this.state?.positions;
    if (!positions) return;
    const zoom = Math.max(this.camera.zoom, this.fitZoom + 2.5);
    this.jumpTo({ x: positions[2 * index]!, y: positions[2 * index + 1]!, zoom }, duration);
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

  /** Client (page) coordinates of paper `index`, or null before the first frame. */
  paperToScreen(index: number): { x: number; y: number } | null {
    const positions = this.state?.positions;
    if (!positions || index < 0 || 2 * index >= positions.length) return null;
    const at = this.projectWorld(positions[2 * index]!, positions[2 * index + 1]!);
    const rect = this.bounds;
    return at && rect ? { x: rect.left + at[0], y: rect.top + at[1] } : null;
  }

  /** The paper drawn at client coordinates, or -1. */
  screenToPaper(x: number, y: number): number {
    const rect = this.bounds;
    if (!this.deck || !rect) return -1;
    const info = this.deck.pickObject({
      x: x - rect.left,
      y: y - rect.top,
      radius: PICK_RADIUS,
      layerIds: ['papers'],
    });
    return info ? paperOf(info) : -1;
  }

  /** The cluster whose drawn label covers client coordinates (x, y), or -1. */
  screenToLabel(x: number, y: number): number {
    const rect = this.bounds;
    return rect ? this.labelUnder(x - rect.left, y - rect.top) : -1;
  }

  /** The cluster whose drawn label covers canvas point (x, y), or -1. */
  private labelUnder(x: number, y: number): number {
    const viewport = this.deck?.getViewports()[0];
    const labels = this.state?.labels;
    if (!viewport || !labels) return -1;
    const [wx, wy] = viewport.unproject([x, y]) as number[];
    return labelAt(labels, this.camera.zoom, wx!, wy!);
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
    const rect = this.bounds;
    if (!viewport || !rect) return null;
    const [wx, wy] = viewport.unproject([x - rect.left, y - rect.top]) as number[];
    return [wx!, wy!];
  }

  /** A copy of the current frame without the label layer; the caller draws the labels as text. */
  captureFrame(): Promise<HTMLCanvasElement> {
    return new Promise((resolve) => {
      this.captureRequest = resolve;
      this.render();
      this.deck?.redraw('export');
    });
  }

  /** Client rectangle of the canvas area. */
  get bounds(): DOMRect | null {
    return this.container?.getBoundingClientRect() ?? null;
  }

  private initialState(props: Partial<MapProps>): MapLayersState | null {
    const { positions, colors } = props;
    if (!positions || !colors) return null;
    return {
      highlighted: null,
      selected: -1,
      hovered: -1,
      dark: false,
      hulls: [],
      labels: [],
      added: null,
      ...props,
      positions,
      colors,
      pointBudget: this.pointBudget,
      hideLabels: false,
      onDetailChange: (mode, drawn) => {
        this.papersDrawn = drawn;
        this.callbacks.onRenderModeChange(mode);
      },
    };
  }

  private ensureDeck(container: HTMLDivElement): void {
    if (this.deck && this.container === container) return;
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
      pickingRadius: PICK_RADIUS,
      useDevicePixels: true,
      getCursor: ({ isDragging, isHovering }) =>
        isDragging ? 'grabbing' : isHovering || this.overLabel ? 'pointer' : 'grab',
      onViewStateChange: ({ viewState }) => {
        const target = viewState.target as number[];
        this.setCamera({ x: target[0] ?? 0, y: target[1] ?? 0, zoom: viewState.zoom as number });
      },
      onHover: (info) => {
        this.overLabel = this.labelUnder(info.x, info.y) >= 0;
        this.callbacks.onHover(this.overLabel ? -1 : paperOf(info), info.x, info.y);
      },
      onClick: (info) => {
        const label = this.labelUnder(info.x, info.y);
        if (label >= 0) this.callbacks.onLabelClick(label);
        else this.callbacks.onClick(paperOf(info));
      },
      onResize: () => {
        if (!this.cameraGiven && !this.firstFrameDone) this.fit();
        this.render();
      },
      onDeviceInitialized: (device) => {
        this.pointBudget = device.info.gpuType === 'cpu' ? SOFTWARE_POINT_BUDGET : Infinity;
        if (this.state) this.state = { ...this.state, pointBudget: this.pointBudget };
        this.render();
      },
      onAfterRender: () => this.afterRender(),
      onError: (error) => console.error('Map rendering failed:', error),
    });
  }

  /** Keeps `insets` clear of the map when it is fitted (from the next fit on). */
  setFitInsets(insets: FitInsets): void {
    this.fitInsets = insets;
  }

  /**
   * The camera that shows the whole map with a margin, inside the part of the canvas the cards leave
   * clear (all of it where that part would be too small); its zoom anchors label levels and zoom limits.
   */
  private fittedCamera(): ViewCamera | null {
    const positions = this.state?.positions;
    if (!positions || !this.container) return null;
    const [minX, minY, maxX, maxY] = boundsOf(positions) ?? [-1, -1, 1, 1];
    const fullWidth = Math.max(1, this.container.clientWidth);
    const fullHeight = Math.max(1, this.container.clientHeight);
    const { left, top, right, bottom } = this.fitInsets;
    const roomy =
      fullWidth - left - right >= fullWidth / 2 && fullHeight - top - bottom >= fullHeight / 2;
    const inset = roomy ? this.fitInsets : { left: 0, top: 0, right: 0, bottom: 0 };
    const width = fullWidth - inset.left - inset.right;
    const height = fullHeight - inset.top - inset.bottom;
    const spanX = Math.max(maxX - minX, 1e-6);
    const spanY = Math.max(maxY - minY, 1e-6);
    const scale = Math.min(width / spanX, height / spanY) * FIT_SHARE;
    // The clear part's centre is off the canvas's centre by half the difference of opposite insets
    // (y points up on this view: a top inset moves the map down, so the camera up).
    return {
      x: (minX + maxX) / 2 - (inset.left - inset.right) / 2 / scale,
      y: (minY + maxY) / 2 + (inset.top - inset.bottom) / 2 / scale,
      zoom: Math.log2(scale),
    };
  }

  private setCamera(camera: ViewCamera): void {
    this.camera = camera;
    this.callbacks.onViewChange(this.view, this.fitZoom);
  }

  private afterRender(): void {
    const source = this.captureRequest ? this.deck?.getCanvas() : null;
    if (this.captureRequest && source) {
      const copy = document.createElement('canvas');
      copy.width = source.width;
      copy.height = source.height;
      copy.getContext('2d')?.drawImage(source, 0, 0);
      const resolve = this.captureRequest;
      this.captureRequest = null;
      this.render();
      resolve(copy);
    }
    if (!this.firstFrameDone && this.state && this.papersDrawn) {
      this.firstFrameDone = true;
      this.callbacks.onFirstFrame();
    }
  }

  private render(): void {
    if (!this.deck || !this.state) return;
    const hideLabels = this.captureRequest !== null;
    if (hideLabels !== this.state.hideLabels) this.state = { ...this.state, hideLabels };
    this.deck.setProps({ layers: buildLayers(this.state) });
  }
}

/** The paper a pick found: the papers layer reports it as the index, other layers find none. */
function paperOf(info: PickingInfo): number {
  return info.layer?.id === 'papers' ? info.index : -1;
}
