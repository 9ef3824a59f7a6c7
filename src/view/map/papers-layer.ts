/**
 * The papers as one deck.gl layer: every point, or those in view, or an image of their density (the
 * choice is `chooseDetail`'s, made again as the viewport moves), with the highlighted papers standing
 * out from the rest and markers for the hovered and selected paper. `getPickingInfo` turns whatever sub-layer was
 * picked into a paper index, so the deck's owner never sees the level of detail.
 */
import {
  CompositeLayer,
  type DefaultProps,
  type GetPickingInfoParams,
  type Layer,
  type PickingInfo,
  type UpdateParameters,
} from '@deck.gl/core';
import { BitmapLayer, ScatterplotLayer, type ScatterplotLayerProps } from '@deck.gl/layers';
import { DensityRasterizer } from '../model/density.ts';
import type { WorldRect } from '../model/geometry.ts';
import {
  chooseDetail,
  densityCoversView,
  densityFrame,
  fadeOutside,
  FADED_ALPHA,
  highlightStyle,
  pointRadius,
  pointsAt,
  viewRect,
  type Detail,
  type RenderMode,
} from '../model/level-of-detail.ts';
import { PointGrid } from '../model/point-grid.ts';

/** How close (CSS pixels) the pointer must be to a paper to hover or click it. */
export const PICK_RADIUS = 6;
/** While the camera moves, the density image is redrawn at most this often (ms). */
const DENSITY_REDRAW_MS = 120;
/**
 * While the colours change (a brush sends a new highlight every frame) the density image is drawn at
 * this share of its resolution, a quarter of the pixels to splat and upload, and again in full once
 * the colours have rested for DENSITY_REST_MS (longer than a frame takes on a software renderer, so
 * a brush there does not pay for a full image between its moves).
 */
const DENSITY_COARSE_SCALE = 0.5;
const DENSITY_REST_MS = 250;

export interface PapersLayerProps {
  /** n × 2 positions; a new array is a new map. */
  positions: Float32Array;
  /** n × RGBA; a new array is a new colouring. */
  colors: Uint8Array;
  /** Papers that stand out while the others dim; null highlights nothing. */
  highlighted: Int32Array | null;
  selected: number;
  /** Marked only on the density image; points show hover themselves. */
  hovered: number;
  /** Points the renderer draws one by one in a frame. */
  pointBudget: number;
  dark: boolean;
  /** Called when the mode changes or its first image is ready (`drawn`). */
  onDetailChange: (mode: RenderMode, drawn: boolean) => void;
}

interface BinaryPoints {
  length: number;
  attributes: {
    getPosition: { value: Float32Array; size: 2 };
    getFillColor: { value: Uint8Array; size: 4; normalized: true };
  };
}

function binaryPoints(positions: Float32Array, colors: Uint8Array): BinaryPoints {
  return {
    length: positions.length / 2,
    attributes: {
      getPosition: { value: positions, size: 2 },
      getFillColor: { value: colors, size: 4, normalized: true },
    },
  };
}

interface DensityImage {
  image: ImageData;
  bounds: WorldRect;
  texel: number;
}

interface PapersLayerState {
  [key: string]: unknown;
  grid: PointGrid | null;
  detail: Detail | null;
  /** What the points sub-layer draws: every paper, or those in view. */
  points: BinaryPoints | null;
  /** The colours drawn: the props' own, or with the papers outside a large highlight faded. */
  shownColors: Uint8Array | null;
  /** A small highlight, drawn larger and ringed over the dimmed map. */
  highlighted: BinaryPoints | null;
  density: DensityImage | null;
  densityTimer: ReturnType<typeof setTimeout> | null;
  rasterizer: DensityRasterizer;
  /** What `onDetailChange` was last told. */
  reported: { mode: RenderMode; drawn: boolean } | null;
}

const defaultProps: DefaultProps<PapersLayerProps> = {
  highlighted: null,
  selected: -1,
  hovered: -1,
  pointBudget: Infinity,
  dark: false,
  onDetailChange: { type: 'function', value: () => undefined },
};

export class PapersLayer extends CompositeLayer<PapersLayerProps> {
  static override layerName = 'PapersLayer';
  static override defaultProps = defaultProps;
  declare state: PapersLayerState;

  override initializeState(): void {
    this.setState({
      grid: null,
      detail: null,
      points: null,
      shownColors: null,
      highlighted: null,
      density: null,
      densityTimer: null,
      rasterizer: new DensityRasterizer(),
      reported: null,
    });
  }

