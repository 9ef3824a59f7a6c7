import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClusterOverlay } from '../../../src/view/map/cluster-overlay.ts';
import { colourMap } from '../../../src/view/model/colors.ts';
import { boundsOf } from '../../../src/view/model/geometry.ts';
import { syntheticMap } from '../../../src/view/synthetic/synthetic-map.ts';

describe('cluster overlay', () => {
  afterEach(() => vi.useRealTimers());

  it('names 8 to 25 topics on the fitted view of 1,000 papers and draws a hull only under a label', () => {
    vi.useFakeTimers();
    // 40 topics in 8 regions: more topics than the fitted view names.
    const map = syntheticMap({
      count: 1200,
      seed: 3,
      vectorDim: 0,
      regions: 8,
      topicsPerRegion: 5,
    });
    let settled = false;
    const overlay = new ClusterOverlay({ addController: () => undefined } as never, {
      onChange: () => undefined,
      onSettled: () => (settled = true),
    });
    overlay.setMap(map, colourMap(map, 'cluster'));
    // The whole map fitted into a 1,000 × 700 pixel canvas.
    const [x0, y0, x1, y1] = boundsOf(map.positions)!;
    const fitZoom = Math.log2(Math.min(1000 / (x1 - x0), 700 / (y1 - y0)) * 0.86);
    overlay.setZoom(fitZoom, fitZoom, [x0, y0, x1, y1]);
    expect(overlay.labels.length).toBeGreaterThanOrEqual(8);
    expect(overlay.labels.length).toBeLessThanOrEqual(25);
    vi.runAllTimers();
    expect(settled).toBe(true);
    const labelled = new Set(overlay.labels.map((label) => label.id));
    expect(overlay.hulls.length).toBe(overlay.labels.length);
    expect(overlay.hulls.every((hull) => labelled.has(hull.id))).toBe(true);
  });
});
