import type { WorkboxPlugin } from 'workbox-core/types.js';

/**
 * The headers that make a document cross-origin isolated (`crossOriginIsolated === true`), which turns
 * on SharedArrayBuffer and so multithreaded ONNX Runtime WASM. Static hosts such as GitHub Pages cannot
 * send them, so the service worker adds them to every same-origin response it serves.
 */
export const CROSS_ORIGIN_ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  // Same-origin resources pass `require-corp` without it; stating it keeps cached copies valid
  // whichever document embeds them.
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * A copy of `response` that carries the cross-origin isolation headers. Opaque and error responses
 * (status 0) are returned as they are: their headers cannot be read or rewritten, and a copy would
 * turn a cross-origin response into a same-origin one.
 */
export function withCrossOriginIsolation(response: Response): Response {
  if (response.status === 0 || response.type === 'opaque' || response.type === 'opaqueredirect') {
    return response;
  }
  const headers = new Headers(response.headers);
  let changed = false;
  for (const [name, value] of Object.entries(CROSS_ORIGIN_ISOLATION_HEADERS)) {
    if (headers.get(name) === value) continue;
    headers.set(name, value);
    changed = true;
  }
  if (!changed) return response;
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

/** A Workbox plugin that adds the isolation headers to every response a strategy hands to the page. */
export const crossOriginIsolationPlugin: WorkboxPlugin = {
  handlerWillRespond: async ({ response }) => withCrossOriginIsolation(response),
};

/**
 * Whether the page should reload once to become cross-origin isolated: a service worker controls it
 * (so the next load gets the headers) but this load came without them. `alreadyReloaded` stops a loop
 * on browsers or hosts where isolation cannot be reached this way.
 */
export function shouldReloadForIsolation(state: {
  crossOriginIsolated: boolean;
  controlled: boolean;
  alreadyReloaded: boolean;
}): boolean {
  return !state.crossOriginIsolated && state.controlled && !state.alreadyReloaded;
}
