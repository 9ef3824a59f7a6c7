/**
 * Label quality and cost: the labeller as it was before noun phrases (a frozen copy in
 * scripts/bench-labels-old/) against the app's, on the same maps in the same run.
 *
 * - The bundled corpus and a 10,000-paper arXiv sample, each mapped once, then labelled by both
 *   labellers. On the lexical map the sample is evenly spaced rows of
 *   ../shared/corpus/arxiv-2025-2026.jsonl.gz; with `--neural` the map is the real model's (q8,
 *   onnxruntime-node) and the sample is `npm run bench:quality`'s, balanced over 20 primary categories,
 *   whose vectors that benchmark caches in .cache/bench-quality/ (they are computed when missing).
 * - The labelling time of 100,000 papers against the whole pipeline's in Node (lexical embedding,
 *   kNN + UMAP, clusters, labels), unless `--skip-100k`.
 *
 * On the neural map, today's labeller ranks terms by meaning too (its label phrases embedded with the
 * same model, as the app's map worker has them embedded); `new-frequency` is the same labeller without
 * meaning, printed beside it (not in the JSON line).
 *
 * Figures, per labeller:
 * - non_noun_share: label terms that the part-of-speech tagger (wink-nlp) does not read as a noun
 *   phrase in the papers that use them (the majority reading over up to 20 uses; a term no paper
 *   spells out is read alone);
 * - retrieval_precision: each finest-level topic's label typed into the app's own text search
 *   (`TextSearch`, MiniSearch over titles, abstracts and authors); the share of its top hits (at most
 *   as many as the topic has papers) that belong to the topic, averaged weighted by topic size;
 * - sibling_overlap: pairs of sibling labels (same parent; all broadest clusters are siblings) that
 *   share a term, over all levels.
 *
 *   npm run bench:labels [-- --skip-100k] [--sample 10000] [--neural] [--verbose]
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { ClusterHierarchy } from '../src/pipeline/cluster/index.ts';
import { clusterHierarchy } from '../src/pipeline/cluster/index.ts';
import { fitLexicalEmbedding } from '../src/pipeline/embed/lexical.ts';
import { parseCorpusFiles } from '../src/pipeline/ingest/index.ts';
import { labelClustersAsync, type ClusterLabel } from '../src/pipeline/label/index.ts';
import { DEFAULT_SEED } from '../src/pipeline/map.ts';
import { projectVectors } from '../src/pipeline/project/umap.ts';
import { paperText, type Paper } from '../src/pipeline/types.ts';
import { TextSearch } from '../src/view/model/text-search.ts';
import { balancedSample } from './arxiv-sample.ts';
import { numberArgument } from './bench-support.ts';
import { labelClustersAsync as oldLabelClusters } from './bench-labels-old/index.ts';
import { scoreLabels, type LabelScores } from './label-metrics.ts';
import { embedNative } from './native-embed.ts';
import { REAL_MODEL_ID, realModelFile, realModelSkipReason } from './real-model.ts';

const root = resolve(import.meta.dirname, '..');
const LARGE = 100_000;
const SAMPLE = numberArgument('sample', 10_000);
const neural = process.argv.includes('--neural');

/**
 * `new`: the app's labeller as the map runs it (by meaning too on the neural map); `new-frequency`:
 * the same without meaning, to show what ranking by meaning changes (neural map only).
 */
type LabellerName = 'old' | 'new' | 'new-frequency';
type Scores = LabelScores & { seconds: number };

async function bundledPapers(): Promise<Paper[]> {
  const corpusDir = join(root, 'public', 'corpus');
  const { files: names } = JSON.parse(readFileSync(join(corpusDir, 'index.json'), 'utf8')) as {
    files: string[];
  };
  const files = names.map((name) => ({
    name,
    bytes: new Uint8Array(readFileSync(join(corpusDir, name))),
  }));
  return (await parseCorpusFiles(files)).papers;
}

