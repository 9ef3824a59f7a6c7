import { defineConfig } from 'vitest/config';
import { contentSecurityPolicy } from './scripts/vite-csp.ts';
import { selfHostedOrtAssets } from './scripts/vite-ort-assets.ts';
import { localModels } from './scripts/vite-local-models.ts';
import { atlasPwa, siteBase } from './scripts/vite-pwa.ts';
import { bundledMap } from './scripts/vite-bundled-map.ts';

/** Cross-origin isolation turns on SharedArrayBuffer, which multithreaded ONNX Runtime WASM needs. */
const crossOriginIsolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  base: siteBase(process.env.ATLAS_BASE),
  // No SPA fallback: a missing file (a model not downloaded, say) must be a 404, not index.html.
  appType: 'mpa',
  plugins: [
    bundledMap(),
    selfHostedOrtAssets(),
    localModels(),
    atlasPwa(),
    contentSecurityPolicy(),
  ],
  server: { headers: crossOriginIsolationHeaders, port: 5173 },
  preview: { headers: crossOriginIsolationHeaders, port: 4173 },
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 4096 },
  optimizeDeps: {
    exclude: ['@huggingface/transformers', 'onnxruntime-web'],
    // Imported only by workers, which the dependency scan does not reach: found late, they make the
    // dev server re-optimise and reload the page in the middle of the first dropped file's run.
    include: ['hyparquet', 'hyparquet-compressors', 'umap-js/dist/umap.js'],
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/pipeline/embed/test-model-setup.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
