import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import Papa from 'papaparse';

const HARNESS = '/e2e/harness/explorer.html';

interface HarnessWindow {
  __atlas: {
    map: { papers: { id: string; title: string }[]; positions: Float32Array } | null;
    states: {
      selected?: string;
      colorBy?: string;
      search?: string;
      reading?: { id: string; note: string }[];
    }[];
    files: unknown[];
    cancels: number;
    retries: number;
    queries: string[];
  };
  __atlasInjected?: number;
}

interface ExplorerHooks extends HTMLElement {
  paperToScreen(index: number): { x: number; y: number } | null;
  screenToPaper(x: number, y: number): number;
  screenToLabel(x: number, y: number): number;
  progress: unknown;
  error: unknown;
}

async function openHarness(page: Page, query = ''): Promise<void> {
  await page.goto(`${HARNESS}${query}`);
  await expect(page.locator('atlas-explorer')).toHaveAttribute('points', /^[1-9]\d*$/);
}

/**
 * A paper drawn on its own in the open middle of the map: clear of toolbar, legend and panel, and of the
 * cluster labels, which take the pointer from the papers under them (a click there opens the topic).
 */
async function findOpenPaper(
  page: Page,
  predicate = 'true',
): Promise<{ index: number; x: number; y: number }> {
  const found = await page.evaluate((predicateSource) => {
    const explorer = document.querySelector('atlas-explorer') as unknown as ExplorerHooks;
    const map = (window as unknown as HarnessWindow).__atlas.map!;
    const accept = new Function('paper', 'i', `return ${predicateSource};`) as (
      p: unknown,
      i: number,
    ) => boolean;
    const panel = explorer.shadowRoot!.querySelector('aside')!.getBoundingClientRect();
    for (let i = 0; i < map.papers.length; i++) {
      if (!accept(map.papers[i], i)) continue;
      const at = explorer.paperToScreen(i);
      if (!at || at.x < 300 || at.x > panel.left - 40 || at.y < 130 || at.y > innerHeight - 230)
        continue;
      if (explorer.screenToLabel(at.x, at.y) >= 0) continue;
      if (explorer.screenToPaper(at.x, at.y) === i) return { index: i, ...at };
    }
    return null;
  }, predicate);
  expect(found, 'a paper drawn clear of overlays').not.toBeNull();
  return found!;
}

async function lastState(page: Page) {
  return page.evaluate(() => (window as unknown as HarnessWindow).__atlas.states.at(-1) ?? null);
}

