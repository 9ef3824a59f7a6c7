import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileForPath, startStaticServer, type StaticServer } from '../../scripts/static-server.ts';

describe('fileForPath', () => {
  it('maps paths under the base into the root, directories to index.html', () => {
    expect(fileForPath('/site', '/atlas/', '/atlas/')).toBe('/site/index.html');
    expect(fileForPath('/site', '/atlas/', '/atlas/corpus/')).toBe('/site/corpus/index.html');
    expect(fileForPath('/site', '/atlas/', '/atlas/ort/a%20b.wasm')).toBe('/site/ort/a b.wasm');
  });

  it('refuses paths outside the base or the root', () => {
    expect(fileForPath('/site', '/atlas/', '/other/index.html')).toBeUndefined();
    expect(fileForPath('/site', '/atlas/', '/atlas/../secret')).toBeUndefined();
    expect(fileForPath('/site', '/atlas/', '/atlas/%2e%2e/secret')).toBeUndefined();
    expect(fileForPath('/site', '/atlas/', '/atlas/%E0%A4%A')).toBeUndefined();
  });
});

describe('startStaticServer', () => {
  let root: string;
  let server: StaticServer;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'atlas-static-'));
    mkdirSync(join(root, 'ort'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>atlas</title>');
    writeFileSync(join(root, 'ort', 'runtime.wasm'), new Uint8Array([0, 97, 115, 109]));
    server = await startStaticServer({ root, base: 'atlas', port: 0 });
  });

  afterAll(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves the site under its base, without cross-origin isolation headers', async () => {
    expect(server.url).toMatch(/^http:\/\/localhost:\d+\/atlas\/$/);
    const response = await fetch(server.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cross-origin-opener-policy')).toBeNull();
    expect(response.headers.get('cross-origin-embedder-policy')).toBeNull();
    expect(await response.text()).toBe('<!doctype html><title>atlas</title>');
  });

  it('serves WebAssembly as application/wasm, byte for byte', async () => {
    const response = await fetch(new URL('ort/runtime.wasm', server.url));
    expect(response.headers.get('content-type')).toBe('application/wasm');
    expect([...new Uint8Array(await response.arrayBuffer())]).toEqual([0, 97, 115, 109]);
  });

  it('redirects the base without its slash and answers 404 elsewhere', async () => {
    const bare = server.url.slice(0, -1);
    const redirect = await fetch(bare, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/atlas/');
    expect((await fetch(new URL('/index.html', server.url))).status).toBe(404);
    expect((await fetch(new URL('missing.js', server.url))).status).toBe(404);
    expect((await fetch(new URL('ort/', server.url))).status).toBe(404);
  });
});
