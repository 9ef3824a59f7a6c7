import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { REAL_MODEL_ID, realModelSkipReason } from '../scripts/real-model.ts';
import type { EmbedderInfo } from '../src/pipeline/atlas-map.ts';
import {
  COMPUTING_STAGES,
  precachedUrls,
  recordStatuses,
  recordTimeToReady,
  serveCopyOfBuiltSite,
  timeToReady,
  waitForServiceWorkerIsolation,
  watchForViolations,
  watchResponsesFor,
  type ServedSiteCopy,
} from './built-site.ts';
import { dropFile } from './drop.ts';

test.describe('the built site on a static host under a sub-path', () => {
  test('opens, becomes cross-origin isolated through the service worker, and reaches ready', async ({
    page,
  }) => {
    const problems = await watchForViolations(page);
    await recordTimeToReady(page);
    const response = await page.goto('./');
    expect(response?.status()).toBe(200);
    // The host itself sends no isolation headers: isolation must come from the service worker.
    expect(response?.headers()['cross-origin-embedder-policy']).toBeUndefined();
    expect(response?.headers()['cross-origin-opener-policy']).toBeUndefined();

    await waitForServiceWorkerIsolation(page);
    const readyMs = await timeToReady(page);
    console.info(`first visit (after the isolation reload): navigation → ready ${readyMs} ms`);
    expect(problems).toEqual([]);
  });

  test('carries a Content-Security-Policy that blocks inline scripts and eval', async ({
    page,
  }) => {
    const problems = await watchForViolations(page);
    await page.goto('./');
    // The one reload that turns on isolation must be over before the page is probed.
    await waitForServiceWorkerIsolation(page);
    const policy = await page
      .locator('meta[http-equiv="Content-Security-Policy"]')
      .getAttribute('content');
    expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(policy).not.toMatch(/'unsafe-eval'|script-src[^;]*'unsafe-inline'/);
    expect(policy).toContain("object-src 'none'");
    expect(await page.locator('script:not([src])').count()).toBe(0);
    await expect(page.locator('atlas-app')).toHaveAttribute('status', 'ready');
    expect(problems).toEqual([]);

    // The policy is in force: code added inline now is refused, and the refusal is seen.
    const ranInline = await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'document.documentElement.dataset.inlineRan = "yes"';
      document.head.append(script);
      return document.documentElement.dataset['inlineRan'] === 'yes';
    });
    expect(ranInline).toBe(false);
    await expect.poll(() => problems.length).toBeGreaterThan(0);
  });

  test('loads a ?corpus= link from another https host under the CSP and isolation', async ({
    page,
  }) => {
    const problems = await watchForViolations(page);
    const csv = [
      'id,title,abstract',
      'p1,Graph networks,"A study of graphs, with commas."',
      'p2,Vision transformers,Images and pixels as patches.',
      'p3,Graph attention,"Attention over graph edges, nodes and neighbours."',
      'p4,Image segmentation,Pixels grouped into objects.',
      'p5,Graph sampling,Sampling neighbours in large graphs.',
      'p6,Object detection,Boxes around objects in images.',
    ].join('\n');
    await page.route('https://papers.example.org/**', (route) =>
      route.fulfill({
        status: 200,
        body: csv,
        headers: { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'text/csv' },
      }),
    );
    await page.goto('./');
    await waitForServiceWorkerIsolation(page);
    await page.goto('./?corpus=' + encodeURIComponent('https://papers.example.org/list.csv'));
    const app = page.locator('atlas-app');
    await expect(app).toHaveAttribute('status', 'ready');
    await expect(app).toHaveAttribute('doc-count', '6');
    expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
    expect(problems).toEqual([]);
  });

  test('a link to a map bundle on another host opens it with nothing recomputed', async ({
    page,
  }) => {
    const bundle = readFileSync(join('dist', 'corpus', 'bundle.atlas.json'));
    await page.route('https://maps.example.org/**', (route) =>
      route.fulfill({
        status: 200,
        body: bundle,
        headers: { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'application/json' },
      }),
    );
    await page.goto('./');
    await waitForServiceWorkerIsolation(page);
    const statuses = await recordStatuses(page);
    await page.goto(
      './?corpus=' + encodeURIComponent('https://maps.example.org/reading-group.atlas.json'),
    );
    const app = page.locator('atlas-app');
    await expect(app).toHaveAttribute('status', 'ready');
    await expect(app).toHaveAttribute('doc-count', '172');
    // The embedder the bundle was made with at build time (neural where the weights were in models/).
    const { embedder } = JSON.parse(bundle.toString('utf8')) as { embedder: EmbedderInfo };
    const expected =
      embedder.kind === 'neural'
        ? `neural:${embedder.model}:cpu:${embedder.dtype}`
        : 'lexical:tfidf-svd:node';
    await expect(app).toHaveAttribute('embedder', new RegExp(`^${expected}`));
    expect(statuses.filter((status) => COMPUTING_STAGES.includes(status))).toEqual([]);
  });

  test('precaches the app shell, the bundled corpus and the ONNX Runtime files, not models', async ({
    page,
    baseURL,
  }) => {
    await page.goto('./');
    await waitForServiceWorkerIsolation(page);
    const urls = (await precachedUrls(page)).map((url) => url.slice(baseURL!.length));
    expect(urls).toContain('index.html');
    expect(urls).toContain('corpus/index.json');
    expect(urls).toContain('corpus/bundle.atlas.json');
    expect(urls.some((url) => /^ort\/ort-wasm[\w.-]*\.wasm$/.test(url))).toBe(true);
    expect(urls.some((url) => /^ort\/ort-wasm[\w.-]*\.mjs$/.test(url))).toBe(true);
    expect(urls.some((url) => /^assets\/.+\.js$/.test(url))).toBe(true);
    expect(urls.filter((url) => url.startsWith('models/'))).toEqual([]);
  });

  test('a second visit downloads nothing the service worker holds', async ({ page, context }) => {
    await page.goto('./');
    await waitForServiceWorkerIsolation(page);
    await expect(page.locator('atlas-app')).toHaveAttribute('status', 'ready');
    const precached = await precachedUrls(page);

    const responses = watchResponsesFor(context, precached);
    const secondVisit = await context.newPage();
    const problems = await watchForViolations(secondVisit);
    await recordTimeToReady(secondVisit);
    const documentResponse = await secondVisit.goto('./');
    expect(documentResponse?.fromServiceWorker()).toBe(true);
    const readyMs = await timeToReady(secondVisit);
    console.info(`second visit: navigation → ready ${readyMs} ms`);

    expect(responses.fromNetwork).toEqual([]);
    expect(responses.fromServiceWorker.length).toBeGreaterThanOrEqual(2);
    expect(await secondVisit.evaluate(() => window.crossOriginIsolated)).toBe(true);
    expect(problems).toEqual([]);
  });
});

