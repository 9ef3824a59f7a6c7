/**
 * What the explorer saves: the map as a bundle, the view as a PNG, the area selection as CSV, and its
 * link on the clipboard. Each returns the sentence the explorer announces.
 */
import { AtlasError } from '../../lib/errors.ts';
import type { AtlasMap } from '../../pipeline/atlas-map.ts';
import { bundleFileName, bundleToJson } from '../../pipeline/bundle.ts';
import { saveBlob } from '../export/download.ts';
import { renderMapPng } from '../export/png.ts';
import type { PlacedLabel } from '../map/build-layers.ts';
import type { AtlasMapController } from '../map/map-controller.ts';
import { papersToCsv } from '../model/csv.ts';

/** The file name of a download about `map`: `<name><suffix>`. */
function fileNameFor(map: AtlasMap, suffix: string): string {
  return bundleFileName(map.name).replace(/\.atlas\.json$/, suffix);
}

export function saveBundle(map: AtlasMap): string {
  const text = bundleToJson(map, { includeVectors: true });
  saveBlob(new Blob([text], { type: 'application/json' }), bundleFileName(map.name));
  return 'Map saved';
}

/**
 * The view as drawn, with the labels drawn as text over it on the page's background (`--atlas-bg` of
 * `element`). Throws an AtlasError when the image cannot be made.
 */
export async function savePng(
  map: AtlasMap,
  mapView: AtlasMapController,
  labels: readonly PlacedLabel[],
  look: { element: Element; dark: boolean },
): Promise<string> {
  try {
    const frame = await mapView.captureFrame();
    const background = getComputedStyle(look.element).getPropertyValue('--atlas-bg').trim();
    const blob = await renderMapPng(frame, {
      labels,
      project: (x, y) => mapView.projectWorld(x, y),
      title: map.name,
      background: background || '#f6f7f9',
      dark: look.dark,
    });
    saveBlob(blob, fileNameFor(map, '.png'));
    return 'Image saved';
  } catch (error) {
    throw new AtlasError('render', 'png-export', 'The image could not be made.', {
      hint: 'Try again after the map has finished drawing.',
      cause: error,
    });
  }
}

export function saveSelectionCsv(map: AtlasMap, indices: ArrayLike<number>): string {
  const csv = papersToCsv(map, indices);
  saveBlob(new Blob([csv], { type: 'text/csv;charset=utf-8' }), fileNameFor(map, '-selection.csv'));
  return `${indices.length.toLocaleString()} papers exported`;
}

/** Copies a link; where the browser refuses, `fallback` is the link for the reader to copy. */
export async function copyLink(url: string): Promise<{ announcement: string; fallback: string }> {
  try {
    await navigator.clipboard.writeText(url);
    return { announcement: 'Link copied to the clipboard', fallback: '' };
  } catch (error) {
    console.warn('Copying the link failed:', error);
    return { announcement: 'Could not copy automatically; copy the link below.', fallback: url };
  }
}
