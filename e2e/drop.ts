import type { Page } from '@playwright/test';

export interface DroppedFile {
  name: string;
  content: string | number[];
  type?: string;
}

/**
 * Drops a file (or several at once) on the page as a reader would: a drop event carrying a
 * DataTransfer. With a map open the drop zone has two halves; `target` picks "New map" (left) or "Add
 * to this map" (right), and no target drops where the event lands by default.
 */
export async function dropFile(
  page: Page,
  file: DroppedFile | DroppedFile[],
  target?: 'new' | 'add',
): Promise<void> {
  const dataTransfer = await page.evaluateHandle((files) => {
    const transfer = new DataTransfer();
    for (const { name, content, type } of files) {
      const body = typeof content === 'string' ? content : new Uint8Array(content);
      transfer.items.add(new File([body], name, type ? { type } : {}));
    }
    return transfer;
  }, [file].flat());
  const zone = page.locator('atlas-drop-zone');
  if (!target) return zone.dispatchEvent('drop', { dataTransfer });
  const box = (await zone.boundingBox())!;
  const clientX = target === 'add' ? box.x + box.width * 0.75 : box.x + box.width * 0.25;
  await zone.dispatchEvent('drop', { dataTransfer, clientX, clientY: box.y + box.height / 2 });
}
