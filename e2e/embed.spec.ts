import { expect, test, type Page } from '@playwright/test';
import { makeTestModel, TEST_MODEL_ID } from '../scripts/make-test-model.ts';

const HARNESS = '/e2e/harness/embed.html';
const model = TEST_MODEL_ID;
const texts = [
  'Graph neural networks predict molecular properties from atom and bond features.',
  'We observe a supernova in a distant galaxy and measure its light curve.',
  'Large language models follow instructions after preference tuning.',
  'A proof of a conjecture on prime gaps.',
];

test.beforeAll(() => {
  makeTestModel();
});

async function openHarness(page: Page, query = ''): Promise<void> {
  await page.goto(`${HARNESS}${query}`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
}

function cosines(a: number[], b: number[], dim: number): number[] {
  const out: number[] = [];
  for (let row = 0; row * dim < a.length; row++) {
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (let c = row * dim; c < (row + 1) * dim; c++) {
      dot += a[c]! * b[c]!;
      na += a[c]! * a[c]!;
      nb += b[c]! * b[c]!;
    }
    out.push(dot / Math.sqrt(na * nb));
  }
  return out;
}

test.describe('embedding engine in Chromium', () => {
  test('WASM (threaded, isolated) and WebGPU vectors agree at fp32', async ({ page }) => {
    test.slow(); // WebGPU here is SwiftShader, a CPU emulation.
    await openHarness(page);
    const environment = await page.evaluate(() => window.embedHarness.environment());
    expect(environment.crossOriginIsolated).toBe(true);
    expect(environment.webgpu).toBe(true);
    await page.evaluate(() => window.embedHarness.clearCache());
    const wasm = await page.evaluate(
      ([t, m]) =>
        window.embedHarness.embed(t, {
          embedder: 'neural',
          model: m,
          device: 'wasm',
          dtype: 'fp32',
        }),
      [texts, model] as const,
    );
    expect(wasm.info).toMatchObject({ kind: 'neural', device: 'wasm', dtype: 'fp32', dim: 384 });
    await page.evaluate(() => window.embedHarness.clearCache());
    const webgpu = await page.evaluate(
      ([t, m]) =>
        window.embedHarness.embed(t, {
          embedder: 'neural',
          model: m,
          device: 'webgpu',
          dtype: 'fp32',
        }),
      [texts, model] as const,
    );
    expect(webgpu.info).toMatchObject({ kind: 'neural', device: 'webgpu', dtype: 'fp32' });
    expect(webgpu.notices).toEqual([]);
    expect(webgpu.cached).toBe(0);
    for (const similarity of cosines(wasm.vectors, webgpu.vectors, 384)) {
      expect(similarity).toBeGreaterThanOrEqual(0.999);
    }
  });

  test('reopening the page reads vectors from the cache; new texts alone are computed', async ({
    page,
  }) => {
    await openHarness(page);
    await page.evaluate(() => window.embedHarness.clearCache());
    const request = { embedder: 'neural', model, device: 'wasm', dtype: 'fp32' } as const;
    const first = await page.evaluate(([t, r]) => window.embedHarness.embed(t, r), [
      texts,
      request,
    ] as const);
    expect(first.cached).toBe(0);
    await page.reload();
    await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
    const again = await page.evaluate(([t, r]) => window.embedHarness.embed(t, r), [
      texts,
      request,
    ] as const);
    expect(again.cached).toBe(texts.length);
    expect(again.stats.computed).toBe(0);
    expect(again.vectors).toEqual(first.vectors);
    const grown = [
      ...texts,
      'Ten new papers, or at least two.',
      'Another new abstract on ocean currents.',
    ];
    const more = await page.evaluate(([t, r]) => window.embedHarness.embed(t, r), [
      grown,
      request,
    ] as const);
    expect(more.cached).toBe(texts.length);
    expect(more.stats.computed).toBe(2);
    expect(await page.evaluate(() => window.embedHarness.cacheInfo())).toMatchObject({
      entries: grown.length,
    });
  });

  test('falls back to the lexical embedder, with a notice, when the model folder is missing', async ({
    page,
  }) => {
    await openHarness(page, '?models=/no-models-here/');
    const run = await page.evaluate(
      ([t, m]) => window.embedHarness.embed(t, { embedder: 'auto', model: m }),
      [texts, model] as const,
    );
    expect(run.info).toMatchObject({ kind: 'lexical', model: 'tfidf-svd' });
    expect(run.notices.join(' ')).toContain('Using the lexical (TF-IDF) embedder');
    const query = await page.evaluate(() =>
      window.embedHarness.embedQuery('supernova light curve'),
    );
    expect(query).toHaveLength(run.dim);
  });

  test('cancellation stops the run within one batch', async ({ page }) => {
    await openHarness(page);
    await page.evaluate(() => window.embedHarness.clearCache());
    const many = Array.from({ length: 40 }, (_, i) => `Abstract number ${i} about topic ${i % 7}.`);
    const request = {
      embedder: 'neural',
      model,
      device: 'wasm',
      dtype: 'fp32',
      maxBatchSize: 4,
    } as const;
    const outcome = await page.evaluate(
      ([t, r]) => window.embedHarness.embedExpectingFailure(t, r, { abortAfterDone: 4 }),
      [many, request] as const,
    );
    expect(outcome).toMatchObject({ failed: true, name: 'AbortError' });
    // Inference runs one at a time in the worker, so once these single-text runs finish the cancelled
    // run has either stopped or had every chance to go on writing vectors to the cache.
    const one = ['A single later text.'];
    await page.evaluate(([t, r]) => window.embedHarness.embed(t, r), [one, request] as const);
    const afterFirst = await page.evaluate(() => window.embedHarness.cacheInfo());
    expect(afterFirst.entries).toBeGreaterThanOrEqual(4 + 1);
    expect(afterFirst.entries).toBeLessThanOrEqual(4 + 4 + 1);
    await page.evaluate(([r]) => window.embedHarness.embed(['Yet another text.'], r), [
      request,
    ] as const);
    expect((await page.evaluate(() => window.embedHarness.cacheInfo())).entries).toBe(
      afterFirst.entries + 1,
    );
  });

  test('a WebGPU device lost mid-run continues on WASM, keeping finished vectors', async ({
    page,
  }) => {
    test.slow(); // WebGPU here is SwiftShader, a CPU emulation.
    await openHarness(page);
    await page.evaluate(() => window.embedHarness.clearCache());
    const six = [...texts, 'Two more texts to fill a third batch.', 'The last one.'];
    const base = { embedder: 'neural', model, dtype: 'fp32', maxBatchSize: 2 } as const;
    const lost = await page.evaluate(([t, r]) => window.embedHarness.embed(t, r), [
      six,
      { ...base, device: 'webgpu', debugLoseDeviceAfterBatches: 1 },
    ] as const);
    expect(lost.stats.batchesByDevice).toEqual({ webgpu: 1, wasm: 2 });
    expect(lost.info.device).toBe('wasm');
    expect(lost.notices.join(' ')).toMatch(/WebGPU stopped working after 2 of 6 texts/);
    await page.evaluate(() => window.embedHarness.clearCache());
    const reference = await page.evaluate(([t, r]) => window.embedHarness.embed(t, r), [
      six,
      { ...base, device: 'wasm' },
    ] as const);
    for (const similarity of cosines(lost.vectors, reference.vectors, 384)) {
      expect(similarity).toBeGreaterThanOrEqual(0.999);
    }
  });
});
