import { existsSync } from 'node:fs';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/** Debian's Chromium where it is installed (CI, this workplace); Playwright's own browser elsewhere. */
export function chromiumExecutable(): string | undefined {
  return process.env.CHROMIUM_PATH ?? (existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined);
}

export interface BrowserLookup {
  /** `CHROMIUM_PATH`, if set. */
  chromiumPath: string | undefined;
  /** Where Playwright's own Chromium lives once `npx playwright install chromium` has run. */
  playwrightChromium: string;
  exists: (path: string) => boolean;
}

/**
 * Why the end-to-end tests cannot start a browser, in words that say how to get one; undefined when
 * they can. Checked once before Playwright runs, so a machine without Chromium gets one message, not
 * one launch failure per test.
 */
export function missingBrowserMessage(lookup: BrowserLookup): string | undefined {
  const { chromiumPath, playwrightChromium, exists } = lookup;
  if (chromiumPath !== undefined) {
    return exists(chromiumPath)
      ? undefined
      : `CHROMIUM_PATH is set to ${chromiumPath}, but there is no file there. ` +
          'Point it at a Chromium or Chrome executable, or unset it.';
  }
  if (exists(SYSTEM_CHROMIUM) || exists(playwrightChromium)) return undefined;
  return [
    'The end-to-end tests need Chromium, and none was found',
    `(neither ${SYSTEM_CHROMIUM} nor Playwright's own at ${playwrightChromium}). Get one with either:`,
    '  apt-get install chromium            (Debian, Ubuntu; as root)',
    '  npx playwright install chromium     (any system; Playwright downloads its own)',
    'or set CHROMIUM_PATH to a Chromium or Chrome executable. Then run the tests again.',
  ].join('\n');
}

/**
 * Flags for headless runs here: no sandbox (root), no background traffic (the network is closed), and
 * WebGPU through SwiftShader, which needs no GPU.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--enable-unsafe-webgpu',
  '--use-webgpu-adapter=swiftshader',
  '--enable-features=Vulkan',
];
