/**
 * Run before the end-to-end tests (`npm run test:e2e`, `npm run test:load`): exits with one plain
 * message when there is no Chromium to run them in.
 */
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { missingBrowserMessage } from './chromium.ts';

const message = missingBrowserMessage({
  chromiumPath: process.env.CHROMIUM_PATH,
  playwrightChromium: chromium.executablePath(),
  exists: existsSync,
});
if (message) {
  console.error(message);
  process.exit(1);
}
