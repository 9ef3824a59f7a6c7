import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseBundle } from '../../src/pipeline/bundle.ts';
import {
  defaultBundledMapPaths,
  ensureBundledMap,
  type BundledMapPaths,
} from '../../scripts/vite-bundled-map.ts';

/** A build script standing in for scripts/build-bundle.ts: its output names its inputs, so a test sees what was used. */
const FAKE_BUILDER = `
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LABEL } from './label.ts';
export const BUNDLED_MAP_FILE = 'bundle.atlas.json';
export function bundleEmbedderSignature(): string {
  return readFileSync(new URL('./signature.txt', import.meta.url), 'utf8');
}
export async function buildBundledMap(corpusDir: string) {
  const index = JSON.parse(readFileSync(join(corpusDir, 'index.json'), 'utf8'));
  const text = index.files.map((name: string) => readFileSync(join(corpusDir, name), 'utf8')).join('|');
  return { json: JSON.stringify({ label: LABEL, text }), map: { papers: [1], quality: { clusterCount: 0 } } };
}
`;

describe('the bundled map plugin: the bundle is rebuilt exactly when it is missing or stale', () => {
  let dir: string;
  let paths: BundledMapPaths;
  const bundle = () => readFileSync(join(paths.corpusDir, 'bundle.atlas.json'), 'utf8');
  const ensure = async () => (await ensureBundledMap(paths)).built;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'atlas-bundled-map-'));
    paths = {
      corpusDir: join(dir, 'corpus'),
      buildScript: join(dir, 'scripts', 'build.ts'),
      lockFile: join(dir, 'package-lock.json'),
      stampFile: join(dir, 'cache', 'stamp.json'),
    };
    mkdirSync(paths.corpusDir);
    mkdirSync(join(dir, 'scripts'));
    writeFileSync(
      join(paths.corpusDir, 'index.json'),
      JSON.stringify({ name: 'test', files: ['a.txt', 'b.txt'], map: 'bundle.atlas.json' }),
    );
    writeFileSync(join(paths.corpusDir, 'a.txt'), 'first');
    writeFileSync(join(paths.corpusDir, 'b.txt'), 'second');
    // An ES module package, as the project is: the loader reports ES module imports.
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    writeFileSync(paths.buildScript, FAKE_BUILDER);
    writeFileSync(join(dir, 'scripts', 'label.ts'), `export const LABEL = 'v1';`);
    writeFileSync(join(dir, 'scripts', 'signature.txt'), 'lexical');
    writeFileSync(paths.lockFile, '{"lockfileVersion":3}');
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('builds a missing bundle, then leaves it alone while nothing changed', async () => {
    expect(await ensure()).toBe(true);
    expect(JSON.parse(bundle())).toEqual({ label: 'v1', text: 'first|second' });
    expect(await ensure()).toBe(false);
    rmSync(join(paths.corpusDir, 'bundle.atlas.json'));
    expect(await ensure()).toBe(true);
  });

  it('rebuilds when a corpus file or the index changes', async () => {
    await ensure();
    writeFileSync(join(paths.corpusDir, 'b.txt'), 'second, edited');
    expect(await ensure()).toBe(true);
    expect(JSON.parse(bundle()).text).toBe('first|second, edited');
    writeFileSync(
      join(paths.corpusDir, 'index.json'),
      JSON.stringify({ name: 'test', files: ['a.txt'], map: 'bundle.atlas.json' }),
    );
    expect(await ensure()).toBe(true);
    expect(JSON.parse(bundle()).text).toBe('first');
  });

  it('rebuilds when a source file the build script imports changes, with the new code', async () => {
    await ensure();
    writeFileSync(join(dir, 'scripts', 'label.ts'), `export const LABEL = 'v2';`);
    expect(await ensure()).toBe(true);
    expect(JSON.parse(bundle()).label).toBe('v2');
  });

  it('rebuilds when the embedder signature or the lockfile changes', async () => {
    await ensure();
    writeFileSync(
      join(dir, 'scripts', 'signature.txt'),
      'neural:Xenova/all-MiniLM-L6-v2:sha256-abc',
    );
    expect(await ensure()).toBe(true);
    writeFileSync(paths.lockFile, '{"lockfileVersion":3,"packages":{}}');
    expect(await ensure()).toBe(true);
    expect(await ensure()).toBe(false);
  });

  it('leaves an identical bundle untouched (a dev server would reload on a rewrite)', async () => {
    await ensure();
    const bundleFile = join(paths.corpusDir, 'bundle.atlas.json');
    const before = statSync(bundleFile);
    rmSync(paths.stampFile);
    expect(await ensure()).toBe(true);
    expect(statSync(bundleFile).ino).toBe(before.ino);
    expect(statSync(bundleFile).mtimeMs).toBe(before.mtimeMs);
  });

  it('rebuilds a bundle changed by hand, and one with no record of its key', async () => {
    await ensure();
    writeFileSync(join(paths.corpusDir, 'bundle.atlas.json'), '{"edited":true}');
    expect(await ensure()).toBe(true);
    rmSync(paths.stampFile);
    expect(await ensure()).toBe(true);
  });
});

describe('the bundled map plugin with the real build script', () => {
  it('builds a bundle of the bundled corpus that opens as a map', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atlas-bundled-map-'));
    try {
      const real = defaultBundledMapPaths(join(import.meta.dirname, '../..'));
      const paths = { ...real, corpusDir: join(dir, 'corpus'), stampFile: join(dir, 'stamp.json') };
      cpSync(real.corpusDir, paths.corpusDir, {
        recursive: true,
        filter: (file) => !file.endsWith('bundle.atlas.json'),
      });
      const result = await ensureBundledMap(paths);
      expect(result.built).toBe(true);
      expect(result.inputs).toContain(join(import.meta.dirname, '../../src/pipeline/map.ts'));
      expect(parseBundle(readFileSync(result.bundleFile, 'utf8')).papers).toHaveLength(172);
      expect((await ensureBundledMap(paths)).built).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
