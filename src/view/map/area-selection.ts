/**
 * Box and lasso selection on the map: the drawing mode, the drag in progress (drawn as an SVG path over
 * the map) and the papers inside the finished shape.
 */
import { html, nothing, type ReactiveControllerHost } from 'lit';
import { pointsInBox, pointsInPolygon } from '../model/geometry.ts';

export type SelectMode = 'pan' | 'box' | 'lasso';

type ScreenPoint = [number, number];

export interface AreaSelectionOptions {
  /** The element drags must start on: the map itself, not the toolbar or overlays above it. */
  surface(): HTMLElement | undefined;
  /** Paper positions in map coordinates, or null while no map is shown. */
  positions(): Float32Array | null;
  /** Client coordinates to map coordinates, or null while the map is not drawn. */
  unproject(x: number, y: number): [number, number] | null;
  /** The map's box on screen, for drawing the shape. */
  bounds(): DOMRect | null;
  onDragStart(): void;
  /** The papers in the finished shape, or null when it held none. */
  onSelect(indices: Int32Array | null): void;
}

/** Needs no lifecycle hooks: it changes only on pointer events, and asks the host to redraw. */
export class AreaSelectionController {
  mode: SelectMode = 'pan';
  /** Client coordinates of the drag so far: its two corners for a box, every point for a lasso. */
  private path: ScreenPoint[] | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: AreaSelectionOptions,
  ) {}

  get dragging(): boolean {
    return this.path !== null;
  }

  setMode(mode: SelectMode): void {
    this.mode = mode;
    this.host.requestUpdate();
  }

  /** Drops the drag in progress; true when there was one. */
  cancelDrag(): boolean {
    if (!this.path) return false;
    this.path = null;
    this.host.requestUpdate();
    return true;
  }

  /** Pointer handlers for the map area, registered in the capture phase so deck.gl does not pan. */
  readonly pointerDown = (event: PointerEvent): void => {
    const surface = this.options.surface();
    if (!this.options.positions() || !surface || event.button !== 0) return;
    if (this.mode === 'pan' && !event.shiftKey) return;
    if (!event.composedPath().includes(surface)) return;
    event.stopPropagation();
    event.preventDefault();
    (event.currentTarget as HTMLElement).setPointerCapture(event.pointerId);
    this.path = [[event.clientX, event.clientY]];
    this.options.onDragStart();
    this.host.requestUpdate();
  };

  readonly pointerMove = (event: PointerEvent): void => {
    const path = this.path;
    if (!path) return;
    event.stopPropagation();
    const point: ScreenPoint = [event.clientX, event.clientY];
    this.path = this.mode === 'lasso' ? [...path, point] : [path[0]!, point];
    this.host.requestUpdate();
  };

  readonly pointerUp = (event: PointerEvent): void => {
    const path = this.path;
    const positions = this.options.positions();
    if (!path || !positions) return;
    event.stopPropagation();
    this.path = null;
    this.host.requestUpdate();
    const world = path.map(([x, y]) => this.options.unproject(x, y));
    if (world.some((point) => point === null)) return;
    const corners = world as [number, number][];
    const indices =
      this.mode === 'lasso' && corners.length >= 3
        ? pointsInPolygon(positions, corners)
        : corners.length >= 2
          ? pointsInBox(positions, corners[0]!, corners[corners.length - 1]!)
          : new Int32Array(0);
    this.options.onSelect(indices.length > 0 ? indices : null);
  };

  /** The shape being drawn, over the map. */
  renderOverlay() {
    const path = this.path;
    const bounds = this.options.bounds();
    if (!path || !bounds) return nothing;
    const local = path.map(([x, y]) => [x - bounds.left, y - bounds.top] as const);
    let d: string;
    if (this.mode === 'lasso') d = `M${local.map(([x, y]) => `${x},${y}`).join('L')}Z`;
    else {
      const [a, b] = [local[0]!, local[local.length - 1]!];
      d = `M${a[0]},${a[1]}H${b[0]}V${b[1]}H${a[0]}Z`;
    }
    return html`<svg class="select-overlay" aria-hidden="true"><path d=${d}></path></svg>`;
  }
}