  /** The viewport moving can change the level of detail, so it updates the layer too. */
  override shouldUpdateState({ changeFlags }: UpdateParameters<this>): boolean {
    return changeFlags.somethingChanged;
  }

  override updateState({ props, oldProps }: UpdateParameters<this>): void {
    const mapChanged = props.positions !== oldProps.positions;
    const coloursChanged =
      mapChanged ||
      props.colors !== oldProps.colors ||
      props.highlighted !== oldProps.highlighted ||
      !this.state.shownColors;
    if (mapChanged) this.setState({ grid: null, detail: null, density: null, reported: null });
    if (coloursChanged) {
      const style = highlightStyle(props.highlighted?.length ?? null);
      this.setState({
        shownColors:
          style === 'faded-rest'
            ? fadeOutside(props.colors, props.highlighted!, FADED_ALPHA)
            : props.colors,
        highlighted: style === 'ringed' ? this.highlightedPoints() : null,
      });
    }
    const previous = this.state.detail;
    const detail = this.chooseDetail();
    if (detail !== previous || coloursChanged) {
      this.setState({ detail, points: this.pointsFor(detail) });
    }
    if (detail.mode === 'density') {
      if (coloursChanged && this.state.density) {
        this.setState({ density: this.drawDensity(DENSITY_COARSE_SCALE) });
        this.scheduleDensity(DENSITY_REST_MS, { restart: true });
      } else if (!this.state.density) this.scheduleDensity(0);
      else if (!this.densityCovers()) this.scheduleDensity(DENSITY_REDRAW_MS);
    }
    const drawn = detail.mode === 'points' || this.state.density !== null;
    if (detail.mode !== this.state.reported?.mode || drawn !== this.state.reported.drawn) {
      this.setState({ reported: { mode: detail.mode, drawn } });
      props.onDetailChange(detail.mode, drawn);
    }
  }

  override finalizeState(context: Parameters<Layer['finalizeState']>[0]): void {
    if (this.state.densityTimer) clearTimeout(this.state.densityTimer);
    super.finalizeState(context);
  }

  /** The paper under a picked sub-layer pixel, as `info.index` (-1 for none). */
  override getPickingInfo({ info, sourceLayer }: GetPickingInfoParams): PickingInfo {
    const id = sourceLayer?.id ?? '';
    let paper = -1;
    if (id.endsWith('-points') && info.index >= 0) {
      const { detail } = this.state;
      paper =
        detail?.mode === 'points' && detail.inView
          ? (detail.inView.indices[info.index] ?? -1)
          : info.index;
    } else if (id.endsWith('-density') && info.coordinate && this.state.grid) {
      const [x, y] = info.coordinate as number[];
      paper = this.state.grid.nearest(x!, y!, PICK_RADIUS / 2 ** this.context.viewport.zoom);
    }
    return { ...info, index: paper, object: paper >= 0 ? paper : undefined };
  }

  override renderLayers() {
    const { positions, selected, hovered, dark } = this.props;
    const { detail, points, density, highlighted } = this.state;
    if (!detail) return [];
    const radius = pointRadius(points?.length ?? positions.length / 2);
    const dimmed = highlighted !== null;
    const ring: [number, number, number, number] = dark ? [255, 255, 255, 255] : [20, 24, 32, 255];
    return [
      detail.mode === 'density' &&
        density &&
        new BitmapLayer(
          this.getSubLayerProps({
            id: 'density',
            image: density.image,
            bounds: density.bounds,
            opacity: dimmed ? 0.22 : 0.9,
            pickable: true,
          }),
        ),
      detail.mode === 'points' &&
        points &&
        new ScatterplotLayer(
          this.getSubLayerProps({
            id: 'points',
            data: points,
            radiusUnits: 'pixels',
            getRadius: radius,
            radiusMinPixels: 0.8,
            opacity: dimmed ? 0.22 : 0.9,
            pickable: true,
            autoHighlight: true,
            highlightColor: ring,
            updateTriggers: { getFillColor: points.attributes.getFillColor.value },
          }),
        ),
      highlighted &&
        new ScatterplotLayer(
          this.getSubLayerProps({
            id: 'highlighted',
            data: highlighted,
            radiusUnits: 'pixels',
            getRadius: radius + 1.5,
            stroked: true,
            lineWidthUnits: 'pixels',
            getLineWidth: 1,
            getLineColor: dark ? [17, 20, 26, 220] : [255, 255, 255, 230],
            pickable: false,
            updateTriggers: {
              getFillColor: highlighted.attributes.getFillColor.value,
              getPosition: highlighted.attributes.getPosition.value,
            },
          }),
        ),
      detail.mode === 'density' &&
        hovered >= 0 &&
        this.marker('hovered', hovered, { getRadius: radius + 2, getFillColor: ring }),
      selected >= 0 &&
        this.marker('selected', selected, {
          getRadius: radius + 6,
          filled: false,
          stroked: true,
          lineWidthUnits: 'pixels',
          getLineWidth: 2.5,
          getLineColor: ring,
        }),
    ];
  }

