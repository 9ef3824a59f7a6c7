/**
 * `npm run bench:grow`: growing a map against recomputing it, on a labelled sample of real arXiv
 * abstracts (balanced over the largest primary categories, shuffled, as `bench:quality` draws it) with
 * the lexical embedder, the one a map carries in its bundle. The map of the first 9,000 papers is
 * computed as the app computes it (TF-IDF/SVD fitted on them, then layout, clusters and labels); then
 * the other 1,000 are added as the app adds them (projected through that fitted model, refitting
 * nothing, then placed by the transform and given topics). The baseline, in the same run, is a full
 * recomputation of all 10,000 (fit and map). Reported: the added papers' kNN-10 category accuracy in the
 * 2-D map (their 10 nearest papers among all 10,000) in the grown map and in the recomputed one, and
 * the seconds each took. Single-threaded (the deterministic mode) for both. Ends with one JSON line.
 *
 *   npm run bench:grow -- [--n 10000] [--added 1000] [--categories 20] [--seed 42]
 */
import {
  fitLexicalEmbedding,
  embedLexical,
  LEXICAL_MODEL_ID,
} from '../src/pipeline/embed/lexical.ts';
import type { EmbedderInfo } from '../src/pipeline/atlas-map.ts';
import { growLayout } from '../src/pipeline/grow.ts';
import { computeMapLayout, DEFAULT_SEED } from '../src/pipeline/map.ts';
import { knnCategoryAccuracy } from '../src/pipeline/project/quality.ts';
import { balancedSample } from './arxiv-sample.ts';
import { numberArgument } from './bench-support.ts';

const total = numberArgument('n', 10_000);
const addedCount = numberArgument('added', 1_000);
const categories = numberArgument('categories', 20);
const seed = numberArgument('seed', DEFAULT_SEED);
const K = 10;
/** The targets: accuracy within this of the recomputation's, in under this share of its time. */
const ACCURACY_TOLERANCE = 0.03;
const TIME_SHARE = 0.1;

function seconds(since: number): number {
  return (performance.now() - since) / 1000;
}

/** Fits the lexical model on `texts` and maps them, as the app's "New map" does. */
async function mapFromScratch(texts: string[]) {
  const embedding = fitLexicalEmbedding(texts, { seed });
  const embedder: EmbedderInfo = {
    kind: 'lexical',
    model: LEXICAL_MODEL_ID,
    device: 'cpu',
    dim: embedding.dim,
  };
  const layout = await computeMapLayout({
    name: 'bench',
    texts,
    vectors: embedding.vectors,
    dim: embedding.dim,
    embedder,
    seed,
  });
  return { layout, model: embedding.model };
}

async function main(): Promise<void> {
  const rows = balancedSample(total, categories, seed).slice(0, total);
  const fittedCount = rows.length - addedCount;
  const texts = rows.map((row) => row.text);
  const labelIds = new Map<string, number>();
  const labels = Int32Array.from(rows, (row) => {
    if (!labelIds.has(row.label)) labelIds.set(row.label, labelIds.size);
    return labelIds.get(row.label)!;
  });
  const addedRows = Int32Array.from({ length: addedCount }, (_, i) => fittedCount + i);
  console.log(
    `Grow benchmark: ${fittedCount} arXiv papers mapped, ${addedCount} added (${labelIds.size} categories), lexical embedder, seed ${seed}`,
  );

  let started = performance.now();
  const base = await mapFromScratch(texts.slice(0, fittedCount));
  console.log(`map of ${fittedCount}:       ${seconds(started).toFixed(2)} s (not timed against)`);

  started = performance.now();
  const addedVectors = embedLexical(base.model, texts.slice(fittedCount));
  const embedSeconds = seconds(started);
  const grown = await growLayout(base.layout, addedVectors);
  const growSeconds = seconds(started);
  let unassigned = 0;
  for (const topic of grown.addedTopics) if (topic < 0) unassigned++;
  console.log(
    `grow by ${addedCount}:        ${growSeconds.toFixed(2)} s (embedding ${embedSeconds.toFixed(2)} s, placing and topics ${(growSeconds - embedSeconds).toFixed(2)} s); ${unassigned} left unassigned`,
  );

  started = performance.now();
  const full = await mapFromScratch(texts);
  const fullSeconds = seconds(started);
  console.log(`full recomputation of ${rows.length}: ${fullSeconds.toFixed(2)} s`);

  const addedAccuracy = knnCategoryAccuracy(grown.layout.positions, labels, K, {
    queries: addedRows,
  });
  const fullAccuracy = knnCategoryAccuracy(full.layout.positions, labels, K, {
    queries: addedRows,
  });
  const existingAccuracy = knnCategoryAccuracy(
    base.layout.positions,
    labels.subarray(0, fittedCount),
    K,
  );
  console.log(
    `kNN-${K} category accuracy (2-D) of the added papers: grown ${addedAccuracy.toFixed(4)}, recomputed ${fullAccuracy.toFixed(4)} (the ${fittedCount} mapped papers among themselves: ${existingAccuracy.toFixed(4)})`,
  );
  const accuracyMet = Math.abs(addedAccuracy - fullAccuracy) <= ACCURACY_TOLERANCE;
  const timeMet = growSeconds < TIME_SHARE * fullSeconds;
  console.log(
    `targets: accuracy within ${ACCURACY_TOLERANCE} ${accuracyMet ? 'met' : 'MISSED'}; time under ${TIME_SHARE} × recomputation ${timeMet ? 'met' : 'MISSED'} (${(growSeconds / fullSeconds).toFixed(3)})`,
  );
  console.log(
    JSON.stringify({
      added_knn10_2d: Number(addedAccuracy.toFixed(4)),
      full_knn10_2d: Number(fullAccuracy.toFixed(4)),
      grow_seconds: Number(growSeconds.toFixed(3)),
      full_seconds: Number(fullSeconds.toFixed(3)),
      mapped: fittedCount,
      added: addedCount,
      unassigned,
    }),
  );
}

await main();
