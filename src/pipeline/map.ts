import { AtlasError, throwIfCancelled } from '../lib/errors.ts';
import type { AtlasMap, ClusterNode, EmbedderInfo, MapQuality } from './atlas-map.ts';
import { clusterHierarchy, silhouette } from './cluster/index.ts';
import { labelClustersAsync, type LabelIndex } from './label/index.ts';
import type { LabelMeaning } from './label/meaning.ts';
import { trustworthiness } from './project/quality.ts';
import type { ComputeHelpers } from './project/parallel.ts';
import { projectVectors } from './project/umap.ts';
import { paperText, SMALLEST_PROJECTED_MAP, type Paper, type RunOptions } from './types.ts';

export const DEFAULT_SEED = 42;
const QUALITY_K = 15;
/** Quality figures are estimated on a sample so they stay cheap for large corpora. */
const QUALITY_SAMPLE = 2000;
/**
 * Trustworthiness compares each sampled paper with every other one (O(sample × n × dim)): the sample
 * shrinks on large corpora to keep that near 30 million pairs, about 3 s. At 100,000 papers that is
 * 300 papers, a standard error near 0.005; at 2,000 sampled it took 20 s, longer than the labels.
 */
const TRUSTWORTHINESS_PAIRS = 30_000_000;
const SMALLEST_TRUSTWORTHINESS_SAMPLE = 300;

export interface MapLayoutInput {
  name: string;
  /** The text each paper is labelled by (`paperText`), in paper order. */
  texts: string[];
  vectors: Float32Array;
  dim: number;
  embedder: EmbedderInfo;
  seed?: number;
}

export interface ComputeMapInput extends Omit<MapLayoutInput, 'texts'> {
  papers: Paper[];
}

export interface MapRunOptions extends RunOptions {
  /** Helper threads for the parallel mode (see `ProjectionOptions.helpers`); none: deterministic. */
  helpers?: ComputeHelpers;
  /** The texts' label index, if it is being built ahead (`indexLabelTexts`); else labelling reads them. */
  labelIndex?: Promise<LabelIndex>;
  /**
   * The map's neural embedder on short phrases (`LabelMeaning.embedPhrases`): with it, label terms are
   * ranked by meaning as well as frequency. Not used for lexical maps.
   */
  embedPhrases?: LabelMeaning['embedPhrases'];
}

/** A map without its papers: what the map worker sends back (the page already holds the papers). */
export type MapLayout = Omit<AtlasMap, 'papers'>;

export { paperText } from './types.ts';

/**
 * Vectors → layout → clusters → labels → quality: the map stages after embedding, DOM-free so the
 * map worker and the build-time bundle script run the very same code.
 */
export async function computeMap(
  input: ComputeMapInput,
  options: MapRunOptions = {},
): Promise<AtlasMap> {
  const { papers, ...rest } = input;
  const layout = await computeMapLayout({ ...rest, texts: papers.map(paperText) }, options);
  return { ...layout, papers };
}

/** `computeMap` on the papers' texts alone. */
export async function computeMapLayout(
  input: MapLayoutInput,
  options: MapRunOptions = {},
): Promise<MapLayout> {
  const { texts, vectors, dim, embedder, name } = input;
  const seed = input.seed ?? DEFAULT_SEED;
  const { signal, onProgress, helpers, labelIndex, embedPhrases } = options;
  if (texts.length === 0) {
    throw new AtlasError('project', 'no-papers', 'There are no papers to map.', {
      hint: 'Load a corpus with at least one paper that has an abstract.',
    });
  }
  if (texts.length < SMALLEST_PROJECTED_MAP) return trivialLayout(input, seed);

  const { positions } = await projectVectors(vectors, dim, {
    seed,
    ...(helpers ? { helpers } : {}),
    ...(signal ? { signal } : {}),
    ...(onProgress ? { onProgress } : {}),
  });
  throwIfCancelled(signal);

  onProgress?.({ stage: 'clustering', done: 0, total: 1 });
  const hierarchy = await clusterHierarchy(positions, {
    ...(signal ? { signal } : {}),
    ...(onProgress ? { onProgress } : {}),
  });
  throwIfCancelled(signal);

  onProgress?.({ stage: 'labelling', done: 0, total: 1 });
  const labelled = await labelClustersAsync(texts, hierarchy, {
    ...(signal ? { signal } : {}),
    ...(onProgress ? { onProgress } : {}),
    ...(labelIndex ? { index: labelIndex } : {}),
    ...(embedPhrases && embedder.kind === 'neural'
      ? { meaning: { vectors, dim, embedPhrases } }
      : {}),
  });
  const labels = new Map(labelled.map((l) => [l.id, l]));
  const clusters: ClusterNode[] = hierarchy.nodes.map((node) => ({
    ...node,
    label: labels.get(node.id)?.label ?? `Cluster ${node.id}`,
    keywords: labels.get(node.id)?.keywords ?? [],
  }));

  const finest = hierarchy.levels[hierarchy.levels.length - 1]!;
  let noise = 0;
  for (const id of finest) if (id < 0) noise++;
  // Trustworthiness needs k < n / 2; small corpora are measured at the largest k they allow.
  const k = Math.min(QUALITY_K, Math.ceil(texts.length / 2) - 1);
  const quality: MapQuality = {
    trustworthiness: trustworthiness(vectors, dim, positions, k, {
      sample: Math.max(
        SMALLEST_TRUSTWORTHINESS_SAMPLE,
        Math.min(QUALITY_SAMPLE, Math.round(TRUSTWORTHINESS_PAIRS / texts.length)),
      ),
      seed,
    }),
    k,
    clusterCount: clusters.filter((c) => c.level === hierarchy.levels.length - 1).length,
    noiseShare: texts.length ? noise / texts.length : 0,
    silhouette: silhouette(positions, finest, { sample: QUALITY_SAMPLE, seed }),
  };
  onProgress?.({ stage: 'labelling', done: 1, total: 1 });

  return {
    name,
    positions,
    clusterLevels: hierarchy.levels,
    clusters,
    quality,
    embedder,
    seed,
    vectors: { data: vectors, dim },
  };
}

/** One paper in the middle, or two side by side: nothing to project, cluster or label. */
function trivialLayout(input: MapLayoutInput, seed: number): MapLayout {
  const n = input.texts.length;
  const positions = n === 1 ? new Float32Array([0, 0]) : new Float32Array([-1, 0, 1, 0]);
  return {
    name: input.name,
    positions,
    clusterLevels: [],
    clusters: [],
    // Every neighbour order of one or two points is kept: the layout is as trustworthy as can be.
    quality: { trustworthiness: 1, k: 0, clusterCount: 0, noiseShare: 1, silhouette: 0 },
    embedder: input.embedder,
    seed,
    vectors: { data: input.vectors, dim: input.dim },
  };
}
