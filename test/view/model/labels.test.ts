import { describe, expect, it } from 'vitest';
import {
  firstLabelLevel,
  labelAt,
  labelLevelForZoom,
  placeLabels,
  type LabelCandidate,
} from '../../../src/view/model/labels.ts';

describe('label placement', () => {
  const labels: LabelCandidate[] = [
    { id: 1, text: 'Quantum computing', x: 0, y: 0, priority: 10, size: 14 },
    { id: 2, text: 'Qubit error correction', x: 0.5, y: 0.1, priority: 30, size: 14 },
    { id: 3, text: 'Galaxies', x: 300, y: 300, priority: 5, size: 14 },
  ];

  it('drops the smaller of two overlapping labels and keeps distant ones', () => {
    expect(placeLabels(labels, 0).map((label) => label.id)).toEqual([2, 3]);
  });

  it('places more labels as the view zooms in', () => {
    expect(
      placeLabels(labels, 8)
        .map((label) => label.id)
        .sort(),
    ).toEqual([1, 2, 3]);
  });

  it('shortens a label to its lead term where only that fits', () => {
    const crowded: LabelCandidate[] = [
      { id: 1, text: 'graph neural networks · message passing', x: 0, y: 0, priority: 9, size: 14 },
      { id: 2, text: 'protein folding · molecular dynamics', x: 0, y: 1, priority: 5, size: 14 },
      { id: 3, text: 'galaxies', x: 0, y: 0.05, priority: 1, size: 14 },
    ];
    // At zoom 5 the two long labels are 32 px apart vertically but overlap horizontally.
    const placed = placeLabels(crowded, 5);
    expect(placed).toEqual([
      { id: 1, text: 'graph neural networks · message passing' },
      { id: 2, text: 'protein folding · molecular dynamics' },
    ]);
    // Side by side 256 px apart, the second fits only as its lead term.
    expect(placeLabels([crowded[0]!, { ...crowded[1]!, x: 8, y: 0 }], 5)).toEqual([
      { id: 1, text: 'graph neural networks · message passing' },
      { id: 2, text: 'protein folding' },
    ]);
    // 176 px apart, not even that fits.
    expect(placeLabels([crowded[0]!, { ...crowded[1]!, x: 5.5, y: 0 }], 5)).toEqual([
      { id: 1, text: 'graph neural networks · message passing' },
    ]);
  });

  it('labels at most `most` clusters inside the view, the largest first', () => {
    const many: LabelCandidate[] = Array.from({ length: 40 }, (_, i) => ({
      id: i,
      text: `topic ${i}`,
      x: (i % 8) * 100,
      y: Math.floor(i / 8) * 100,
      priority: 100 - i,
      size: 14,
    }));
    const placed = placeLabels(many, 0, { view: [0, 0, 800, 500], most: 25 });
    expect(placed.map((label) => label.id)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    const outside = placeLabels(many, 0, { view: [0, 0, 150, 150], most: 2 });
    expect(outside.length).toBe(40 - 4 + 2);
  });

  it('finds the label under a point', () => {
    const drawn = [
      { id: 7, text: 'speech recognition', position: [10, 10] as [number, number], size: 14 },
    ];
    expect(labelAt(drawn, 2, 10, 10)).toBe(7);
    // 2^2 = 4 px per unit: the label is about 145 px wide, 18 px tall.
    expect(labelAt(drawn, 2, 10 + 15, 10)).toBe(7);
    expect(labelAt(drawn, 2, 10, 10 + 3)).toBe(-1);
  });

  it('moves to finer levels as zoom grows past the fitted zoom', () => {
    expect(labelLevelForZoom(3, 3, 2)).toBe(0);
    expect(labelLevelForZoom(4.5, 3, 2)).toBe(1);
    expect(labelLevelForZoom(12, 3, 2)).toBe(1);
    expect(labelLevelForZoom(-5, 3, 2)).toBe(0);
    expect(labelLevelForZoom(0, 0, 0)).toBe(-1);
  });
});

describe('firstLabelLevel', () => {
  it('opens on the broadest level with at least 8 clusters, else the finest', () => {
    expect(firstLabelLevel([3, 11])).toBe(1);
    expect(firstLabelLevel([5, 24, 49])).toBe(1);
    expect(firstLabelLevel([14, 40])).toBe(0);
    expect(firstLabelLevel([2, 5])).toBe(1);
    expect(firstLabelLevel([])).toBe(0);
  });

  it('shifts every zoom step by the first level', () => {
    expect(labelLevelForZoom(3, 3, 3, 1.25, 1)).toBe(1);
    expect(labelLevelForZoom(4.5, 3, 3, 1.25, 1)).toBe(2);
  });
});
