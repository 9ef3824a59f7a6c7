/**
 * Precomputes the map of the bundled corpus at build time, with the same pipeline code the browser
 * runs (ingest → lexical embedding → projection → clusters → labels), so the static site opens on a
 * finished map at once. Writes `public/corpus/bundle.atlas.json` (gitignored; made by prestart/prebuild).
 *
 *   npm run bundle
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleToJson } from '../src/pipeline/bundle.ts';
import { fitLexicalEmbedding, LEXICAL_MODEL_ID } from '../src/pipeline/embed/lexical.ts';
import { parseCorpusFiles } from '../src/pipeline/ingest/index.ts';
import { computeMap, DEFAULT_SEED, paperText } from '../src/pipeline/map.ts';

const corpusDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'corpus');
export const BUNDLED_MAP_FILE = 'bundle.atlas.json';

interface BundledCorpusIndex {
  name: string;
  files: string[];
}

const started = performance.now();
const index = JSON.parse(readFileSync(join(corpusDir, 'index.json'), 'utf8')) as BundledCorpusIndex;
const files = index.files.map((name) => ({
  name,
  bytes: new Uint8Array(readFileSync(join(corpusDir, name))),
}));
const { papers } = await parseCorpusFiles(files);
const { vectors, dim } = fitLexicalEmbedding(papers.map(paperText), { seed: DEFAULT_SEED });
const map = await computeMap({
  name: index.name,
  papers,
  vectors,
  dim,
  embedder: { kind: 'lexical', model: LEXICAL_MODEL_ID, device: 'node', dim },
  seed: DEFAULT_SEED,
});
const json = bundleToJson(map, { includeVectors: true });
writeFileSync(join(corpusDir, BUNDLED_MAP_FILE), json);
const { quality } = map;
console.log(
  `Bundled map: ${papers.length} papers, ${quality.clusterCount} topics, trustworthiness ${quality.trustworthiness.toFixed(3)}, ` +
    `${(json.length / 1024).toFixed(0)} KB, ${((performance.now() - started) / 1000).toFixed(1)} s → public/corpus/${BUNDLED_MAP_FILE}`,
);
