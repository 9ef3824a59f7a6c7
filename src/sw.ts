/// <reference lib="webworker" />
/**
 * The service worker. It precaches the app shell, the bundled corpus and ONNX Runtime's runtime files
 * (the list is injected at build time), caches models on first use (each file downloaded once), adds
 * the cross-origin isolation headers to what it serves (hosts such as GitHub Pages cannot), and waits
 * for the reader's go-ahead before an update takes over an open page.
 */
import { clientsClaim, type WorkboxPlugin } from 'workbox-core';
import type { PrecacheEntry } from 'workbox-precaching';
import {
  addPlugins,
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  precacheAndRoute,
} from 'workbox-precaching';
import { registerRoute } from 'workbox-routing';
import type { RouteHandlerCallback } from 'workbox-core/types.js';
import {
  crossOriginIsolationPlugin,
  withCrossOriginIsolation,
} from './sw/cross-origin-isolation.ts';
import { DownloadOnceCache } from './sw/download-once.ts';
import {
  MODEL_CACHE,
  ORT_RUNTIME_CACHE,
  isAppShellNavigation,
  isModelFile,
  isOrtRuntimeFile,
} from './sw/routes.ts';

declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: Array<PrecacheEntry | string>;
};

const scope = new URL(self.registration.scope);
const plugins: WorkboxPlugin[] = [crossOriginIsolationPlugin];

addPlugins(plugins);
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

registerRoute(
  ({ request, url }) => request.mode === 'navigate' && isAppShellNavigation(url, scope),
  createHandlerBoundToURL('index.html'),
);
/** Cache-first, each file downloaded once however many requests for it come together. */
function downloadedOnce(cacheName: string): RouteHandlerCallback {
  const files = new DownloadOnceCache(
    () => caches.open(cacheName),
    (request) => fetch(request),
  );
  return async ({ request }) => withCrossOriginIsolation(await files.respond(request));
}
registerRoute(({ url }) => isModelFile(url, scope), downloadedOnce(MODEL_CACHE));
registerRoute(({ url }) => isOrtRuntimeFile(url, scope), downloadedOnce(ORT_RUNTIME_CACHE));

// The first install takes control of the page at once, so that page can reload into cross-origin
// isolation; an update waits in `waiting` until the reader presses Reload (SKIP_WAITING below).
clientsClaim();

self.addEventListener('message', (event: ExtendableMessageEvent) => {
  const data: unknown = event.data;
  if (typeof data === 'object' && data !== null && 'type' in data && data.type === 'SKIP_WAITING') {
    void self.skipWaiting();
  }
});