test.describe('atlas-explorer', () => {
  test('hover shows the title as a tooltip', async ({ page }) => {
    await openHarness(page);
    const paper = await findOpenPaper(page);
    const title = await page.evaluate(
      (i) => (window as unknown as HarnessWindow).__atlas.map!.papers[i]!.title,
      paper.index,
    );
    await page.mouse.move(paper.x, paper.y);
    await expect(page.locator('atlas-explorer .tooltip .paper-title')).toHaveText(title);
  });

  test('a large map on a software renderer shows its density, and its points when zoomed in', async ({
    page,
  }) => {
    const explorer = page.locator('atlas-explorer');
    const titleOf = (index: number) =>
      page.evaluate(
        (i) => (window as unknown as HarnessWindow).__atlas.map!.papers[i]!.title,
        index,
      );
    await openHarness(page, '?n=30000&dim=0');
    // Chromium here renders WebGL with SwiftShader, which draws 30,000 points too slowly per frame.
    await expect(explorer).toHaveAttribute('render-mode', 'density');
    await expect(page.locator('atlas-explorer canvas')).toBeVisible();
    const overview = await findOpenPaper(page);
    await page.mouse.move(overview.x, overview.y);
    await expect(page.locator('atlas-explorer .tooltip .paper-title')).toHaveText(
      await titleOf(overview.index),
    );
    await page.mouse.click(overview.x, overview.y);
    await expect(explorer).toHaveAttribute(
      'selected-paper',
      await page.evaluate(
        (i) => (window as unknown as HarnessWindow).__atlas.map!.papers[i]!.id,
        overview.index,
      ),
    );

    await page.evaluate(() => {
      const element = document.querySelector('atlas-explorer') as unknown as {
        view: { x: number; y: number; zoom: number };
        setView(camera: { x: number; y: number; zoom: number }): void;
      };
      element.setView({ ...element.view, zoom: element.view.zoom + 3 });
    });
    await expect(explorer).toHaveAttribute('render-mode', 'points');
    const close = await findOpenPaper(page);
    await page.mouse.move(close.x, close.y);
    await expect(page.locator('atlas-explorer .tooltip .paper-title')).toHaveText(
      await titleOf(close.index),
    );

    await page.evaluate(() =>
      (document.querySelector('atlas-explorer') as unknown as { fitView(): void }).fitView(),
    );
    await expect(explorer).toHaveAttribute('render-mode', 'density');
  });

  test('click opens details with neighbours; a neighbour click flies to it', async ({ page }) => {
    await openHarness(page);
    const paper = await findOpenPaper(page);
    await page.mouse.click(paper.x, paper.y);
    const explorer = page.locator('atlas-explorer');
    const id = await page.evaluate(
      (i) => (window as unknown as HarnessWindow).__atlas.map!.papers[i]!.id,
      paper.index,
    );
    await expect(explorer).toHaveAttribute('selected-paper', id);
    const details = page.locator('atlas-details');
    await expect(details.locator('h3.title')).toBeVisible();
    await expect(details.locator('p.abstract')).not.toBeEmpty();
    const neighbours = details.locator('ol.neighbours button.paper');
    await expect(neighbours).toHaveCount(10);
    await expect(details.locator('h2')).toContainText('by meaning');
    const second = neighbours.nth(1);
    const target = Number(await second.getAttribute('data-index'));
    await second.click();
    const targetId = await page.evaluate(
      (i) => (window as unknown as HarnessWindow).__atlas.map!.papers[i]!.id,
      target,
    );
    await expect(explorer).toHaveAttribute('selected-paper', targetId);
    // The camera ends centred on the neighbour.
    await expect
      .poll(async () =>
        page.evaluate((i) => {
          const explorer = document.querySelector('atlas-explorer') as unknown as ExplorerHooks;
          const deck = explorer.shadowRoot!.querySelector('.deck')!.getBoundingClientRect();
          const at = explorer.paperToScreen(i)!;
          return Math.hypot(
            at.x - (deck.left + deck.width / 2),
            at.y - (deck.top + deck.height / 2),
          );
        }, target),
      )
      .toBeLessThan(2);
  });

  test('text search lists and highlights matches', async ({ page }) => {
    await openHarness(page);
    const explorer = page.locator('atlas-explorer');
    await explorer.locator('input[type=search]').fill('quantum');
    await expect(explorer.locator('.search-status')).toContainText('papers match');
    const results = explorer.locator('ol.search-results li');
    expect(await results.count()).toBeGreaterThan(5);
    await expect(results.first().locator('mark').first()).toHaveText(/quantum/i);
    const count = Number(await explorer.getAttribute('highlighted'));
    expect(count).toBeGreaterThan(5);
    expect((await lastState(page))?.search).toBe('quantum');
    await explorer.locator('input[type=search]').fill('zzzxqv');
    await expect(explorer.locator('.search-status')).toContainText('No papers match');
  });

  test('semantic search embeds the query and ranks papers by meaning', async ({ page }) => {
    await openHarness(page);
    const explorer = page.locator('atlas-explorer');
    await explorer.getByLabel('Semantic').check();
    await explorer.locator('input[type=search]').fill('galaxy surveys');
    await expect(explorer.locator('.search-status')).toContainText('nearest papers by meaning');
    await expect(explorer).toHaveAttribute('highlighted', '100');
    await expect(explorer.locator('ol.search-results li').first()).toContainText('cos');
    const queries = await page.evaluate(() => (window as unknown as HarnessWindow).__atlas.queries);
    expect(queries.at(-1)).toBe('galaxy surveys');
    const state = await lastState(page);
    expect(state).toMatchObject({ search: 'galaxy surveys', semantic: true });
  });

  test('box selection lists papers and exports them as CSV', async ({ page }) => {
    await openHarness(page);
    const explorer = page.locator('atlas-explorer');
    await explorer.getByRole('button', { name: 'Box', exact: true }).click();
    await page.mouse.move(320, 150);
    await page.mouse.down();
    await page.mouse.move(500, 300, { steps: 5 });
    await page.mouse.move(600, 420, { steps: 5 });
    await page.mouse.up();
    const countText = await explorer.locator('.selection-count').textContent();
    const selected = Number(countText!.replace(/\D/g, ''));
    expect(selected).toBeGreaterThan(0);
    await expect(explorer).toHaveAttribute('highlighted', String(selected));
    const download = page.waitForEvent('download');
    await explorer.getByRole('button', { name: 'Export CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/-selection\.csv$/);
    const csv = await readFile((await file.path())!, 'utf8');
    const rows = Papa.parse<string[]>(csv, { skipEmptyLines: true }).data;
    expect(rows[0]!.slice(0, 3)).toEqual(['id', 'title', 'authors']);
    expect(rows).toHaveLength(selected + 1);
  });

  test('lasso selection (and shift-drag in pan mode) selects the papers inside', async ({
    page,
  }) => {
    await openHarness(page);
    const explorer = page.locator('atlas-explorer');
    await explorer.getByRole('button', { name: 'Lasso', exact: true }).click();
    const centre = { x: 460, y: 380 };
    await page.mouse.move(centre.x + 120, centre.y);
    await page.mouse.down();
    for (let k = 1; k <= 24; k++) {
      const angle = (2 * Math.PI * k) / 24;
      await page.mouse.move(centre.x + 120 * Math.cos(angle), centre.y + 120 * Math.sin(angle));
    }
    await page.mouse.up();
    const lassoCount = Number(
      (await explorer.locator('.selection-count').textContent())!.replace(/\D/g, ''),
    );
    expect(lassoCount).toBeGreaterThan(0);
    // Every selected paper lies inside the circle drawn.
    const outside = await page.evaluate(({ x, y }) => {
      const explorer = document.querySelector('atlas-explorer') as unknown as ExplorerHooks & {
        shadowRoot: ShadowRoot;
      };
      const buttons = [...explorer.shadowRoot.querySelectorAll('ol.selection-list button.paper')];
      return buttons
        .map((b) => explorer.paperToScreen(Number(b.getAttribute('data-index')))!)
        .filter((at) => Math.hypot(at.x - x, at.y - y) > 121).length;
    }, centre);
    expect(outside).toBe(0);

    await page.keyboard.press('Escape');
    await expect(explorer).toHaveAttribute('highlighted', '-1');
    await explorer.getByRole('button', { name: 'Pan', exact: true }).click();
    await page.keyboard.down('Shift');
    await page.mouse.move(320, 150);
    await page.mouse.down();
    await page.mouse.move(620, 450, { steps: 6 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    await expect(explorer.locator('.selection-count')).toBeVisible();
  });

  test('Download PNG saves the current view as an image', async ({ page }) => {
    await openHarness(page);
    await page.locator('atlas-explorer details.menu summary').click();
    const download = page.waitForEvent('download');
    await page.locator('atlas-explorer').getByRole('button', { name: 'Download PNG' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.png$/);
    const bytes = await readFile((await file.path())!);
    expect([...bytes.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    const width = bytes.readUInt32BE(16);
    const height = bytes.readUInt32BE(20);
    expect(width).toBeGreaterThan(400);
    expect(height).toBeGreaterThan(400);
  });

  test('reading list is reflected in the emitted state', async ({ page }) => {
    await openHarness(page);
    const explorer = page.locator('atlas-explorer');
    const ids: string[] = [];
    for (let k = 0; k < 2; k++) {
      const paper = await findOpenPaper(page, `i % 7 === ${k}`);
      await page.mouse.click(paper.x, paper.y);
      await explorer.getByRole('button', { name: 'Add to reading list' }).click();
      ids.push((await explorer.getAttribute('selected-paper'))!);
    }
    await explorer.getByRole('tab', { name: /Reading list/ }).click();
    const list = explorer.locator('atlas-reading-list');
    await list.locator('input').first().fill('read the proofs');
    await list.locator('input').first().press('Enter');
    await list.locator('input').first().blur();
    await list
      .getByRole('button', { name: /^Move down/ })
      .first()
      .click();
    await expect
      .poll(async () => (await lastState(page))?.reading)
      .toEqual([
        { id: ids[1], note: '' },
        { id: ids[0], note: 'read the proofs' },
      ]);
  });

  test('copy link round-trips selection, colouring and reading list', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await openHarness(page);
    const explorer = page.locator('atlas-explorer');
    await explorer.getByLabel('Colour by').selectOption('year');
    const paper = await findOpenPaper(page);
    await page.mouse.click(paper.x, paper.y);
    await explorer.getByRole('button', { name: 'Add to reading list' }).click();
    const selected = await explorer.getAttribute('selected-paper');
    await explorer.getByRole('button', { name: 'Copy link' }).click();
    await expect(explorer.locator('.status-line')).toHaveText('Link copied to the clipboard');
    const url = await page.evaluate(() => navigator.clipboard.readText());
    expect(url).toContain('color=year');

    const reopened = await context.newPage();
    await reopened.goto(url);
    const again = reopened.locator('atlas-explorer');
    await expect(again).toHaveAttribute('points', /^[1-9]/);
    await expect(again).toHaveAttribute('selected-paper', selected!);
    await expect(again.getByLabel('Colour by')).toHaveValue('year');
    await expect(again.locator('atlas-details h3.title')).toBeVisible();
    const state = await reopened.evaluate(
      () =>
        (document.querySelector('atlas-explorer') as unknown as { shareState: unknown }).shareState,
    );
    expect(state).toMatchObject({
      selected: selected,
      colorBy: 'year',
      reading: [{ id: selected, note: '' }],
    });
  });

  test('a downloaded map re-imports with identical positions', async ({ page }) => {
    await openHarness(page, '?n=400&seed=11');
    const before = await page.evaluate(() =>
      Array.from((window as unknown as HarnessWindow).__atlas.map!.positions),
    );
    const download = page.waitForEvent('download');
    await page.locator('atlas-explorer details.menu summary').click();
    await page.locator('atlas-explorer').getByRole('button', { name: 'Download map' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.atlas\.json$/);
    const path = (await file.path())!;
    await page.locator('atlas-drop-zone input[type=file]').setInputFiles({
      name: file.suggestedFilename(),
      mimeType: 'application/json',
      buffer: await readFile(path),
    });
    await expect
      .poll(async () =>
        page.evaluate(() => (window as unknown as HarnessWindow).__atlas.files.length),
      )
      .toBe(1);
    await expect(page.locator('atlas-explorer')).toHaveAttribute('points', '400');
    const after = await page.evaluate(() =>
      Array.from((window as unknown as HarnessWindow).__atlas.map!.positions),
    );
    expect(after).toEqual(before);
  });

  test('markup in titles and abstracts never executes', async ({ page }) => {
    await openHarness(page);
    const explorer = page.locator('atlas-explorer');
    const hostile = await findOpenPaper(page, "paper.title.includes('<script>')");
    await page.mouse.move(hostile.x, hostile.y);
    await expect(explorer.locator('.tooltip .paper-title')).toContainText('<script>');
    await page.mouse.click(hostile.x, hostile.y);
    await expect(explorer.locator('atlas-details h3.title')).toContainText(
      '<script>window.__atlasInjected',
    );
    await expect(explorer.locator('atlas-details p.abstract')).toContainText('<img src=x onerror=');
    await explorer.locator('input[type=search]').fill('script');
    await expect(explorer.locator('ol.search-results li').first()).toContainText('<script>');
    // A javascript: URL never becomes a link.
    const jsUrl = await findOpenPaper(page, "paper.url.startsWith('javascript:')");
    await page.mouse.click(jsUrl.x, jsUrl.y);
    await expect(explorer.locator('atlas-details h3.title')).toBeVisible();
    await expect(explorer.locator('atlas-details a')).toHaveCount(0);
    expect(
      await page.evaluate(() => (window as unknown as HarnessWindow).__atlasInjected),
    ).toBeUndefined();
    expect(await explorer.locator('img, script').count()).toBe(0);
  });

  test('keyboard: / focuses search, Esc clears, arrows walk neighbours', async ({ page }) => {
    await openHarness(page);
    const explorer = page.locator('atlas-explorer');
    const search = explorer.locator('input[type=search]');
    await page.locator('body').press('/');
    await expect(search).toBeFocused();
    await page.keyboard.type('graph');
    await expect(explorer.locator('.search-status')).toContainText('papers match');
    await page.keyboard.press('Escape');
    await expect(search).toHaveValue('');
    await expect(explorer).toHaveAttribute('highlighted', '-1');

    const paper = await findOpenPaper(page);
    await page.mouse.click(paper.x, paper.y);
    const first = await explorer
      .locator('atlas-details ol.neighbours button.paper')
      .first()
      .getAttribute('data-index');
    const startId = await explorer.getAttribute('selected-paper');
    await page.keyboard.press('ArrowRight');
    const firstId = await page.evaluate(
      (i) => (window as unknown as HarnessWindow).__atlas.map!.papers[i]!.id,
      Number(first),
    );
    await expect(explorer).toHaveAttribute('selected-paper', firstId);
    await page.keyboard.press('ArrowLeft');
    await expect(explorer).toHaveAttribute('selected-paper', startId!);
    await page.keyboard.press('Escape');
    await expect(explorer).toHaveAttribute('selected-paper', '');
  });

  test('progress panel cancels and error banner retries', async ({ page }) => {
    await openHarness(page);
    await page.evaluate(() => {
      const explorer = document.querySelector('atlas-explorer') as unknown as ExplorerHooks;
      explorer.progress = {
        stage: 'embedding',
        done: 250,
        total: 1000,
        rate: 48.3,
        etaSeconds: 15.5,
      };
    });
    const progress = page.locator('atlas-progress');
    await expect(progress).toContainText('Embedding abstracts');
    await expect(progress).toContainText('25%');
    await expect(progress).toContainText('48 docs/s');
    await expect(progress).toContainText('16 s left');
    await progress.getByRole('button', { name: 'Cancel' }).click();
    expect(await page.evaluate(() => (window as unknown as HarnessWindow).__atlas.cancels)).toBe(1);
    // The current map stays drawn while a new one computes.
    await expect(page.locator('atlas-explorer')).toHaveAttribute('points', '600');

    await page.locator('atlas-drop-zone input[type=file]').setInputFiles({
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('not a map'),
    });
    const banner = page.locator('atlas-error-banner');
    await expect(banner).toContainText('“notes.txt” is not a saved map.');
    await expect(banner).toContainText('The harness opens only .atlas.json files.');
    await banner.getByRole('button', { name: 'Retry' }).click();
    expect(await page.evaluate(() => (window as unknown as HarnessWindow).__atlas.retries)).toBe(1);
  });

  test('works on a phone-sized screen with a bottom sheet', async ({ page }) => {
    await page.setViewportSize({ width: 360, height: 740 });
    await openHarness(page);
    const panel = page.locator('atlas-explorer aside.panel');
    const box = await panel.boundingBox();
    expect(box!.width).toBeLessThanOrEqual(360);
    expect(box!.y).toBeGreaterThan(300);
  });
});
