import { defineConfig } from '@playwright/test';
import base from './playwright.config.ts';

/** The heavy-load run (`npm run test:load`): 100,000 papers through the whole pipeline in Chromium. */
export default defineConfig({ ...base, testDir: 'e2e-load', timeout: 45 * 60_000 });
