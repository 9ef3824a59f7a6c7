/**
 * The map's layers as a pure function of what it shows: cluster hulls under the papers, the papers
 * (`PapersLayer`), and the placed labels over them. Nothing here reads the DOM or keeps state, so unit
 * tests build the layers and inspect their props.
 */
import { PolygonLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { Rgb } from '../model/colors.ts';
import { PapersLayer, type PapersLayerProps } from './papers-layer.ts';

export interface HullDatum {
  id: number;
  polygon: [number, number][];
  color: Rgb;
}

export interface PlacedLabel {
  id: number;
  text: string;
  position: [number, number];
  size: number;
  level: number;
}

/** Everything the map draws: the papers as the papers layer takes them, and the clusters' hulls and labels. */
export interface MapLayersState extends PapersLayerProps {
  hulls: readonly HullDatum[];
  labels: readonly PlacedLabel[];
  /** Hidden while a PNG is captured: the export draws the labels as text. */
  hideLabels: boolean;
  /** Positions (m × 2) of the papers just added to a grown map, ringed as new; null on other maps. */
  added: Float32Array | null;
}

/** The ring around a newly added paper: radius and stroke in CSS pixels. */
const ADDED_RING_RADIUS = 7;
const ADDED_RING_WIDTH = 2;

const FONT_FAMILY = 'Inter, "Segoe UI", system-ui, -apple-system, Roboto, sans-serif';

export function buildLayers(
  state: MapLayersState,
): [PolygonLayer<HullDatum>, PapersLayer, TextLayer<PlacedLabel>, ScatterplotLayer] {
  const { dark } = state;
  return [
    new PolygonLayer<HullDatum>({
      id: 'hulls',
      data: state.hulls,
      getPolygon: (d) => d.polygon,
      getFillColor: (d) => [...d.color, dark ? 22 : 26],
      getLineColor: (d) => [...d.color, dark ? 90 : 110],
      lineWidthUnits: 'pixels',
      getLineWidth: 1,
      stroked: true,
      filled: true,
      pickable: false,
      updateTriggers: { getFillColor: dark, getLineColor: dark },
    }),
    new PapersLayer({
      id: 'papers',
      positions: state.positions,
      colors: state.colors,
      highlighted: state.highlighted,
      selected: state.selected,
      hovered: state.hovered,
      pointBudget: state.pointBudget,
      dark,
      onDetailChange: state.onDetailChange,
      pickable: true,
    }),
    new TextLayer<PlacedLabel>({
      id: 'labels',
      data: state.labels,
      visible: !state.hideLabels,
      getText: (d) => d.text,
      getPosition: (d) => d.position,
      getSize: (d) => d.size,
      getColor: dark ? [236, 239, 244, 255] : [28, 32, 40, 255],
      fontFamily: FONT_FAMILY,
      fontWeight: 600,
      characterSet: 'auto',
      fontSettings: { sdf: true, fontSize: 48, buffer: 6 },
      outlineWidth: 0.35,
      outlineColor: dark ? [17, 20, 26, 235] : [255, 255, 255, 235],
      getTextAnchor: 'middle',
      getAlignmentBaseline: 'center',
      pickable: false,
      updateTriggers: { getColor: dark },
    }),
    // Drawn last, so papers just added stand out even where a label lies over them.
    new ScatterplotLayer({
      id: 'added',
      data: {
        length: state.added ? state.added.length / 2 : 0,
        attributes: { getPosition: { value: state.added ?? new Float32Array(0), size: 2 } },
      },
      visible: state.added !== null,
      stroked: true,
      filled: false,
      radiusUnits: 'pixels',
      getRadius: ADDED_RING_RADIUS,
      lineWidthUnits: 'pixels',
      getLineWidth: ADDED_RING_WIDTH,
      getLineColor: dark ? [255, 214, 10, 255] : [214, 40, 40, 255],
      pickable: false,
      updateTriggers: { getLineColor: dark },
    }),
  ];
}