/** `count` evenly spaced papers of the arXiv file (all of them when `count` ≥ its size). */
function arxivPapers(count: number): Paper[] {
  const file = resolve(root, '..', 'shared', 'corpus', 'arxiv-2025-2026.jsonl.gz');
  const lines = gunzipSync(readFileSync(file))
    .toString('utf8')
    .split('\n')
    .filter((line) => line.trim());
  const chosen =
    count >= lines.length
      ? lines
      : Array.from({ length: count }, (_, i) => lines[Math.floor((i * lines.length) / count)]!);
  return chosen.map((line) => {
    const row = JSON.parse(line) as { id: string; title: string; abstract: string };
    return { id: row.id, title: row.title, abstract: row.abstract };
  });
}

interface MappedCorpus {
  name: string;
  papers: Paper[];
  texts: string[];
  hierarchy: ClusterHierarchy;
  vectors: Float32Array;
  dim: number;
  /** Seconds for embedding, projection and clustering. */
  mapSeconds: number;
}

/**
 * `npm run bench:quality`'s balanced sample of `count` papers, with its cached q8 vectors where that
 * benchmark left them.
 */
function qualitySample(count: number): { papers: Paper[]; cached: Float32Array | null } {
  const rows = balancedSample(count, 20, DEFAULT_SEED);
  const wanted = new Set(rows.map((row) => row.id));
  const byId = new Map<string, Paper>();
  for (const paper of arxivPapers(Infinity)) if (wanted.has(paper.id)) byId.set(paper.id, paper);
  const key = createHash('sha256')
    .update(rows.map((row) => row.id).join('\n'))
    .update(readFileSync(realModelFile('q8')))
    .digest('hex')
    .slice(0, 16);
  const file = join(
    root,
    '.cache',
    'bench-quality',
    `${rows.length}-${key}`,
    'neural_q8.vectors.f32',
  );
  const bytes = existsSync(file) ? readFileSync(file) : null;
  return {
    papers: rows.map((row) => byId.get(row.id)!),
    cached: bytes
      ? new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4).slice()
      : null,
  };
}

async function mapCorpus(
  name: string,
  papers: Paper[],
  useNeural: boolean,
  cachedVectors: Float32Array | null = null,
): Promise<MappedCorpus> {
  const texts = papers.map(paperText);
  const started = performance.now();
  const { vectors, dim } = cachedVectors
    ? { vectors: cachedVectors, dim: cachedVectors.length / texts.length }
    : useNeural
      ? await embedNative(texts, REAL_MODEL_ID, 'q8')
      : fitLexicalEmbedding(texts, { seed: DEFAULT_SEED });
  const { positions } = await projectVectors(vectors, dim, { seed: DEFAULT_SEED });
  const hierarchy = await clusterHierarchy(positions);
  const mapSeconds = (performance.now() - started) / 1000;
  return { name, papers, texts, hierarchy, vectors, dim, mapSeconds };
}

/** The real model on phrases, as the app's map worker has its embed worker embed them. */
const embedPhrases = async (phrases: string[]) =>
  (await embedNative(phrases, REAL_MODEL_ID, 'q8')).vectors;

const labellers: Record<LabellerName, (corpus: MappedCorpus) => Promise<ClusterLabel[]>> = {
  old: ({ texts, hierarchy }) => oldLabelClusters(texts, hierarchy),
  new: ({ texts, hierarchy, vectors, dim }) =>
    labelClustersAsync(texts, hierarchy, neural ? { meaning: { vectors, dim, embedPhrases } } : {}),
  'new-frequency': ({ texts, hierarchy }) => labelClustersAsync(texts, hierarchy),
};

function printLabels(corpus: MappedCorpus, labels: ClusterLabel[], title: string): void {
  console.log(`\n${title}`);
  const byId = new Map(labels.map((label) => [label.id, label]));
  for (const node of corpus.hierarchy.nodes) {
    const label = byId.get(node.id)!;
    console.log(
      `${'  '.repeat(node.level)}[L${node.level} #${node.id}, ${node.size}] ${label.label}   — ${label.keywords.slice(0, 6).join(', ')}`,
    );
  }
}

