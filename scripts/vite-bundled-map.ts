/**
 * Keeps `public/corpus/bundle.atlas.json`, the precomputed map of the bundled corpus, up to date for
 * `npm start`, `npm run build` and everything built on them, without npm lifecycle scripts (which the
 * project's `.npmrc` turns off along with every dependency's).
 *
 * The bundle is rebuilt when it is missing or stale. Stale means its key changed: a hash of
 *  - the corpus: `index.json` and every file it lists;
 *  - the pipeline that builds it: every source file `scripts/build-bundle.ts` loads (its module graph,
 *    as the TypeScript loader reports it) and `package-lock.json` for the libraries they use. A hash
 *    of the code itself, not a version constant: a constant is forgotten when someone changes the
 *    clustering or the labels, and then a stale map ships without a word; rebuilding after an edit that
 *    changed nothing costs a few seconds;
 *  - `bundleEmbedderSignature()`: which embedder (and which weights) made the vectors.
 * The key of the bundle on disk is kept, with a hash of the bundle itself, in a stamp file outside
 * `public/` (so it is never shipped); a bundle changed by hand or by `npm run bundle` is rebuilt.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import type { Plugin } from 'vite';

export interface BundledMapPaths {
  /** The folder holding `index.json`, the corpus files, and the bundle written beside them. */
  corpusDir: string;
  /** The script whose `buildBundledMap()` and `bundleEmbedderSignature()` make the bundle. */
  buildScript: string;
  /** Hashed into the key for the libraries' versions. */
  lockFile: string;
  /** Where the key of the bundle on disk is remembered. */
  stampFile: string;
}

/** The functions of `scripts/build-bundle.ts` the plugin uses. */
interface BundleBuilder {
  BUNDLED_MAP_FILE: string;
  buildBundledMap(corpusDir?: string): Promise<{
    json: string;
    map: { papers: unknown[]; quality: { clusterCount: number } };
  }>;
  bundleEmbedderSignature(): string | Promise<string>;
}

interface Stamp {
  key: string;
  bundleSha256: string;
}

export function defaultBundledMapPaths(root = process.cwd()): BundledMapPaths {
  return {
    corpusDir: join(root, 'public', 'corpus'),
    buildScript: join(root, 'scripts', 'build-bundle.ts'),
    lockFile: join(root, 'package-lock.json'),
    stampFile: join(root, 'node_modules', '.cache', 'abstract-atlas', 'bundled-map.json'),
  };
}

function sha256(...parts: (string | Uint8Array)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex');
}

/** A hash of `index.json` and of every file it lists, by name and content. */
export function corpusDigest(corpusDir: string): string {
  const indexText = readFileSync(join(corpusDir, 'index.json'), 'utf8');
  const { files } = JSON.parse(indexText) as { files: string[] };
  const parts: (string | Uint8Array)[] = [indexText];
  for (const name of files) parts.push(name, readFileSync(join(corpusDir, name)));
  return sha256(...parts);
}

/** A hash of the given source files (paths relative to `root`, so moving the checkout changes nothing). */
export function sourcesDigest(files: readonly string[], root: string): string {
  const parts: (string | Uint8Array)[] = [];
  for (const file of [...new Set(files)].sort()) {
    parts.push(relative(root, file).split('\\').join('/'), readFileSync(file));
  }
  return sha256(...parts);
}

/** Writes through a fresh file and a rename: a reader never sees half a file, and a hard link is never written through. */
function writeAtomically(file: string, content: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, file);
}

