import { createReadStream, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { expect, test, type Page } from '@playwright/test';

/** The 115k-paper arXiv file beside the checkout; CI always has it (see ../shared/README.md). */
const ARXIV = fileURLToPath(
  new URL('../../shared/corpus/arxiv-2025-2026.jsonl.gz', import.meta.url),
);
const SAMPLE_EVERY = 115;
const CORPUS_URL = 'https://papers.example.org/arxiv-sample.jsonl';

/** Every 115th line of the arXiv file: about 1,000 papers spread over its 18 months. */
async function arxivSample(): Promise<string> {
  if (!existsSync(ARXIV)) {
    throw new Error(`${ARXIV} is missing: the facet tests need ../shared beside the checkout.`);
  }
  const lines: string[] = [];
  let at = 0;
  const reader = createInterface({ input: createReadStream(ARXIV).pipe(createGunzip()) });
  for await (const line of reader) {
    if (at++ % SAMPLE_EVERY === 0) lines.push(line);
  }
  return lines.join('\n');
}

async function serveSample(page: Page, body: string): Promise<void> {
  await page.route('https://papers.example.org/**', (route) =>
    route.fulfill({
      status: 200,
      body,
      headers: { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'application/x-ndjson' },
    }),
  );
}

test.describe('facets and time', () => {
  test('brush a date range, play two steps, and reopen the same filter from a copied link', async ({
    page,
    context,
  }) => {
    test.setTimeout(300_000);
    const sample = await arxivSample();
    const total = sample.split('\n').length;
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await serveSample(page, sample);
    await page.goto(`/?embedder=lexical&corpus=${encodeURIComponent(CORPUS_URL)}`);
    const app = page.locator('atlas-app');
    await expect(app).toHaveAttribute('status', 'ready', { timeout: 240_000 });
    await expect(app).toHaveAttribute('doc-count', String(total));

    const explorer = page.locator('atlas-explorer');
    await expect(explorer).toHaveAttribute('points', /^[1-9]/);
    await explorer.getByRole('tab', { name: /^Filters/ }).click();
    const facets = explorer.locator('atlas-facets');
    await expect(facets.getByRole('heading', { name: 'Date' })).toBeVisible();
    await expect(facets.getByRole('heading', { name: 'Category' })).toBeVisible();

    // Brush from a quarter to the middle of the date histogram.
    const histogram = facets.locator('svg.histogram');
    const box = (await histogram.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.25, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2, { steps: 4 });
    await page.mouse.move(box.x + box.width * 0.55, box.y + box.height / 2, { steps: 4 });
    await page.mouse.up();

    const heading = facets.getByRole('heading', { name: /papers$/ });
    await expect(heading).toHaveText(/^[\d,]+ of [\d,]+ papers$/);
    const [shown = 0, all = 0] = (await heading.textContent())!
      .match(/[\d,]+/g)!
      .map((n) => Number(n.replace(/,/g, '')));
    expect(all).toBe(total);
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(total);
    // The map highlights exactly the papers the filter keeps.
    await expect(explorer).toHaveAttribute('highlighted', String(shown));
    const range = await facets.getByLabel('From', { exact: true }).inputValue();
    const rangeTo = await facets.getByLabel('To', { exact: true }).inputValue();
    expect(Number(rangeTo)).toBeGreaterThan(Number(range));

    // A category bar crossfilters the dates and the map; clearing it restores the date filter alone.
    const firstBar = facets.getByRole('list').first().getByRole('button').first();
    await firstBar.click();
    await expect(firstBar).toHaveAttribute('aria-pressed', 'true');
    const narrowed = Number((await explorer.getAttribute('highlighted'))!);
    expect(narrowed).toBeLessThanOrEqual(shown);
    await firstBar.click();
    await expect(explorer).toHaveAttribute('highlighted', String(shown));

    // Play the time window two steps: the status names each window and its count.
    await facets.getByLabel('Speed', { exact: true }).selectOption('0.5');
    await facets.getByRole('button', { name: 'Play' }).click();
    const step = facets.locator('.player [role=status]');
    await expect(step).toHaveText(/\d{4}-\d{2} – \d{4}-\d{2}: [\d,]+ papers/);
    const first = await step.textContent();
    await expect(step).not.toHaveText(first!, { timeout: 10_000 });
    const second = await step.textContent();
    await facets.getByRole('button', { name: 'Pause' }).click();
    expect(second).not.toBe(first);
    const stepCount = Number(second!.match(/: ([\d,]+) papers/)![1]!.replace(/,/g, ''));
    await expect(explorer).toHaveAttribute('highlighted', String(stepCount));

    // Set the brushed range again with the keyboard-operable selects, then copy the link.
    await facets.getByLabel('From', { exact: true }).selectOption(range);
    await facets.getByLabel('To', { exact: true }).selectOption(rangeTo);
    await expect(explorer).toHaveAttribute('highlighted', String(shown));
    await explorer.getByRole('button', { name: 'Copy link' }).click();
    const url = await page.evaluate(() => navigator.clipboard.readText());
    expect(url).toMatch(/[?&]f=time%3A\d{4}-\d{2}\.\.\d{4}-\d{2}/);

    const reopened = await context.newPage();
    await serveSample(reopened, sample);
    await reopened.goto(url);
    const again = reopened.locator('atlas-explorer');
    await expect(reopened.locator('atlas-app')).toHaveAttribute('status', 'ready', {
      timeout: 240_000,
    });
    await expect(again).toHaveAttribute('highlighted', String(shown));
    await again.getByRole('tab', { name: /^Filters/ }).click();
    await expect(
      again.locator('atlas-facets').getByRole('heading', { name: /papers$/ }),
    ).toHaveText(`${shown.toLocaleString('en')} of ${total.toLocaleString('en')} papers`);
  });

  test('a corpus without dates says so instead of drawing an empty chart', async ({ page }) => {
    await page.goto('/');
    await expect(page.locator('atlas-app')).toHaveAttribute('status', 'ready');
    const explorer = page.locator('atlas-explorer');
    await explorer.getByRole('tab', { name: /^Filters/ }).click();
    await expect(explorer.locator('atlas-facets')).toContainText(
      'This corpus has no dates, so there is no time filter.',
    );
  });
});
