import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';

/** URL path (relative to the site base) where ONNX Runtime Web's `.wasm`/`.mjs` runtime files are served. */
export const ORT_ASSET_DIR = 'ort/';

/**
 * The ONNX Runtime Web build that Transformers.js itself imports, so the self-hosted runtime files
 * always match the JavaScript that loads them.
 */
export function ortDistDir(): string {
  const require = createRequire(import.meta.url);
  const transformersEntry = require.resolve('@huggingface/transformers');
  const fromTransformers = createRequire(transformersEntry);
  return dirname(fromTransformers.resolve('onnxruntime-web'));
}

function runtimeFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => /^ort-wasm.*\.(wasm|mjs)$/.test(f));
}

/** Serves ORT's runtime files in dev and emits them in builds, so nothing is fetched from a CDN. */
export function selfHostedOrtAssets(): Plugin {
  const dir = ortDistDir();
  return {
    name: 'abstract-atlas:ort-assets',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const url = (req.url ?? '').split('?')[0] ?? '';
        const match = url.match(/\/ort\/(ort-wasm[^/]*\.(wasm|mjs))$/);
        if (!match || !runtimeFiles(dir).includes(match[1]!)) return next();
        res.setHeader('Content-Type', match[2] === 'wasm' ? 'application/wasm' : 'text/javascript');
        res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
        createReadStream(join(dir, match[1]!)).pipe(res);
      });
    },
    generateBundle() {
      for (const file of runtimeFiles(dir)) {
        this.emitFile({
          type: 'asset',
          fileName: ORT_ASSET_DIR + file,
          source: readFileSync(join(dir, file)),
        });
      }
    },
  };
}
