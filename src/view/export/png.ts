import type { PlacedLabel } from '../map/build-layers.ts';

export interface PngOptions {
  labels: readonly PlacedLabel[];
  /** Canvas-relative CSS pixel position of a map point. */
  project(x: number, y: number): [number, number] | null;
  title: string;
  background: string;
  dark: boolean;
}

const FONT_FAMILY = 'Inter, "Segoe UI", system-ui, -apple-system, Roboto, sans-serif';

/**
 * The current view as a PNG: the background, the deck frame (points and hulls), then the cluster labels
 * drawn as real text with a halo, and a caption with the map's name.
 */
export async function renderMapPng(frame: HTMLCanvasElement, options: PngOptions): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = frame.width;
  canvas.height = frame.height;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('No 2-D canvas context is available.');
  const cssWidth = frame.clientWidth || frame.width / devicePixelRatio;
  const scale = frame.width / Math.max(1, cssWidth);
  context.fillStyle = options.background;
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(frame, 0, 0);
  context.scale(scale, scale);
  context.textAlign = 'center';
  context.textBaseline = 'middle';
  context.lineJoin = 'round';
  for (const label of options.labels) {
    const at = options.project(label.position[0], label.position[1]);
    if (!at) continue;
    context.font = `600 ${label.size}px ${FONT_FAMILY}`;
    context.lineWidth = Math.max(3, label.size * 0.3);
    context.strokeStyle = options.dark ? 'rgba(17,20,26,0.92)' : 'rgba(255,255,255,0.92)';
    context.strokeText(label.text, at[0], at[1]);
    context.fillStyle = options.dark ? '#eceff4' : '#1c2028';
    context.fillText(label.text, at[0], at[1]);
  }
  context.textAlign = 'left';
  context.textBaseline = 'alphabetic';
  context.font = `500 12px ${FONT_FAMILY}`;
  context.fillStyle = options.dark ? 'rgba(236,239,244,0.75)' : 'rgba(28,32,40,0.7)';
  context.fillText(`${options.title} — Abstract Atlas`, 12, canvas.height / scale - 12);
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('The image could not be encoded.'))),
      'image/png',
    ),
  );
}
