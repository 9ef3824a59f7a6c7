import { describe, expect, it } from 'vitest';
import {
  firstLabelLevel,
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
    expect(placeLabels(labels, 0)).toEqual([2, 3]);
  });

  it('places more labels as the view zooms in', () => {
    expect(placeLabels(labels, 8).sort()).toEqual([1, 2, 3]);
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
  it('opens a small corpus on its topics and a large one on its broad regions', () => {
    expect(firstLabelLevel([3, 11])).toBe(1);
    expect(firstLabelLevel([5, 20, 48])).toBe(0);
    expect(firstLabelLevel([14, 40])).toBe(0);
  });

  it('shifts every zoom step by the first level', () => {
    expect(labelLevelForZoom(3, 3, 3, 1.25, 1)).toBe(1);
    expect(labelLevelForZoom(4.5, 3, 3, 1.25, 1)).toBe(2);
  });
});
