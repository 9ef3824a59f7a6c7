/**
 * Which requests the service worker answers and how, as plain functions of URLs so they are testable
 * outside a service worker. Paths are relative to the service worker's scope (the site's base), so the
 * same build works at `/` and under any sub-path.
 */

/** Runtime cache for model files: fetched on first use, then served from the cache (never precached: they are large and optional). */
export const MODEL_CACHE = 'abstract-atlas-models-v1';

/** Runtime cache for ONNX Runtime files the build emits but the app does not precache (other runtime flavours). */
export const ORT_RUNTIME_CACHE = 'abstract-atlas-ort-v1';

/** The scope-relative path of `url`, or `undefined` when it lies outside the scope or on another origin. */
export function pathInScope(url: URL, scope: URL): string | undefined {
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return undefined;
  return url.pathname.slice(scope.pathname.length);
}

/** Self-hosted models under `models/` (the Transformers.js `localModelPath`). */
export function isModelFile(url: URL, scope: URL): boolean {
  return pathInScope(url, scope)?.startsWith('models/') ?? false;
}

/** ONNX Runtime's `.wasm`/`.mjs` runtime files under `ort/`. */
export function isOrtRuntimeFile(url: URL, scope: URL): boolean {
  return /^ort\/[^/]+\.(wasm|mjs)$/.test(pathInScope(url, scope) ?? '');
}

/**
 * Navigations answered with the precached app shell: the site root and `index.html`, with any query
 * (`?corpus=…`). Other navigations (a corpus file opened directly, say) go to the network.
 */
export function isAppShellNavigation(url: URL, scope: URL): boolean {
  const path = pathInScope(url, scope);
  return path === '' || path === 'index.html';
}
