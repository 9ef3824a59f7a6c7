import { existsSync } from 'node:fs';

/** Debian's Chromium where it is installed (CI, this workplace); Playwright's own browser elsewhere. */
export function chromiumExecutable(): string | undefined {
  const systemChromium = '/usr/bin/chromium';
  return process.env.CHROMIUM_PATH ?? (existsSync(systemChromium) ? systemChromium : undefined);
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
