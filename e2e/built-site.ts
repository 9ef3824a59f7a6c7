import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type BrowserContext, type Page } from '@playwright/test';
import { startStaticServer } from '../scripts/static-server.ts';

/** Helpers for the specs that run against the built site (the `built-site` Playwright project). */

/**
 * Collects Content-Security-Policy violations and uncaught errors of `page`: the browser's console
 * reports and the `securitypolicyviolation` events of every document the page loads.
 */
export async function watchForViolations(page: Page): Promise<string[]> {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (/content.security.policy|CSP violation/i.test(message.text()))
      problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(
        `CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline code'}`,
      );
    });
  });
  return problems;
}

/** Records, in every document, the milliseconds from navigation start until `<atlas-app status="ready">`. */
export async function recordTimeToReady(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const observer = new MutationObserver(() => {
      if (document.querySelector('atlas-app')?.getAttribute('status') !== 'ready') return;
      document.documentElement.dataset['readyAfterMs'] = performance.now().toFixed(0);
      observer.disconnect();
    });
    observer.observe(document, { subtree: true, attributes: true, attributeFilter: ['status'] });
  });
}

export async function timeToReady(page: Page): Promise<number> {
  await expect(page.locator('atlas-app')).toHaveAttribute('status', 'ready');
  await expect(page.locator('html')).toHaveAttribute('data-ready-after-ms', /\d+/);
  return Number(await page.locator('html').getAttribute('data-ready-after-ms'));
}

/**
 * Waits until a service worker controls the page and the page is cross-origin isolated; on a host
 * that sends no COOP/COEP headers this takes the one reload the app does after the first install.
 */
export async function waitForServiceWorkerIsolation(page: Page): Promise<void> {
  await expect
    .poll(
      () =>
        page
          .evaluate(() => window.crossOriginIsolated && navigator.serviceWorker.controller !== null)
          // The page may be reloading into isolation just then.
          .catch(() => false),
      { timeout: 60_000 },
    )
    .toBe(true);
  await page.waitForLoadState('load');
}

/** The URLs the service worker has precached (Workbox's revision parameter removed). */
export async function precachedUrls(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const urls: string[] = [];
    for (const name of await caches.keys()) {
      if (!name.includes('precache')) continue;
      const cache = await caches.open(name);
      for (const request of await cache.keys()) {
        const url = new URL(request.url);
        url.searchParams.delete('__WB_REVISION__');
        urls.push(url.href);
      }
    }
    return urls;
  });
}

/** Every response the context receives for `urls`, split by whether the service worker served it. */
export function watchResponsesFor(
  context: BrowserContext,
  urls: readonly string[],
): { fromServiceWorker: string[]; fromNetwork: string[] } {
  const wanted = new Set(urls);
  const seen = { fromServiceWorker: [] as string[], fromNetwork: [] as string[] };
  context.on('response', (response) => {
    const url = response.url();
    if (!wanted.has(url)) return;
    (response.fromServiceWorker() ? seen.fromServiceWorker : seen.fromNetwork).push(url);
  });
  return seen;
}

/** The stages that compute a map; opening a precomputed one passes none of them. */
export const COMPUTING_STAGES = ['embedding', 'projecting', 'clustering', 'labelling'];

/** Every `status` `<atlas-app>` takes, in every document the page loads from now on. */
export async function recordStatuses(page: Page): Promise<string[]> {
  const statuses: string[] = [];
  await page.exposeFunction('__atlasStatus', (status: string) => statuses.push(status));
  await page.addInitScript(() => {
    const report = (window as unknown as { __atlasStatus: (status: string) => void }).__atlasStatus;
    new MutationObserver((mutations) => {
      for (const mutation of mutations) {
        const status = (mutation.target as Element).getAttribute('status');
        if (status) void report(status);
      }
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['status'] });
  });
  return statuses;
}

export interface ServedSiteCopy {
  /** The folder served: a copy of `dist/` a test may change. */
  dir: string;
  /** The site's URL, base included. */
  url: string;
  close(): Promise<void>;
}

/** Serves a copy of the built site (source maps left out) under the base of `baseURL`, on a free port. */
export async function serveCopyOfBuiltSite(baseURL: string): Promise<ServedSiteCopy> {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-site-'));
  cpSync('dist', dir, { recursive: true, filter: (source) => !source.endsWith('.map') });
  const server = await startStaticServer({ root: dir, base: new URL(baseURL).pathname, port: 0 });
  return {
    dir,
    url: server.url,
    close: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
