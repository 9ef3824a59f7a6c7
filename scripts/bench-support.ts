/** What the benchmarks share: command-line numbers, a dev server of the app, and Chromium. */
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { createServer, type ViteDevServer } from 'vite';
import { CHROMIUM_ARGS, chromiumExecutable } from './chromium.ts';

const root = resolve(import.meta.dirname, '..');

/** The number after `--<name>` on the command line, or `fallback`. */
export function numberArgument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

/** The app's dev server (its own config: COOP/COEP, self-hosted ONNX Runtime, local models) on `port`. */
export async function startDevServer(
  port: number,
  headers?: Record<string, string>,
): Promise<ViteDevServer> {
  const server = await createServer({
    root,
    configFile: join(root, 'vite.config.ts'),
    server: { port, strictPort: true, ...(headers ? { headers } : {}) },
    logLevel: 'warn',
  });
  await server.listen();
  return server;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS });
}

/** A new page on a harness, once the harness says it is ready (`data-ready` on its body). */
export async function openHarnessPage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset['ready'] === 'true');
  return page;
}
