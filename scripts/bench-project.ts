/**
 * `npm run bench:project`: the project's projection (kNN + fuzzy graph + typed-array UMAP optimiser)
 * against plain umap-js (`new UMAP({ random }).fit()`, default parameters aside from the seed) on the
 * same synthetic clustered unit vectors, in the same run: time, trustworthiness at k = 15 (the same
 * 1,000 sampled points for both) and the speedup, on wall time and on CPU time (which other processes
 * on a shared machine disturb far less); then the time and peak memory of 100,000 × 384 and the
 * NN-descent recall there, with 1 worker thread (the deterministic mode) and with every worker
 * (`--workers`, by default one per core: the parallel mode), and the speedup between them; then the
 * quality of both modes on a labelled sample of real arXiv abstracts (lexical vectors): trustworthiness
 * at k = 15 and the share of papers whose 10 nearest neighbours in the map mostly share their primary
 * category. Ends with one JSON line.
 *
 *   npm run bench:project -- [--n 10000] [--dim 384] [--big 100000] [--no-big] [--workers 1,2,4]
 *                            [--arxiv 10000]
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { UMAP } from 'umap-js';
import { createRandom } from '../src/lib/random.ts';
import { fitLexicalEmbedding } from '../src/pipeline/embed/lexical.ts';
import type { KnnGraph } from '../src/pipeline/project/knn.ts';
import { knnCategoryAccuracy, trustworthiness } from '../src/pipeline/project/quality.ts';
import { clusteredVectors } from '../src/pipeline/project/synthetic.ts';
import { projectVectors } from '../src/pipeline/project/umap.ts';
import { unitRows } from '../src/pipeline/project/unit-rows.ts';
import type { ProgressCallback } from '../src/pipeline/types.ts';
import { createNodeComputePool } from '../src/worker/node-pool.ts';
import { defaultThreadCount } from '../src/worker/pool.ts';
import { numberArgument } from './bench-support.ts';

const SEED = 42;
const CLUSTERS = 20;
const TRUST_K = 15;
const TRUST_SAMPLE = 1000;

const n = numberArgument('n', 10_000);
const dim = numberArgument('dim', 384);
const bigN = process.argv.includes('--no-big') ? 0 : numberArgument('big', 100_000);
const arxivN = numberArgument('arxiv', 10_000);
const ARXIV = fileURLToPath(
  new URL('../../shared/corpus/arxiv-2025-2026.jsonl.gz', import.meta.url),
);
/** Thread counts to run the 100k projection with: 1 (deterministic) and every worker by default. */
const workerCounts = (() => {
  const index = process.argv.indexOf('--workers');
  const all = defaultThreadCount(availableParallelism(), true);
  const counts = index >= 0 ? process.argv[index + 1]!.split(',').map(Number) : [1, all];
  return [...new Set([1, ...counts])].sort((a, b) => a - b);
})();
const maxWorkers = workerCounts.at(-1)!;

/** Projects with `threads` threads: 1 is the deterministic mode, more the parallel one. */
async function projectWith(
  threads: number,
  vectors: Float32Array,
  dim: number,
  onProgress?: ProgressCallback,
) {
  const pool = threads > 1 ? createNodeComputePool(threads) : null;
  try {
    return await projectVectors(vectors, dim, {
      seed: SEED,
      snapshotEvery: 0,
      ...(pool ? { helpers: pool } : {}),
      ...(onProgress ? { onProgress } : {}),
    });
  } finally {
    pool?.close();
  }
}

/** `count` arXiv abstracts (title and abstract) and their primary categories as label ids. */
function arxivSample(count: number): { texts: string[]; labels: Int32Array; categories: number } {
  const lines = gunzipSync(readFileSync(ARXIV)).toString('utf8').split('\n').slice(0, count);
  const ids = new Map<string, number>();
  const texts: string[] = [];
  const labels = new Int32Array(lines.length);
  lines.forEach((line, i) => {
    const paper = JSON.parse(line) as { title: string; abstract: string; primary_category: string };
    texts.push(`${paper.title}. ${paper.abstract}`);
    if (!ids.has(paper.primary_category)) ids.set(paper.primary_category, ids.size);
    labels[i] = ids.get(paper.primary_category)!;
  });
  return { texts, labels, categories: ids.size };
}

/**
 * CPU seconds (user + system) this process has used: far less sensitive than wall time to other
 * processes competing for the cores, so the speedup is also reported on it.
 */
function cpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

function seconds(since: number): number {
  return (performance.now() - since) / 1000;
}

function megabytes(bytes: number): number {
  return Math.round(bytes / 2 ** 20);
}

