import { describe, expect, it } from 'vitest';
import {
  isAppShellNavigation,
  isModelFile,
  isOrtRuntimeFile,
  pathInScope,
} from '../../src/sw/routes.ts';

const subPath = new URL('https://reader.github.io/abstract-atlas/');
const root = new URL('http://localhost:4173/');
const at = (path: string, scope: URL) => new URL(path, scope);

describe('pathInScope', () => {
  it('gives the path relative to the scope', () => {
    expect(pathInScope(at('corpus/index.json', subPath), subPath)).toBe('corpus/index.json');
    expect(pathInScope(at('./', subPath), subPath)).toBe('');
    expect(pathInScope(at('/x.js', root), root)).toBe('x.js');
  });

  it('is undefined outside the scope or on another origin', () => {
    expect(
      pathInScope(new URL('https://reader.github.io/other-site/x.js'), subPath),
    ).toBeUndefined();
    expect(
      pathInScope(new URL('https://huggingface.co/abstract-atlas/x'), subPath),
    ).toBeUndefined();
  });
});

describe('routes', () => {
  it('recognises self-hosted model files, not the hub or other folders', () => {
    expect(
      isModelFile(at('models/Xenova/all-MiniLM-L6-v2/onnx/model.onnx', subPath), subPath),
    ).toBe(true);
    expect(isModelFile(at('corpus/models.txt', subPath), subPath)).toBe(false);
    expect(
      isModelFile(new URL('https://huggingface.co/models/x/resolve/main/model.onnx'), subPath),
    ).toBe(false);
  });

  it('recognises ONNX Runtime runtime files under ort/', () => {
    expect(isOrtRuntimeFile(at('ort/ort-wasm-simd-threaded.jsep.wasm', subPath), subPath)).toBe(
      true,
    );
    expect(isOrtRuntimeFile(at('ort/ort-wasm-simd-threaded.mjs', root), root)).toBe(true);
    expect(isOrtRuntimeFile(at('ort/readme.txt', subPath), subPath)).toBe(false);
    expect(isOrtRuntimeFile(at('assets/ort/x.wasm', subPath), subPath)).toBe(false);
  });

  it('answers the site root and index.html, with any query, from the app shell', () => {
    expect(isAppShellNavigation(at('./', subPath), subPath)).toBe(true);
    expect(
      isAppShellNavigation(at('./?corpus=https%3A%2F%2Fx.org%2Fa.csv', subPath), subPath),
    ).toBe(true);
    expect(isAppShellNavigation(at('index.html?q=graph', subPath), subPath)).toBe(true);
    expect(isAppShellNavigation(at('corpus/bundle.atlas.json', subPath), subPath)).toBe(false);
    expect(isAppShellNavigation(new URL('https://reader.github.io/'), subPath)).toBe(false);
  });
});
