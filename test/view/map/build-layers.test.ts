import type { Layer, PickingInfo } from '@deck.gl/core';
import { describe, expect, it } from 'vitest';
import { buildLayers, type MapLayersState } from '../../../src/view/map/build-layers.ts';
import { PapersLayer } from '../../../src/view/map/papers-layer.ts';
import { PointGrid } from '../../../src/view/model/point-grid.ts';
import { DensityRasterizer } from '../../../src/view/model/density.ts';

const positions = new Float32Array([0, 0, 1, 1, 2, 2, 3, 3]);
const colors = new Uint8Array(16).fill(200);

function state(overrides: Partial<MapLayersState> = {}): MapLayersState {
  return {
    positions,
    colors,
    highlighted: null,
    selected: -1,
    hovered: -1,
    pointBudget: Infinity,
    dark: false,
    hulls: [
      {
        id: 1,
        polygon: [
          [0, 0],
          [1, 0],
          [1, 1],
        ],
        color: [10, 20, 30],
      },
    ],
    labels: [{ id: 1, text: 'Topic', position: [0.5, 0.5], size: 16, level: 0 }],
    hideLabels: false,
    added: null,
    onDetailChange: () => undefined,
    ...overrides,
  };
}

describe('buildLayers', () => {
  it('draws hulls under the papers and labels over them', () => {
    const layers = buildLayers(state());
    expect(layers.map((layer) => layer.id)).toEqual(['hulls', 'papers', 'labels', 'added']);
    expect(layers[3].props.visible).toBe(false);
    const papers = layers[1];
    expect(papers).toBeInstanceOf(PapersLayer);
    expect(papers.props.positions).toBe(positions);
    expect(papers.props.colors).toBe(colors);
    expect(layers[2].props.visible).toBe(true);
  });

  it('passes highlight, selection, hover and theme to the papers layer, and hides labels for capture', () => {
    const highlighted = Int32Array.of(2, 3);
    const layers = buildLayers(
      state({ highlighted, selected: 1, hovered: 2, dark: true, hideLabels: true }),
    );
    const papers = layers[1];
    expect(papers.props).toMatchObject({ highlighted, selected: 1, hovered: 2, dark: true });
    expect(layers[2].props.visible).toBe(false);
    expect(layers[2].props.getColor).toEqual([236, 239, 244, 255]);
  });

  it('rings the papers a grown map just added', () => {
    const added = positions.subarray(4);
    const rings = buildLayers(state({ added }))[3];
    expect(rings.props.visible).toBe(true);
    expect(rings.props.data).toMatchObject({ length: 2 });
    expect(rings.props).toMatchObject({ stroked: true, filled: false });
  });

  it('is pure: the same state gives layers with the same props', () => {
    const input = state();
    const [a, b] = [buildLayers(input), buildLayers(input)];
    expect(b[1].props.positions).toBe(a[1].props.positions);
    expect(b[0].props.data).toBe(a[0].props.data);
    expect(b[2].props.data).toBe(a[2].props.data);
  });
});

describe('PapersLayer picking', () => {
  /** A layer in a given level of detail, as deck would leave it after an update. */
  function layerIn(detail: PapersLayer['state']['detail'], zoom = 0): PapersLayer {
    const layer = new PapersLayer({ id: 'papers', positions, colors });
    layer.state = {
      grid: PointGrid.build(positions),
      detail,
      points: null,
      shownColors: colors,
      highlighted: null,
      density: null,
      densityTimer: null,
      rasterizer: new DensityRasterizer(),
      reported: null,
    };
    (layer as unknown as { context: { viewport: { zoom: number } } }).context = {
      viewport: { zoom },
    };
    return layer;
  }
  const pick = (layer: PapersLayer, sub: string, info: Partial<PickingInfo>) =>
    layer.getPickingInfo({
      info: { index: -1, ...info } as PickingInfo,
      mode: 'hover',
      sourceLayer: { id: `papers-${sub}` } as Layer,
    }).index;

  it('maps a point of every paper to itself', () => {
    expect(pick(layerIn({ mode: 'points', inView: null }), 'points', { index: 2 })).toBe(2);
  });

  it('maps a point of the papers in view back to the paper', () => {
    const layer = layerIn({
      mode: 'points',
      inView: { indices: Uint32Array.of(3, 1), rect: [0, 0, 3, 3] },
    });
    expect(pick(layer, 'points', { index: 0 })).toBe(3);
    expect(pick(layer, 'points', { index: 1 })).toBe(1);
    expect(pick(layer, 'points', { index: -1 })).toBe(-1);
  });

  it('finds the paper nearest a picked density pixel within the pick radius', () => {
    const layer = layerIn({ mode: 'density' }, 4);
    expect(pick(layer, 'density', { coordinate: [2.1, 1.95] })).toBe(2);
    // 6 px at zoom 4 is 0.375 units: (1.5, 1.5) is 0.71 from the nearest paper.
    expect(pick(layer, 'density', { coordinate: [1.5, 1.5] })).toBe(-1);
  });

  it('finds no paper on markers and overlays', () => {
    expect(pick(layerIn({ mode: 'points', inView: null }), 'selected', { index: 0 })).toBe(-1);
  });
});
