/**
 * Precomputes the map of the bundled corpus at build time, with the same pipeline code the browser
 * runs (ingest → lexical embedding → projection → clusters → labels), so the static site opens on a
 * finished map at once. Writes `public/corpus/bundle.atlas.json` (gitignored). `npm start` and
 * `npm run build` make it through the Vite plugin in `scripts/vite-bundled-map.ts` whenever it is missing
 * or stale; `npm run bundle` makes it by hand.
 *
 *   npm run bundle
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AtlasMap } from '../src/pipeline/atlas-map.ts';
import { bundleToJson } from '../src/pipeline/bundle.ts';
import { fitLexicalEmbedding, LEXICAL_MODEL_ID } from '../src/pipeline/embed/lexical.ts';
import { parseCorpusFiles } from '../src/pipeline/ingest/index.ts';
import { computeMap, DEFAULT_SEED, paperText } from '../src/pipeline/map.ts';

export const BUNDLED_CORPUS_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'public',
  'corpus',
);
export const BUNDLED_MAP_FILE = 'bundle.atlas.json';

/**
 * Names the embedder that makes the bundle's vectors (and its weights, where it has any): part of the
 * key that tells the Vite plugin the bundle on disk is stale.
 */
export function bundleEmbedderSignature(): string {
  return 'lexical';
}

interface BundledCorpusIndex {
  name: string;
  files: string[];
}

/** The map of the corpus that `corpusDir/index.json` lists, and its bundle text. */
export async function buildBundledMap(
  corpusDir = BUNDLED_CORPUS_DIR,
  seed = DEFAULT_SEED,
): Promise<{ map: AtlasMap; json: string }> {
  const index = JSON.parse(
    readFileSync(join(corpusDir, 'index.json'), 'utf8'),
  ) as BundledCorpusIndex;
  const files = index.files.map((name) => ({
    name,
    bytes: new Uint8Array(readFileSync(join(corpusDir, name))),
  }));
  const { papers } = await parseCorpusFiles(files);
  const { vectors, dim } = fitLexicalEmbedding(papers.map(paperText), { seed });
  const map = await computeMap({
    name: index.name,
    papers,
    vectors,
    dim,
    embedder: { kind: 'lexical', model: LEXICAL_MODEL_ID, device: 'node', dim },
    seed,
  });
  return { map, json: bundleToJson(map, { includeVectors: true }) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  const { map, json } = await buildBundledMap();
  writeFileSync(join(BUNDLED_CORPUS_DIR, BUNDLED_MAP_FILE), json);
  const { quality } = map;
  console.log(
    `Bundled map: ${map.papers.length} papers, ${quality.clusterCount} topics, ` +
      `trustworthiness ${quality.trustworthiness.toFixed(3)}, ${(json.length / 1024).toFixed(0)} KB, ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s → public/corpus/${BUNDLED_MAP_FILE}`,
  );
}