  /** One paper marked over the map. */
  private marker(
    id: string,
    index: number,
    style: Partial<ScatterplotLayerProps<number>>,
  ): ScatterplotLayer<number> {
    const { positions } = this.props;
    return new ScatterplotLayer<number>(
      this.getSubLayerProps({
        id,
        data: [index],
        getPosition: (i: number) => [positions[2 * i]!, positions[2 * i + 1]!],
        radiusUnits: 'pixels',
        pickable: false,
        updateTriggers: { getPosition: index },
        ...style,
      }),
    );
  }

  private view(margin: number): WorldRect {
    const viewport = this.context.viewport;
    const [x, y] = viewport.unproject([viewport.width / 2, viewport.height / 2]);
    return viewRect({ x: x!, y: y!, zoom: viewport.zoom }, viewport.width, viewport.height, margin);
  }

  private chooseDetail(): Detail {
    const { positions, pointBudget } = this.props;
    return chooseDetail({
      count: positions.length / 2,
      budget: pointBudget,
      view: (margin) => this.view(margin),
      grid: () => this.grid(),
      current: this.state.detail,
    });
  }

  private grid(): PointGrid {
    if (!this.state.grid) this.setState({ grid: PointGrid.build(this.props.positions) });
    return this.state.grid!;
  }

  private pointsFor(detail: Detail): BinaryPoints | null {
    const { positions } = this.props;
    const colors = this.state.shownColors!;
    if (detail.mode === 'density') return null;
    if (!detail.inView) return binaryPoints(positions, colors);
    const picked = pointsAt(detail.inView.indices, positions, colors);
    return binaryPoints(picked.positions, picked.colors);
  }

  private highlightedPoints(): BinaryPoints | null {
    const { highlighted, positions, colors } = this.props;
    if (!highlighted) return null;
    const picked = pointsAt(highlighted, positions, colors);
    for (let k = 3; k < picked.colors.length; k += 4) picked.colors[k] = 255;
    return binaryPoints(picked.positions, picked.colors);
  }

  private densityCovers(): boolean {
    const { density } = this.state;
    return density !== null && densityCoversView(density, this.view(0), this.context.viewport.zoom);
  }

  /**
   * Draws the density image in a task of its own, so it never lengthens the task showing the map. A
   * drawing already scheduled stands, unless `restart` puts it off for another `delay`.
   */
  private scheduleDensity(delay: number, { restart = false } = {}): void {
    if (this.state.densityTimer) {
      if (!restart) return;
      clearTimeout(this.state.densityTimer);
    }
    const densityTimer = setTimeout(() => {
      this.state.densityTimer = null;
      // Deck hands the state on to each new instance of the layer; draw with the newest props.
      const layer = this.internalState?.layer as PapersLayer | null | undefined;
      if (!layer || layer.state.detail?.mode !== 'density') return;
      layer.setState({ density: layer.drawDensity() });
      layer.setNeedsUpdate();
    }, delay);
    this.state.densityTimer = densityTimer;
  }

  /**
   * Splats the papers around the view into an image of about one pixel per CSS pixel, or `scale` of
   * that (each paper then covering one coarser pixel instead of two by two).
   */
  private drawDensity(scale = 1): DensityImage {
    const frame = densityFrame((margin) => this.view(margin), this.context.viewport.zoom);
    const image = this.state.rasterizer.draw(
      this.props.positions,
      this.state.shownColors ?? this.props.colors,
      frame.rect,
      frame.width * scale,
      frame.height * scale,
      { splat: scale < 1 ? 1 : 2 },
    );
    return {
      image: new ImageData(image.data, image.width, image.height),
      bounds: image.bounds,
      texel: frame.texel / scale,
    };
  }
}