/** Share of the true k nearest neighbours (exact cosine) that `knn` found, over `count` sampled rows. */
function sampledRecall(vectors: Float32Array, dim: number, knn: KnnGraph, count: number): number {
  const n = vectors.length / dim;
  const rows = unitRows(vectors, dim, 4);
  const random = createRandom(SEED);
  const similarities = new Float64Array(n);
  const order = new Int32Array(n);
  let found = 0;
  for (let s = 0; s < count; s++) {
    const query = Math.floor(random() * n);
    for (let other = 0; other < n; other++) {
      similarities[other] = other === query ? -Infinity : rows.dot(query, other);
      order[other] = other;
    }
    const truth = new Set(
      Array.from(order)
        .sort((p, q) => similarities[q]! - similarities[p]!)
        .slice(0, knn.k),
    );
    for (let j = 0; j < knn.k; j++) if (truth.has(knn.indices[query * knn.k + j]!)) found++;
  }
  return found / (count * knn.k);
}

async function main(): Promise<void> {
  console.log(`Projection benchmark: ${n} × ${dim} clustered unit vectors (${CLUSTERS} blobs)`);
  const { vectors } = clusteredVectors(n, dim, CLUSTERS, { seed: SEED });

  let started = performance.now();
  let cpuStarted = cpuSeconds();
  let knnSeconds = 0;
  const ours = await projectVectors(vectors, dim, {
    seed: SEED,
    snapshotEvery: 0,
    onProgress: (progress) => {
      if (knnSeconds === 0 && progress.message === 'Optimising the layout')
        knnSeconds = seconds(started);
    },
  });
  const oursSeconds = seconds(started);
  const oursCpuSeconds = cpuSeconds() - cpuStarted;
  console.log(
    `ours:    ${oursSeconds.toFixed(2)} s (neighbours, graph and initial layout ${knnSeconds.toFixed(2)} s, layout ${(oursSeconds - knnSeconds).toFixed(2)} s; CPU ${oursCpuSeconds.toFixed(2)} s)`,
  );

  const rows = Array.from({ length: n }, (_, i) =>
    Array.from(vectors.subarray(i * dim, (i + 1) * dim)),
  );
  started = performance.now();
  cpuStarted = cpuSeconds();
  const baseline = new UMAP({ random: createRandom(SEED), nNeighbors: 15, minDist: 0.1 }).fit(rows);
  const umapjsSeconds = seconds(started);
  const umapjsCpuSeconds = cpuSeconds() - cpuStarted;
  console.log(`umap-js: ${umapjsSeconds.toFixed(2)} s (CPU ${umapjsCpuSeconds.toFixed(2)} s)`);
  const baselinePositions = Float32Array.from(baseline.flat());

  const trustOptions = { sample: TRUST_SAMPLE, seed: SEED };
  const oursTrust = trustworthiness(vectors, dim, ours.positions, TRUST_K, trustOptions);
  const umapjsTrust = trustworthiness(vectors, dim, baselinePositions, TRUST_K, trustOptions);
  const speedup = umapjsSeconds / oursSeconds;
  const cpuSpeedup = umapjsCpuSeconds / oursCpuSeconds;
  console.log(
    `speedup: ${speedup.toFixed(2)}× wall, ${cpuSpeedup.toFixed(2)}× CPU time (target ≥ 3×)`,
  );
  console.log(
    `trustworthiness@${TRUST_K} (${TRUST_SAMPLE} sampled points): ours ${oursTrust.toFixed(4)}, umap-js ${umapjsTrust.toFixed(4)}, difference ${(oursTrust - umapjsTrust).toFixed(4)} (target within 0.01)`,
  );

  const bigSeconds = new Map<number, number>();
  let bigPeakMb: number | null = null;
  const bigRecall = new Map<number, number>();
  if (bigN > 0) {
    const big = clusteredVectors(bigN, dim, CLUSTERS * 5, { seed: SEED });
    for (const threads of workerCounts) {
      let peakRss = 0;
      let peakArrayBuffers = 0;
      const sample = (): void => {
        const usage = process.memoryUsage();
        peakRss = Math.max(peakRss, usage.rss);
        peakArrayBuffers = Math.max(peakArrayBuffers, usage.arrayBuffers);
      };
      const sampler = setInterval(sample, 100);
      started = performance.now();
      let bigKnnSeconds = 0;
      const { knn: bigKnn } = await projectWith(threads, big.vectors, dim, (progress) => {
        sample();
        if (bigKnnSeconds === 0 && progress.message === 'Optimising the layout')
          bigKnnSeconds = seconds(started);
      });
      const total = seconds(started);
      clearInterval(sampler);
      sample();
      bigSeconds.set(threads, total);
      if (threads === 1) bigPeakMb = megabytes(peakRss);
      const recall = sampledRecall(big.vectors, dim, bigKnn, 200);
      bigRecall.set(threads, recall);
      console.log(
        `ours at ${bigN} × ${dim}, ${threads} worker${threads > 1 ? 's' : ''}: ${total.toFixed(2)} s (neighbours, graph and initial layout ${bigKnnSeconds.toFixed(2)} s, layout ${(total - bigKnnSeconds).toFixed(2)} s), peak RSS ${megabytes(peakRss)} MB, peak array buffers ${megabytes(peakArrayBuffers)} MB (input vectors ${megabytes(big.vectors.byteLength)} MB); neighbour recall@${bigKnn.k} on 200 sampled points ${recall.toFixed(3)}${threads > 1 ? `; ${(bigSeconds.get(1)! / total).toFixed(2)}× the speed of 1 worker` : ''}`,
      );
    }
  }

  let arxiv: {
    papers: number;
    trust: Map<number, number>;
    accuracy: Map<number, number>;
  } | null = null;
  if (arxivN > 0 && existsSync(ARXIV)) {
    const { texts, labels, categories } = arxivSample(arxivN);
    const embedded = fitLexicalEmbedding(texts);
    arxiv = { papers: texts.length, trust: new Map(), accuracy: new Map() };
    for (const threads of [1, maxWorkers]) {
      const { positions } = await projectWith(threads, embedded.vectors, embedded.dim);
      const options = { sample: TRUST_SAMPLE * 2, seed: SEED };
      arxiv.trust.set(
        threads,
        trustworthiness(embedded.vectors, embedded.dim, positions, TRUST_K, options),
      );
      arxiv.accuracy.set(threads, knnCategoryAccuracy(positions, labels, 10, options));
    }
    console.log(
      `quality on ${texts.length} arXiv abstracts (lexical, ${categories} primary categories; 2,000 sampled points): trustworthiness@${TRUST_K} ${arxiv.trust.get(1)!.toFixed(4)} with 1 worker, ${arxiv.trust.get(maxWorkers)!.toFixed(4)} with ${maxWorkers} (target within 0.005); kNN-10 category accuracy ${arxiv.accuracy.get(1)!.toFixed(4)} and ${arxiv.accuracy.get(maxWorkers)!.toFixed(4)} (target within 0.01)`,
    );
  } else if (arxivN > 0) {
    console.log(`no arXiv quality figures: ${ARXIV} is missing`);
  }

  const round = (value: number, digits: number): number => Number(value.toFixed(digits));
  console.log(
    JSON.stringify({
      n,
      dim,
      ours_seconds: round(oursSeconds, 3),
      umapjs_seconds: round(umapjsSeconds, 3),
      speedup: round(speedup, 2),
      ours_cpu_seconds: round(oursCpuSeconds, 3),
      umapjs_cpu_seconds: round(umapjsCpuSeconds, 3),
      cpu_speedup: round(cpuSpeedup, 2),
      ours_trustworthiness: round(oursTrust, 4),
      umapjs_trustworthiness: round(umapjsTrust, 4),
      workers: maxWorkers,
      n100k_seconds: bigSeconds.has(maxWorkers) ? round(bigSeconds.get(maxWorkers)!, 2) : null,
      n100k_seconds_1_worker: bigSeconds.has(1) ? round(bigSeconds.get(1)!, 2) : null,
      parallel_speedup_100k:
        bigSeconds.has(1) && maxWorkers > 1
          ? round(bigSeconds.get(1)! / bigSeconds.get(maxWorkers)!, 2)
          : null,
      n100k_seconds_by_workers: Object.fromEntries(
        [...bigSeconds].map(([threads, time]) => [threads, round(time, 2)]),
      ),
      n100k_recall_1_worker: bigRecall.has(1) ? round(bigRecall.get(1)!, 3) : null,
      n100k_recall: bigRecall.has(maxWorkers) ? round(bigRecall.get(maxWorkers)!, 3) : null,
      n100k_peak_mb: bigPeakMb,
      arxiv_papers: arxiv?.papers ?? null,
      arxiv_trustworthiness_1_worker: arxiv ? round(arxiv.trust.get(1)!, 4) : null,
      arxiv_trustworthiness: arxiv ? round(arxiv.trust.get(maxWorkers)!, 4) : null,
      arxiv_knn10_accuracy_1_worker: arxiv ? round(arxiv.accuracy.get(1)!, 4) : null,
      arxiv_knn10_accuracy: arxiv ? round(arxiv.accuracy.get(maxWorkers)!, 4) : null,
    }),
  );
}

await main();