async function compare(
  corpus: MappedCorpus,
  verbose: boolean,
): Promise<Record<LabellerName, Scores>> {
  const search = await TextSearch.build(corpus.papers);
  const levels = corpus.hierarchy.levels.map(
    (_, level) => corpus.hierarchy.nodes.filter((node) => node.level === level).length,
  );
  console.log(
    `\n== ${corpus.name}: ${corpus.papers.length} papers, levels ${levels.join(' / ')} clusters, mapped in ${corpus.mapSeconds.toFixed(1)} s`,
  );
  const result = {} as Record<LabellerName, Scores>;
  const names: LabellerName[] = neural ? ['old', 'new-frequency', 'new'] : ['old', 'new'];
  for (const name of names) {
    const started = performance.now();
    const labels = await labellers[name](corpus);
    const seconds = (performance.now() - started) / 1000;
    if (verbose) printLabels(corpus, labels, `${name} labels`);
    const scores = { ...scoreLabels(corpus.texts, corpus.hierarchy, labels, search), seconds };
    result[name] = scores;
    console.log(
      `${name.padEnd(13)} non-noun share ${scores.nonNounShare.toFixed(3)}, retrieval precision ` +
        `${scores.retrievalPrecision.toFixed(3)}, sibling overlap ${scores.siblingOverlap}, ${seconds.toFixed(2)} s` +
        (scores.nonNounTerms.length ? `; not noun phrases: ${scores.nonNounTerms.join(', ')}` : ''),
    );
  }
  return result;
}

if (neural) {
  const missing = realModelSkipReason(['q8']);
  if (missing) throw new Error(`--neural needs the real model's weights: ${missing}`);
}
console.log(
  `Labels: old (frozen copy) vs new, on the ${neural ? `neural map (${REAL_MODEL_ID}, q8, onnxruntime-node)` : 'lexical map'}. Wall-clock timings on this machine.`,
);
await compare(await mapCorpus('bundled corpus', await bundledPapers(), neural), true);
const { papers: samplePapers, cached } = neural
  ? qualitySample(SAMPLE)
  : { papers: arxivPapers(SAMPLE), cached: null };
const sample = await compare(
  await mapCorpus(
    neural ? `arXiv sample (bench:quality's${cached ? ', cached vectors' : ''})` : 'arXiv sample',
    samplePapers,
    neural,
    cached,
  ),
  process.argv.includes('--verbose'),
);

const round = (value: number) => Number(value.toFixed(3));
const figures: Record<string, number | string> = { map: neural ? 'neural' : 'lexical' };
for (const name of ['old', 'new'] as const) {
  figures[`${name}_non_noun_share`] = round(sample[name].nonNounShare);
  figures[`${name}_retrieval_precision`] = round(sample[name].retrievalPrecision);
  figures[`${name}_sibling_overlap`] = sample[name].siblingOverlap;
}

if (!process.argv.includes('--skip-100k')) {
  // The whole pipeline in Node on 100,000 papers, lexical embedder: embed, project, cluster, then label.
  const large = await mapCorpus('arXiv 100k', arxivPapers(LARGE), false);
  const started = performance.now();
  const labels = await labelClustersAsync(large.texts, large.hierarchy);
  const labelSeconds = (performance.now() - started) / 1000;
  const oldStarted = performance.now();
  await oldLabelClusters(large.texts, large.hierarchy);
  const oldSeconds = (performance.now() - oldStarted) / 1000;
  const pipelineSeconds = large.mapSeconds + labelSeconds;
  console.log(
    `\n100k: map (lexical embedding, kNN + UMAP, clusters) ${large.mapSeconds.toFixed(1)} s, new labels ` +
      `${labelSeconds.toFixed(1)} s (${((100 * labelSeconds) / pipelineSeconds).toFixed(1)}% of ` +
      `${pipelineSeconds.toFixed(1)} s), old labels ${oldSeconds.toFixed(1)} s; ${labels.length} clusters`,
  );
  figures['labels_seconds_100k'] = round(labelSeconds);
  figures['pipeline_seconds_100k'] = round(pipelineSeconds);
  figures['old_labels_seconds_100k'] = round(oldSeconds);
}
console.log(JSON.stringify(figures));
