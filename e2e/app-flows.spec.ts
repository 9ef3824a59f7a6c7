import { expect, test } from '@playwright/test';
import { dropFile } from './drop.ts';
import { BUNDLED_PAPER_COUNT, openBundledMap } from './bundled.ts';

const TOPICS = [
  ['protein folding', 'molecular dynamics', 'amino acid structure'],
  ['galaxy clusters', 'telescope survey', 'dark matter halos'],
  ['syntax parsing', 'dependency grammar', 'treebank annotation'],
  ['reinforcement learning', 'policy gradient', 'reward shaping'],
];

/** A CSV of `n` papers on four topics, made here so the test needs no fixture file. */
function topicCsv(n: number): string {
  const rows = ['id,title,abstract'];
  for (let i = 0; i < n; i++) {
    const [a, b, c] = TOPICS[i % TOPICS.length]!;
    rows.push(
      `t${i},"${a} study ${i}","We examine ${a} with ${b} and ${c}, case ${i}. Results on ${b} improve."`,
    );
  }
  return rows.join('\n');
}

test('the bundled corpus embedded lexically in the browser shows labelled clusters', async ({
  page,
}) => {
  await page.goto('/?embedder=lexical');
  const app = page.locator('atlas-app');
  await expect(app).toHaveAttribute('status', 'ready', { timeout: 90_000 });
  await expect(app).toHaveAttribute('embedder', /^lexical:tfidf-svd:/);
  await expect(page.locator('atlas-explorer')).toHaveAttribute(
    'points',
    String(BUNDLED_PAPER_COUNT),
  );
  const legend = page.getByRole('list', { name: 'Legend' }).getByRole('listitem');
  expect(await legend.count()).toBeGreaterThanOrEqual(2);
  await expect(legend.first()).toContainText(/\w+ · \w+/);
});

test('a dropped file is mapped in the browser', async ({ page }) => {
  await openBundledMap(page);
  await dropFile(page, { name: 'topics.csv', content: topicCsv(80), type: 'text/csv' });
  const app = page.locator('atlas-app');
  await expect(app).toHaveAttribute('doc-count', '80', { timeout: 90_000 });
  await expect(app).toHaveAttribute('status', 'ready');
  await expect(page.locator('atlas-explorer')).toHaveAttribute('points', '80');
});

test('a file of one or two papers gives a map of one or two points', async ({ page }) => {
  await openBundledMap(page);
  const app = page.locator('atlas-app');
  for (const n of [2, 1]) {
    await dropFile(page, { name: `small-${n}.csv`, content: topicCsv(n), type: 'text/csv' });
    await expect(app).toHaveAttribute('doc-count', String(n), { timeout: 90_000 });
    await expect(app).toHaveAttribute('status', 'ready');
    await expect(page.locator('atlas-explorer')).toHaveAttribute('points', String(n));
    await expect(page.getByRole('alert')).toHaveCount(0);
  }
});

test('progress shows while a dropped file computes, and Cancel keeps the current map', async ({
  page,
}) => {
  await openBundledMap(page);
  await dropFile(page, { name: 'big.csv', content: topicCsv(3000), type: 'text/csv' });
  const app = page.locator('atlas-app');
  await expect(app).not.toHaveAttribute('status', 'ready');
  const progress = page
    .getByRole('status')
    .filter({ has: page.getByRole('button', { name: 'Cancel' }) });
  await expect(progress).toBeVisible();
  await progress.getByRole('button', { name: 'Cancel' }).click();
  await expect(app).toHaveAttribute('status', 'ready');
  await expect(app).toHaveAttribute('doc-count', String(BUNDLED_PAPER_COUNT));
  await expect(page.locator('atlas-explorer')).toHaveAttribute(
    'points',
    String(BUNDLED_PAPER_COUNT),
  );
});

test('a bad file gets a plain message and the current map stays', async ({ page }) => {
  await openBundledMap(page);
  const pngBytes = [
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 1, 2, 3,
  ];
  await dropFile(page, { name: 'papers.csv', content: pngBytes, type: 'text/csv' });
  const app = page.locator('atlas-app');
  await expect(app).toHaveAttribute('status', 'error');
  await expect(page.getByRole('alert')).toContainText(/papers\.csv/);
  await expect(app).toHaveAttribute('doc-count', String(BUNDLED_PAPER_COUNT));
  await expect(page.locator('atlas-explorer')).toHaveAttribute(
    'points',
    String(BUNDLED_PAPER_COUNT),
  );
});

test('semantic search on the precomputed bundled map ranks papers with the embedder that made it', async ({
  page,
}) => {
  await openBundledMap(page);
  const explorer = page.locator('atlas-explorer');
  await explorer.getByLabel('Semantic').check();
  await explorer
    .locator('input[type=search]')
    .fill('speculative decoding for faster LLM inference');
  await expect(explorer.locator('.search-status')).toContainText('nearest papers by meaning');
  const top = explorer.locator('ol.search-results li').first();
  await expect(top).toContainText(/decoding/i);
});

test('a shared link reopens the same selection and search', async ({ page }) => {
  await openBundledMap(page);
  const explorer = page.locator('atlas-explorer');
  await explorer.locator('input[type=search]').fill('relation extraction');
  await expect(explorer.locator('ol.search-results li').first()).toBeVisible();
  await explorer.locator('ol.search-results li').first().click();
  const selected = await explorer.getAttribute('selected-paper');
  expect(selected).toBeTruthy();
  await expect.poll(() => new URL(page.url()).searchParams.get('paper')).toBe(selected);
  const shared = page.url();

  await page.goto('about:blank');
  await page.goto(shared);
  await expect(page.locator('atlas-app')).toHaveAttribute('status', 'ready');
  await expect(explorer).toHaveAttribute('selected-paper', selected!);
  await expect(explorer.locator('input[type=search]')).toHaveValue('relation extraction');
});
