import { expect, test } from '@playwright/test';
import { BUNDLED_PAPER_COUNT } from './bundled.ts';
test.describe('the app on the bundled corpus', () => {
  test('opens ready with every bundled paper', async ({ page }) => {
    await page.goto('/');
    const app = page.locator('atlas-app');
    await expect(app).toHaveAttribute('status', 'ready');
    await expect(app).toHaveAttribute('doc-count', String(BUNDLED_PAPER_COUNT));
  });
});

test.describe('?corpus= links', () => {
  test('loads a corpus file from another host that allows CORS', async ({ page }) => {
    const csv = [
      'id,title,abstract',
      'p1,Graph networks,"A study of graphs, with commas."',
      'p2,Vision transformers,Images and pixels as patches.',
      'p3,Graph attention,"Attention over graph edges, nodes and neighbours."',
      'p4,Image segmentation,Pixels grouped into objects.',
    ].join('\n');
    await page.route('https://papers.example.org/**', (route) =>
      route.fulfill({
        status: 200,
        body: csv,
        headers: { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'text/csv' },
      }),
    );
    await page.goto('/?corpus=' + encodeURIComponent('https://papers.example.org/list.csv'));
    const app = page.locator('atlas-app');
    // With the real model in models/ the run embeds neurally, and the first one compiles ONNX Runtime
    // and loads the weights before it embeds four abstracts.
    await expect(app).toHaveAttribute('status', 'ready', { timeout: 120_000 });
    await expect(app).toHaveAttribute('doc-count', '4');
  });

  test('explains a failed fetch in plain words', async ({ page }) => {
    await page.route('https://papers.example.org/**', (route) =>
      route.fulfill({ status: 404, body: 'nope' }),
    );
    await page.goto('/?corpus=' + encodeURIComponent('https://papers.example.org/missing.csv'));
    const app = page.locator('atlas-app');
    await expect(app).toHaveAttribute('status', 'error');
    await expect(page.getByRole('alert')).toContainText('The server answered 404');
  });
});
