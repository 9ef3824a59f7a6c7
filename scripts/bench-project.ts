/**
 * `npm run bench:project`: the project's projection (kNN + fuzzy graph + typed-array UMAP optimiser)
 * against plain umap-js (`new UMAP({ random }).fit()`, default parameters aside from the seed) on the
 * same synthetic clustered unit vectors, in the same run: time, trustworthiness at k = 15 (the same
 * 1,000 sampled points for both) and the speedup, on wall time and on CPU time (which other processes
 * on a shared machine disturb far less); then the time and peak memory of 100,000 × 384 and the
 * NN-descent recall there. Ends with one JSON line.
 *
 *   npm run bench:project -- [--n 10000] [--dim 384] [--big 100000] [--no-big]
 */
import { UMAP } from 'umap-js';
import { createRandom } from '../src/lib/random.ts';
import type { KnnGraph } from '../src/pipeline/project/knn.ts';
import { trustworthiness } from '../src/pipeline/project/quality.ts';
import { clusteredVectors } from '../src/pipeline/project/synthetic.ts';
import { projectVectors } from '../src/pipeline/project/umap.ts';
import { unitRows } from '../src/pipeline/project/unit-rows.ts';
import { numberArgument } from './bench-support.ts';

const SEED = 42;
const CLUSTERS = 20;
const TRUST_K = 15;
const TRUST_SAMPLE = 1000;

const n = numberArgument('n', 10_000);
const dim = numberArgument('dim', 384);
const bigN = process.argv.includes('--no-big') ? 0 : numberArgument('big', 100_000);

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

  let bigSeconds: number | null = null;
  let bigPeakMb: number | null = null;
  if (bigN > 0) {
    const big = clusteredVectors(bigN, dim, CLUSTERS * 5, { seed: SEED });
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
    const { knn: bigKnn } = await projectVectors(big.vectors, dim, {
      seed: SEED,
      snapshotEvery: 0,
      onProgress: (progress) => {
        sample();
        if (bigKnnSeconds === 0 && progress.message === 'Optimising the layout')
          bigKnnSeconds = seconds(started);
      },
    });
    bigSeconds = seconds(started);
    clearInterval(sampler);
    sample();
    bigPeakMb = megabytes(peakRss);
    const recall = sampledRecall(big.vectors, dim, bigKnn, 200);
    console.log(
      `ours at ${bigN} × ${dim}: ${bigSeconds.toFixed(2)} s (neighbours, graph and initial layout ${bigKnnSeconds.toFixed(2)} s), peak RSS ${bigPeakMb} MB, peak array buffers ${megabytes(peakArrayBuffers)} MB (input vectors ${megabytes(big.vectors.byteLength)} MB); neighbour recall@${bigKnn.k} on 200 sampled points ${recall.toFixed(3)}`,
    );
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
      n100k_seconds: bigSeconds === null ? null : round(bigSeconds, 2),
      n100k_peak_mb: bigPeakMb,
    }),
  );
}

await main();
