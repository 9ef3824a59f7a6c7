/**
 * Clustering speed and quality on synthetic layouts: Gaussian blobs in uniform background noise.
 * Baseline, measured in the same run: HDBSCAN with the spanning tree from Prim's algorithm on the
 * complete mutual reachability graph (O(n²), what a naive implementation does), at a size it can
 * manage. Prints figures and ends with one JSON line.
 *
 *   npx tsx scripts/bench-cluster.ts [points=100000]
 */
import { createRandom } from '../src/lib/random.ts';
import {
  adjustedRandIndex,
  clusterHierarchy,
  defaultMinClusterSize,
  defaultMinSamples,
  silhouette,
} from '../src/pipeline/cluster/index.ts';
import { buildCondensedTree } from '../src/pipeline/cluster/condensed-tree.ts';
import { KdTree2D } from '../src/pipeline/cluster/kdtree.ts';
import { buildLevels } from '../src/pipeline/cluster/levels.ts';
import type { SpanningTree } from '../src/pipeline/cluster/mst.ts';

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** 40 blobs on a spiral holding 80 % of the points, the rest spread uniformly. */
function makeLayout(n: number, seed: number): { positions: Float32Array; truth: Int32Array } {
  const random = createRandom(seed);
  const positions = new Float32Array(2 * n);
  const truth = new Int32Array(n);
  const blobPoints = Math.floor(n * 0.8);
  for (let i = 0; i < n; i++) {
    if (i < blobPoints) {
      const blob = i % 40;
      positions[2 * i] = Math.cos(blob * 2.4) * blob * 5 + 1.5 * gaussian(random);
      positions[2 * i + 1] = Math.sin(blob * 2.4) * blob * 5 + 1.5 * gaussian(random);
      truth[i] = blob;
    } else {
      positions[2 * i] = -220 + 440 * random();
      positions[2 * i + 1] = -220 + 440 * random();
      truth[i] = -1;
    }
  }
  return { positions, truth };
}

function primMst(positions: Float32Array, core: Float64Array): SpanningTree {
  const n = core.length;
  const tree: SpanningTree = {
    from: new Int32Array(n - 1),
    to: new Int32Array(n - 1),
    weight: new Float64Array(n - 1),
  };
  const inTree = new Uint8Array(n);
  const best = new Float64Array(n).fill(Infinity);
  const via = new Int32Array(n);
  let current = 0;
  inTree[0] = 1;
  for (let edge = 0; edge < n - 1; edge++) {
    let next = -1;
    for (let i = 0; i < n; i++) {
      if (inTree[i]) continue;
      const d = Math.hypot(
        positions[2 * i]! - positions[2 * current]!,
        positions[2 * i + 1]! - positions[2 * current + 1]!,
      );
      const reach = Math.max(d, core[i]!, core[current]!);
      if (reach < best[i]!) {
        best[i] = reach;
        via[i] = current;
      }
      if (next < 0 || best[i]! < best[next]!) next = i;
    }
    inTree[next] = 1;
    tree.from[edge] = via[next]!;
    tree.to[edge] = next;
    tree.weight[edge] = best[next]!;
    current = next;
  }
  return tree;
}

function naiveHierarchy(positions: Float32Array): number {
  const n = positions.length / 2;
  const minClusterSize = defaultMinClusterSize(n);
  const start = performance.now();
  const core = new KdTree2D(positions).kthNeighbourDistances(defaultMinSamples(minClusterSize));
  const tree = primMst(positions, core);
  buildLevels(buildCondensedTree(tree, n, minClusterSize), positions);
  return performance.now() - start;
}

async function timed(positions: Float32Array) {
  const start = performance.now();
  const hierarchy = await clusterHierarchy(positions);
  return { hierarchy, ms: performance.now() - start };
}

function agreement(found: Int32Array, truth: Int32Array): number {
  const kept = [...found.keys()].filter((i) => found[i]! >= 0 && truth[i]! >= 0);
  return adjustedRandIndex(
    Int32Array.from(kept, (i) => found[i]!),
    Int32Array.from(kept, (i) => truth[i]!),
  );
}

const points = Number(process.argv[2] ?? 100_000);
const baselinePoints = 4000;

const small = makeLayout(baselinePoints, 1);
await timed(small.positions); // warm-up
const ours = await timed(small.positions);
const naiveMs = naiveHierarchy(small.positions);
console.log(
  `${baselinePoints} points: ours ${ours.ms.toFixed(0)} ms, naive O(n²) baseline ${naiveMs.toFixed(0)} ms, ` +
    `${(naiveMs / ours.ms).toFixed(1)}× faster`,
);

const large = makeLayout(points, 2);
const { hierarchy, ms } = await timed(large.positions);
const finest = hierarchy.levels[hierarchy.levels.length - 1]!;
const silhouetteStart = performance.now();
const finestSilhouette = silhouette(large.positions, finest, { seed: 1 });
const silhouetteMs = performance.now() - silhouetteStart;
const counts = hierarchy.levels.map(
  (labels) => new Set([...labels].filter((label) => label >= 0)).size,
);
const ari = agreement(finest, large.truth);
const noiseShare = finest.filter((label) => label < 0).length / finest.length;
console.log(
  `${points} points: ${ms.toFixed(0)} ms, levels ${counts.join(' → ')} clusters, ` +
    `noise ${(100 * noiseShare).toFixed(1)} %, ARI vs truth ${ari.toFixed(3)}, ` +
    `silhouette ${finestSilhouette.toFixed(3)} in ${silhouetteMs.toFixed(0)} ms`,
);
console.log(
  JSON.stringify({
    bench: 'cluster',
    points,
    ms: Math.round(ms),
    levels: counts,
    noiseShare: Number(noiseShare.toFixed(4)),
    ari: Number(ari.toFixed(4)),
    silhouette: Number(finestSilhouette.toFixed(4)),
    silhouetteMs: Math.round(silhouetteMs),
    baseline: { points: baselinePoints, naiveMs: Math.round(naiveMs), oursMs: Math.round(ours.ms) },
    speedup: Number((naiveMs / ours.ms).toFixed(1)),
  }),
);
