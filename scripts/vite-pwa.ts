import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { PluginOption } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { ORT_ASSET_DIR, ortDistDir } from './vite-ort-assets.ts';

/** ONNX Runtime's WASM runtime is about 27 MB; Workbox's default limit (2 MiB) would leave it out. */
export const MAX_PRECACHE_FILE_BYTES = 64 * 1024 * 1024;

const RUNTIME_FILE_NAME = /ort-wasm[\w.-]*?\.(?:wasm|mjs)/g;

/** The runtime file names (`ort-wasm….wasm`/`.mjs`) that a piece of ONNX Runtime's JavaScript loads. */
export function ortRuntimeFilesNamedIn(source: string): string[] {
  return [...new Set(source.match(RUNTIME_FILE_NAME) ?? [])].sort();
}

/** The `onnxruntime-web` entry points (`onnxruntime-web`, `onnxruntime-web/webgpu`, …) a module imports. */
export function ortEntryPointsImportedBy(source: string): string[] {
  const specifiers = [...source.matchAll(/["'](onnxruntime-web(?:\/[\w-]+)?)["']/g)].map(
    (m) => m[1]!,
  );
  return [...new Set(specifiers)].sort();
}

type ExportTarget = string | null | { [condition: string]: ExportTarget };

/** The conditions Vite matches when it bundles for the browser, besides its mode. */
const BROWSER_CONDITIONS = new Set(['import', 'module', 'browser', 'default']);

/**
 * The file a browser bundler picks for `subpath` (`.`, `./webgpu`) from a package's `exports` field:
 * the first condition, in the package's own order, that a browser build accepts.
 */
export function browserExportOf(exportsField: ExportTarget, subpath: string): string | undefined {
  let target: ExportTarget | undefined = exportsField;
  if (typeof target === 'object' && target !== null) {
    const bySubpath = Object.keys(target).some((key) => key.startsWith('.'));
    if (bySubpath) target = target[subpath];
    else if (subpath !== '.') return undefined;
  }
  while (typeof target === 'object' && target !== null) {
    const conditions: { [condition: string]: ExportTarget } = target;
    const accepted = Object.keys(conditions).find((key) => BROWSER_CONDITIONS.has(key));
    target = accepted === undefined ? undefined : conditions[accepted];
  }
  return typeof target === 'string' ? target : undefined;
}

function readPackage(dir: string): { exports: ExportTarget } {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { exports: ExportTarget };
}

/**
 * The ONNX Runtime runtime files the app can load: those named by the ONNX Runtime builds that the
 * browser build of Transformers.js imports. Only these are precached; the other flavours `ort/` holds
 * (tens of MB each) are cached on first use if ever asked for.
 */
export function ortRuntimeFilesUsedByTransformers(): string[] {
  const require = createRequire(import.meta.url);
  const transformersDir = join(dirname(require.resolve('@huggingface/transformers')), '..');
  const transformersWebFile = browserExportOf(readPackage(transformersDir).exports, '.');
  if (!transformersWebFile) {
    throw new Error(`@huggingface/transformers (${transformersDir}) exports no browser build.`);
  }
  const transformersWeb = readFileSync(join(transformersDir, transformersWebFile), 'utf8');
  const ortDir = ortDistDir();
  const ortPackageDir = join(ortDir, '..');
  const ortExports = readPackage(ortPackageDir).exports;
  const available = new Set(readdirSync(ortDir));
  const used = new Set<string>();
  for (const entryPoint of ortEntryPointsImportedBy(transformersWeb)) {
    const subpath = '.' + entryPoint.slice('onnxruntime-web'.length);
    const file = browserExportOf(ortExports, subpath);
    if (!file) continue;
    const source = readFileSync(join(ortPackageDir, file), 'utf8');
    for (const name of ortRuntimeFilesNamedIn(source)) if (available.has(name)) used.add(name);
  }
  if (used.size === 0) {
    throw new Error(
      'Found no ONNX Runtime runtime file (ort-wasm….wasm/.mjs) named by the ONNX Runtime build that ' +
        `Transformers.js imports (looked in ${ortDir}). The packages' layout has changed: update ` +
        'ortRuntimeFilesUsedByTransformers in scripts/vite-pwa.ts.',
    );
  }
  return [...used].sort();
}

/**
 * The service worker and web app manifest (vite-plugin-pwa, `injectManifest` with `src/sw.ts`).
 * Precached: the app shell, the bundled corpus (`corpus/`, including a built `*.atlas.json` bundle)
 * and the ONNX Runtime files the app loads. Models are cached on first use by the service worker.
 */
export function atlasPwa(): PluginOption {
  const ortFiles = ortRuntimeFilesUsedByTransformers().map((file) => ORT_ASSET_DIR + file);
  return VitePWA({
    strategies: 'injectManifest',
    srcDir: 'src',
    filename: 'sw.ts',
    // `src/app/service-worker.ts` registers it from a module script: nothing inline for the CSP to block.
    injectRegister: false,
    registerType: 'prompt',
    manifest: {
      name: 'Abstract Atlas',
      short_name: 'Atlas',
      description:
        'An interactive, labelled map of research-paper abstracts, computed in your browser.',
      start_url: '.',
      scope: '.',
      display: 'standalone',
      background_color: '#ffffff',
      theme_color: '#1f4e79',
      icons: [{ src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
    },
    // The glob below already precaches the icon; listing it twice would be harmless but noisy.
    includeManifestIcons: false,
    injectManifest: {
      // The plugin adds manifest.webmanifest itself.
      globPatterns: ['**/*.{html,js,css,svg,png,ico}', 'corpus/**/*', ...ortFiles],
      globIgnores: ['models/**', '**/*.map'],
      maximumFileSizeToCacheInBytes: MAX_PRECACHE_FILE_BYTES,
      // Registered as a classic script (no `import` at top level), which every browser with service workers runs.
      rollupFormat: 'iife',
    },
  });
}

/**
 * The site's base path from `ATLAS_BASE`: `/abstract-atlas/` for a GitHub Pages project site, an
 * absolute URL for a CDN, or (unset) `./`, which works under any sub-path. A missing leading or trailing
 * slash is added, since Vite joins the base and file names as they are.
 */
export function siteBase(value: string | undefined): string {
  const base = value?.trim() ?? '';
  if (base === '' || base === '.' || base === './') return './';
  if (/^https?:\/\//.test(base)) return base.endsWith('/') ? base : `${base}/`;
  return base.replace(/^\/*/, '/').replace(/\/*$/, '/');
}
