import { describe, expect, it } from 'vitest';
import {
  CATEGORY_PALETTE,
  colourMap,
  NOISE_COLOR,
  OTHER_COLOR,
} from '../../../src/view/model/colors.ts';
import { mapFirstLabelLevel } from '../../../src/view/model/labels.ts';
import { syntheticMap } from '../../../src/view/synthetic/synthetic-map.ts';

describe('colourings', () => {
  const map = syntheticMap({ count: 500, seed: 2, vectorDim: 0 });

  it('colours the level whose labels the fitted view shows, noise in grey, counts that add up', () => {
    const colouring = colourMap(map, 'cluster');
    const level = mapFirstLabelLevel(map);
    // Six regions of four topics each: the fitted view shows the 24 topics.
    expect(level).toBe(1);
    const labels = map.clusterLevels[level]!;
    expect(colouring.legend).toHaveLength(map.clusters.filter((c) => c.level === level).length);
    const noise = labels.filter((id) => id === -1).length;
    expect(colouring.legend.reduce((t, e) => t + e.count, 0)).toBe(500 - noise);
    const i = labels.indexOf(-1);
    if (i >= 0) expect([...colouring.colors.subarray(4 * i, 4 * i + 3)]).toEqual(NOISE_COLOR);
    const j = labels.findIndex((id) => id >= 0);
    const entry = colouring.legend[colouring.entryOf[j]!]!;
    expect(entry.key).toBe(String(labels[j]));
    expect([...colouring.colors.subarray(4 * j, 4 * j + 3)]).toEqual(entry.color);
  });

  it('gives each topic its own shade of the hue of its region', () => {
    const colouring = colourMap(map, 'cluster');
    const colours = new Set(colouring.legend.map((entry) => entry.color.join()));
    expect(colours.size).toBe(colouring.legend.length);
    const regionOf = new Map(map.clusters.map((c) => [String(c.id), c.parent]));
    const [a, b] = colouring.legend.filter((entry) => regionOf.get(entry.key) === 0);
    const other = colouring.legend.find((entry) => regionOf.get(entry.key) === 1)!;
    expect(deltaE(a!.color, b!.color)).toBeLessThan(deltaE(a!.color, other.color));
  });

  it('folds rare values into Other', () => {
    const many = syntheticMap({ count: 40, seed: 1, vectorDim: 0 });
    many.papers.forEach((p, i) => (p.source = `file-${i}.txt`));
    const colouring = colourMap(many, 'source');
    expect(colouring.legend).toHaveLength(CATEGORY_PALETTE.length + 1);
    expect(colouring.legend.at(-1)!.label).toBe('Other (20 more)');
    expect(colouring.legend.at(-1)!.color).toEqual(OTHER_COLOR);
    const colours = new Set(colouring.legend.map((entry) => entry.color.join()));
    expect(colours.size).toBe(colouring.legend.length);
    expect(colouring.legend.reduce((t, e) => t + e.count, 0)).toBe(40);
  });

  it('bins years in order on a ramp', () => {
    const colouring = colourMap(map, 'year');
    expect(colouring.legend.map((e) => e.label)[0]).toMatch(/^2005/);
    const first = map.papers.findIndex((p) => p.year === 2005);
    expect(colouring.entryOf[first]).toBe(0);
    expect(colouring.legend.reduce((t, e) => t + e.count, 0)).toBe(500);
  });
});

/** CIE76 colour difference, through CIELAB (D65). */
function deltaE(a: readonly number[], b: readonly number[]): number {
  const lab = (rgb: readonly number[]): number[] => {
    const [r, g, bl] = rgb.map((u) => {
      const c = u / 255;
      return c > 0.04045 ? ((c + 0.055) / 1.055) ** 2.4 : c / 12.92;
    }) as [number, number, number];
    const f = (t: number): number => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
    const x = f((0.4124 * r + 0.3576 * g + 0.1805 * bl) / 0.95047);
    const y = f(0.2126 * r + 0.7152 * g + 0.0722 * bl);
    const z = f((0.0193 * r + 0.1192 * g + 0.9505 * bl) / 1.08883);
    return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
  };
  const [p, q] = [lab(a), lab(b)];
  return Math.hypot(p[0]! - q[0]!, p[1]! - q[1]!, p[2]! - q[2]!);
}

describe('palette', () => {
  it('has twenty colours that differ clearly from each other and from the grey of Other', () => {
    expect(CATEGORY_PALETTE).toHaveLength(20);
    let smallest = Infinity;
    CATEGORY_PALETTE.forEach((a, i) => {
      smallest = Math.min(smallest, deltaE(a, OTHER_COLOR));
      CATEGORY_PALETTE.slice(i + 1).forEach((b) => (smallest = Math.min(smallest, deltaE(a, b))));
    });
    expect(smallest).toBeGreaterThan(30);
  });
});

describe('synthetic map', () => {
  it('places every cluster centroid at the mean of its members', () => {
    const map = syntheticMap({ count: 400, seed: 9, vectorDim: 4 });
    for (const cluster of map.clusters) {
      const level = map.clusterLevels[cluster.level]!;
      let sx = 0;
      let sy = 0;
      let count = 0;
      level.forEach((id, i) => {
        if (id !== cluster.id) return;
        sx += map.positions[2 * i]!;
        sy += map.positions[2 * i + 1]!;
        count++;
      });
      expect(count).toBe(cluster.size);
      expect(cluster.centroid[0]).toBeCloseTo(sx / count, 4);
      expect(cluster.centroid[1]).toBeCloseTo(sy / count, 4);
    }
  });
});