function readStamp(stampFile: string): Stamp | undefined {
  try {
    return JSON.parse(readFileSync(stampFile, 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
}

/** Loads the build script afresh (its current code, not a copy cached when Vite started) and notes every file it loads. */
async function loadBuilder(
  paths: BundledMapPaths,
): Promise<{ builder: BundleBuilder; sources: string[] }> {
  const sources: string[] = [];
  const builder = (await tsImport(pathToFileURL(paths.buildScript).href, {
    parentURL: import.meta.url,
    onImport: (url) => {
      if (url.startsWith('file:') && !url.includes('/node_modules/')) {
        sources.push(fileURLToPath(url));
      }
    },
  })) as BundleBuilder;
  return { builder, sources: [paths.buildScript, ...sources] };
}

export interface EnsureResult {
  /** Whether the bundle was (re)built, or was already up to date. */
  built: boolean;
  key: string;
  bundleFile: string;
  /** The source files hashed into the key, for watching. */
  inputs: string[];
}

/** Builds the bundle when it is missing or its key changed; returns what it did. */
export async function ensureBundledMap(
  paths: BundledMapPaths,
  log: (message: string) => void = () => {},
): Promise<EnsureResult> {
  const root = dirname(paths.lockFile);
  const { builder, sources } = await loadBuilder(paths);
  const bundleFile = join(paths.corpusDir, builder.BUNDLED_MAP_FILE);
  const embedder = await builder.bundleEmbedderSignature();
  const lock = existsSync(paths.lockFile) ? readFileSync(paths.lockFile) : '';
  const key = sha256(
    corpusDigest(paths.corpusDir),
    sourcesDigest(sources, root),
    sha256(lock),
    embedder,
  );
  const { files } = JSON.parse(readFileSync(join(paths.corpusDir, 'index.json'), 'utf8')) as {
    files: string[];
  };
  const inputs = [
    ...sources,
    paths.lockFile,
    join(paths.corpusDir, 'index.json'),
    ...files.map((name) => join(paths.corpusDir, name)),
  ];
  const shownFile = relative(root, bundleFile);

  const stamp = readStamp(paths.stampFile);
  if (
    stamp?.key === key &&
    existsSync(bundleFile) &&
    sha256(readFileSync(bundleFile)) === stamp.bundleSha256
  ) {
    log(`Bundled map: ${shownFile} is up to date.`);
    return { built: false, key, bundleFile, inputs };
  }

  const why = !existsSync(bundleFile)
    ? 'it is missing'
    : 'the corpus, the pipeline or the embedder changed';
  log(`Bundled map: building ${shownFile} (${why})…`);
  const started = performance.now();
  const { map, json } = await builder.buildBundledMap(paths.corpusDir);
  // An identical bundle (another Vite process, a dev server beside a build, made it meanwhile) is left
  // untouched: rewriting it would make a dev server reload its pages.
  const unchanged = existsSync(bundleFile) && readFileSync(bundleFile, 'utf8') === json;
  if (!unchanged) writeAtomically(bundleFile, json);
  writeAtomically(paths.stampFile, JSON.stringify({ key, bundleSha256: sha256(json) }));
  log(
    `Bundled map: ${map.papers.length} papers, ${map.quality.clusterCount} topics, ` +
      `${embedder} embedding, ${((performance.now() - started) / 1000).toFixed(1)} s → ${shownFile}`,
  );
  return { built: true, key, bundleFile, inputs };
}

/**
 * The Vite plugin: makes sure the bundle is current before the dev server serves or the build copies
 * `public/`, and in dev rebuilds it when a file its key depends on changes.
 */
export function bundledMap(root = process.cwd()): Plugin {
  const paths = defaultBundledMapPaths(root);
  let pending: Promise<EnsureResult | void> = Promise.resolve();
  let inputs = new Set<string>();
  let log: (message: string) => void = (message) => console.info(message);
  const ensure = (): Promise<EnsureResult | void> => {
    pending = pending
      .catch(() => undefined)
      .then(() => ensureBundledMap(paths, log))
      .then((result) => {
        inputs = new Set(result.inputs.map((file) => resolve(file)));
        return result;
      });
    return pending;
  };
  return {
    name: 'abstract-atlas:bundled-map',
    // Unit tests load this config too; they never serve the bundled corpus.
    apply: (_config, env) => env.mode !== 'test' && !process.env['VITEST'],
    configResolved(config) {
      log = (message) => config.logger.info(message, { timestamp: true });
    },
    async buildStart() {
      await ensure();
    },
    configureServer(server) {
      server.watcher.add(paths.corpusDir);
      server.watcher.on('all', (_event, file) => {
        if (!inputs.has(resolve(file))) return;
        ensure().catch((error: unknown) =>
          server.config.logger.error(
            `Bundled map: could not rebuild the precomputed map: ${String(error)}`,
          ),
        );
      });
    },
  };
}
