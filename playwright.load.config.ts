import { defineConfig } from '@playwright/test';
import base, { BUILT_SITE_BASE, builtPort, builtSiteServer } from './playwright.config.ts';

/** The heavy-load run (`npm run test:load`): 100,000 papers through the whole pipeline, on the built site. */
export default defineConfig({
  ...base,
  testDir: 'e2e-load',
  timeout: 45 * 60_000,
  projects: [{ name: 'load', use: { baseURL: `http://localhost:${builtPort}${BUILT_SITE_BASE}` } }],
  webServer: [builtSiteServer()],
});
