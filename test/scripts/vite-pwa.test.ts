import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ortDistDir } from '../../scripts/vite-ort-assets.ts';
import {
  MAX_PRECACHE_FILE_BYTES,
  browserExportOf,
  ortEntryPointsImportedBy,
  ortRuntimeFilesNamedIn,
  ortRuntimeFilesUsedByTransformers,
  siteBase,
} from '../../scripts/vite-pwa.ts';

describe('browserExportOf', () => {
  const ortLike = {
    '.': {
      types: './types.d.ts',
      node: { import: './dist/ort.node.min.mjs' },
      import: {
        'onnxruntime-web-use-extern-wasm': './dist/ort.min.mjs',
        default: './dist/ort.bundle.min.mjs',
      },
      require: './dist/ort.min.js',
    },
    './webgpu': {
      import: { default: './dist/ort.webgpu.bundle.min.mjs' },
      require: './dist/ort.webgpu.min.js',
    },
  };

  it('follows the first browser condition in the package’s own order', () => {
    expect(browserExportOf(ortLike, '.')).toBe('./dist/ort.bundle.min.mjs');
    expect(browserExportOf(ortLike, './webgpu')).toBe('./dist/ort.webgpu.bundle.min.mjs');
  });

  it('reads condition-only exports (no subpaths) as the package root', () => {
    const transformersLike = {
      node: { import: { default: './dist/transformers.node.mjs' } },
      default: { types: './types/t.d.ts', default: './dist/transformers.web.js' },
    };
    expect(browserExportOf(transformersLike, '.')).toBe('./dist/transformers.web.js');
    expect(browserExportOf(transformersLike, './webgpu')).toBeUndefined();
    expect(browserExportOf('./index.js', '.')).toBe('./index.js');
  });

  it('is undefined for a subpath that is not exported or only for Node', () => {
    expect(browserExportOf(ortLike, './missing')).toBeUndefined();
    expect(browserExportOf({ '.': { node: './n.js', require: './r.cjs' } }, '.')).toBeUndefined();
  });
});

describe('reading ONNX Runtime names out of JavaScript', () => {
  it('lists each runtime file once, sorted', () => {
    const source =
      'a="ort-wasm-simd-threaded.asyncify.mjs";b=new URL("ort-wasm-simd-threaded.asyncify.wasm",x);' +
      'c="ort-wasm-simd-threaded.asyncify.wasm";d="ort.webgpu.min.mjs"';
    expect(ortRuntimeFilesNamedIn(source)).toEqual([
      'ort-wasm-simd-threaded.asyncify.mjs',
      'ort-wasm-simd-threaded.asyncify.wasm',
    ]);
  });

  it('lists the onnxruntime-web entry points a module imports', () => {
    const source =
      'import * as a from "onnxruntime-web/webgpu";import("onnxruntime-web");const n = "x";';
    expect(ortEntryPointsImportedBy(source)).toEqual(['onnxruntime-web', 'onnxruntime-web/webgpu']);
  });
});

describe('ortRuntimeFilesUsedByTransformers', () => {
  it('names a .wasm and an .mjs runtime file that the build emits, within the precache size limit', () => {
    const files = ortRuntimeFilesUsedByTransformers();
    expect(files.some((f) => f.endsWith('.wasm'))).toBe(true);
    expect(files.some((f) => f.endsWith('.mjs'))).toBe(true);
    for (const file of files) {
      const path = join(ortDistDir(), file);
      expect(existsSync(path)).toBe(true);
      expect(statSync(path).size).toBeLessThan(MAX_PRECACHE_FILE_BYTES);
    }
  });
});

describe('siteBase', () => {
  it('defaults to a relative base that works under any sub-path', () => {
    expect(siteBase(undefined)).toBe('./');
    expect(siteBase('')).toBe('./');
    expect(siteBase('.')).toBe('./');
  });

  it('adds missing slashes to a sub-path', () => {
    expect(siteBase('/abstract-atlas/')).toBe('/abstract-atlas/');
    expect(siteBase('abstract-atlas')).toBe('/abstract-atlas/');
    expect(siteBase('/maps/reading-group')).toBe('/maps/reading-group/');
    expect(siteBase('/')).toBe('/');
  });

  it('keeps an absolute URL, ending it with a slash', () => {
    expect(siteBase('https://cdn.example.org/atlas')).toBe('https://cdn.example.org/atlas/');
  });
});
