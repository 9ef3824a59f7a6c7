import { expect, type Page } from '@playwright/test';

/** The two bundled listing pages hold 172 distinct papers (asserted in test/pipeline/ingest/listing.test.ts). */
export const BUNDLED_PAPER_COUNT = 172;

/** Opens the app on the bundled map and waits until every bundled paper is on it. */
export async function openBundledMap(page: Page): Promise<void> {
  await page.goto('/');
  const app = page.locator('atlas-app');
  await expect(app).toHaveAttribute('status', 'ready');
  await expect(app).toHaveAttribute('doc-count', String(BUNDLED_PAPER_COUNT));
}
