import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumExecutable } from './scripts/chromium.ts';

const executablePath = chromiumExecutable();
const port = Number(process.env.E2E_PORT ?? 5199);
/** The built site is served from a sub-path, as on GitHub Pages, by a server that sends no COOP/COEP headers. */
export const builtPort = Number(process.env.E2E_BUILT_PORT ?? 4199);
export const BUILT_SITE_BASE = '/abstract-atlas/';
const builtSiteSpecs = ['**/offline.spec.ts', '**/static-site.spec.ts', '**/clean-build.spec.ts'];

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://localhost:${port}`,
    trace: 'retain-on-failure',
    ...devices['Desktop Chrome'],
    launchOptions: {
      executablePath,
      args: CHROMIUM_ARGS,
    },
  },
  projects: [
    { name: 'dev', testIgnore: builtSiteSpecs },
    {
      name: 'built-site',
      testMatch: builtSiteSpecs,
      use: { baseURL: `http://localhost:${builtPort}${BUILT_SITE_BASE}` },
    },
  ],
  webServer: [
    {
      command: `npx vite --port ${port} --strictPort`,
      url: `http://localhost:${port}/`,
      reuseExistingServer: !process.env.CI,
      // The bundle is embedded neurally when the real model is in models/ (about 15 s on 2 idle cores).
      timeout: 300_000,
    },
    builtSiteServer(),
  ],
});

/** Builds the site under a sub-path and serves it as a static host would. */
export function builtSiteServer() {
  return {
    command:
      `ATLAS_BASE=${BUILT_SITE_BASE} npm run build && ` +
      `npx tsx scripts/static-server.ts --root dist --base ${BUILT_SITE_BASE} --port ${builtPort}`,
    url: `http://localhost:${builtPort}${BUILT_SITE_BASE}`,
    reuseExistingServer: !process.env.CI,
    timeout: 300_000,
  };
}