test.describe('a served copy of the built site, changed during the test', () => {
  let site: ServedSiteCopy;
  let siteDir: string;

  test.beforeEach(async ({ baseURL }) => {
    site = await serveCopyOfBuiltSite(baseURL!);
    siteDir = site.dir;
  });

  test.afterEach(() => site.close());

  /** Publishes a new version: a changed index.html, and a service worker whose precache list says so. */
  function publishNewVersion(): void {
    const indexFile = join(siteDir, 'index.html');
    writeFileSync(
      indexFile,
      readFileSync(indexFile, 'utf8').replace(
        '</head>',
        '<meta name="atlas-version" content="2"></head>',
      ),
    );
    const swFile = join(siteDir, 'sw.js');
    const sw = readFileSync(swFile, 'utf8');
    const updated = sw.replace(
      /("revision":\s*")[0-9a-f]+("\s*,\s*"url":\s*"index\.html")/,
      `$1${Date.now().toString(16)}$2`,
    );
    expect(updated).not.toBe(sw);
    writeFileSync(swFile, updated);
  }

  test('offers "New version available" and Reload switches to it without clearing caches', async ({
    page,
  }) => {
    const problems = await watchForViolations(page);
    await page.goto(site.url);
    await waitForServiceWorkerIsolation(page);
    await expect(page.locator('atlas-app')).toHaveAttribute('status', 'ready');
    const prompt = page.locator('atlas-update-prompt');
    await expect(prompt).toBeHidden();

    publishNewVersion();
    await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      await registration?.update();
    });
    await expect(prompt).toBeVisible();
    await expect(prompt).toContainText('New version available');
    // The open page keeps the old version until the reader chooses to reload.
    expect(await page.locator('meta[name="atlas-version"]').count()).toBe(0);

    await prompt.getByRole('button', { name: 'Reload' }).click();
    await expect(page.locator('meta[name="atlas-version"]')).toHaveAttribute('content', '2');
    await expect(page.locator('atlas-app')).toHaveAttribute('status', 'ready');
    await expect(prompt).toBeHidden();
    const waiting = await page.evaluate(
      async () => (await navigator.serviceWorker.getRegistration())?.waiting !== null,
    );
    expect(waiting).toBe(false);
    expect(problems).toEqual([]);
  });

  test("maps a reader's first dropped file with the real model shipped beside the site", async ({
    page,
  }) => {
    test.skip(realModelSkipReason() !== undefined, realModelSkipReason());
    // On a first visit Transformers.js asks for the weights twice at once; two downloads racing into
    // the service worker's cache aborted one, and the file was mapped lexically instead.
    await page.goto(site.url);
    await waitForServiceWorkerIsolation(page);
    const app = page.locator('atlas-app');
    await expect(app).toHaveAttribute('status', 'ready');
    const rows = ['id,title,abstract'];
    for (let i = 0; i < 24; i++) {
      const topic = i % 2 ? 'galaxy clusters and dark matter halos' : 'protein folding dynamics';
      rows.push(`p${i},"On ${topic}, part ${i}","We study ${topic} in case ${i}."`);
    }
    await dropFile(page, { name: 'first.csv', content: rows.join('\n'), type: 'text/csv' });
    await expect(app).toHaveAttribute('doc-count', '24', { timeout: 120_000 });
    await expect(app).toHaveAttribute('status', 'ready');
    await expect(app).toHaveAttribute('embedder', new RegExp(`^neural:${REAL_MODEL_ID}:wasm:`));
    await expect(page.getByRole('list', { name: 'Notices' })).not.toContainText(
      'could not be loaded',
    );
  });

  test('caches a model file on first use and serves it offline', async ({ page, context }) => {
    const modelDir = join(siteDir, 'models', 'atlas-test', 'tiny');
    mkdirSync(modelDir, { recursive: true });
    writeFileSync(join(modelDir, 'config.json'), '{"model_type":"bert","hidden_size":8}');
    await page.goto(site.url);
    await waitForServiceWorkerIsolation(page);
    const modelUrl = new URL('models/atlas-test/tiny/config.json', site.url).href;
    const cachedModelUrls = () =>
      page.evaluate(async () => {
        const urls: string[] = [];
        for (const name of await caches.keys()) {
          for (const request of await (await caches.open(name)).keys()) {
            if (request.url.includes('/models/')) urls.push(request.url);
          }
        }
        return urls;
      });
    expect(await cachedModelUrls()).toEqual([]);

    const fetchText = (url: string) => page.evaluate(async (u) => (await fetch(u)).text(), url);
    expect(await fetchText(modelUrl)).toContain('"hidden_size":8');
    expect(await cachedModelUrls()).toEqual([modelUrl]);

    await context.setOffline(true);
    expect(await fetchText(modelUrl)).toContain('"hidden_size":8');
  });
});
