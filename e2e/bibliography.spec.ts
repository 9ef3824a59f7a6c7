import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { dropFile } from './drop.ts';
import { openBundledMap } from './bundled.ts';

test('the reading list exports as RIS with notes, and the file opens again as a map of those papers', async ({
  page,
}) => {
  await openBundledMap(page);
  const explorer = page.locator('atlas-explorer');

  // Pin three papers found by search, as a reader would.
  await explorer.locator('input[type=search]').fill('model');
  const results = explorer.locator('ol.search-results li');
  await expect(results.nth(2)).toBeVisible();
  const titles: string[] = [];
  for (let k = 0; k < 3; k++) {
    await explorer.getByRole('tab', { name: 'Results' }).click();
    const result = results.nth(k);
    titles.push((await result.locator('.paper-title').textContent())!.trim());
    await result.getByRole('button').first().click();
    await explorer.getByRole('button', { name: 'Add to reading list' }).click();
    await expect(explorer.getByRole('button', { name: 'In reading list ✓' })).toBeVisible();
  }

  await explorer.getByRole('tab', { name: /Reading list \(3\)/ }).click();
  const list = explorer.locator('atlas-reading-list');
  const note = list.locator('input').first();
  await note.fill('Discuss in week 2');
  await note.press('Enter');
  await note.blur();

  const download = page.waitForEvent('download');
  await list.getByRole('button', { name: 'Export RIS' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/-reading-list\.ris$/);
  const ris = await readFile((await file.path())!, 'utf8');
  expect(ris.match(/^TY {2}- /gm)).toHaveLength(3);
  expect(ris.match(/^ER {2}- /gm)).toHaveLength(3);
  expect(ris).toContain('N1  - Discuss in week 2');
  for (const title of titles) expect(ris).toContain(`TI  - ${title}`);
  await expect(list.getByRole('status')).toHaveText('3 papers exported as RIS');

  // Open the exported file again: a map of exactly those three papers.
  await dropFile(page, { name: file.suggestedFilename(), content: ris });
  const app = page.locator('atlas-app');
  await expect(app).toHaveAttribute('doc-count', '3', { timeout: 90_000 });
  await expect(app).toHaveAttribute('status', 'ready');
  await expect(explorer).toHaveAttribute('points', '3');
  for (const title of titles) {
    await explorer.locator('input[type=search]').fill(title);
    await expect(explorer.locator('ol.search-results li').first()).toContainText(title);
  }
});
