/**
 * A seeded synthetic map for tests, the e2e harness and the render benchmark: Gaussian blobs in two
 * cluster levels (regions made of topics), fake bibliographic fields, and a few papers whose text holds
 * markup (`<script>`, `<img onerror>`) that must stay inert wherever it is shown.
 */
import { createRandom, randomInt } from '../../lib/random.ts';
import type { AtlasMap, ClusterNode } from '../../pipeline/atlas-map.ts';
import type { Paper } from '../../pipeline/types.ts';

export interface SyntheticMapOptions {
  count: number;
  seed?: number;
  /** Broad regions (level 0); each holds `topicsPerRegion` topics (level 1). */
  regions?: number;
  topicsPerRegion?: number;
  /** Embedding dimension of the fake vectors; 0 leaves the map without vectors. */
  vectorDim?: number;
  /** Sentences per abstract; keep small for very large maps. */
  abstractSentences?: number;
  /** Share of papers that belong to no topic (noise at both levels). */
  noiseShare?: number;
  /** Put markup into some titles and abstracts. */
  hostileText?: boolean;
}

const REGION_THEMES = [
  ['neural', 'language', 'transformer', 'attention', 'translation', 'summarization'],
  ['quantum', 'entanglement', 'qubit', 'decoherence', 'error correction', 'annealing'],
  ['protein', 'folding', 'genome', 'sequencing', 'cell', 'expression'],
  ['galaxy', 'dark matter', 'cosmology', 'supernova', 'redshift', 'lensing'],
  ['graph', 'network', 'community', 'spectral', 'random walk', 'embedding'],
  ['robot', 'control', 'planning', 'reinforcement', 'policy', 'locomotion'],
  ['climate', 'ocean', 'precipitation', 'aerosol', 'carbon', 'ice sheet'],
  ['market', 'pricing', 'auction', 'equilibrium', 'portfolio', 'volatility'],
];
const METHOD_WORDS = [
  'learning',
  'inference',
  'estimation',
  'optimisation',
  'simulation',
  'analysis',
];
const ADJECTIVES = [
  'scalable',
  'robust',
  'efficient',
  'sparse',
  'adaptive',
  'probabilistic',
  'deep',
];
const SURNAMES = [
  'Okafor',
  'Lindqvist',
  'Tanaka',
  'Moreau',
  'García',
  'Novak',
  'Chen',
  'Haddad',
  'Ivanova',
  'Smith',
];
const INITIALS = 'ABCDEFGHJKLMNPRSTVW';
const SOURCES = ['arxiv-cs.txt', 'arxiv-physics.txt', 'pubmed.csv', 'dblp.bib'];
export const HOSTILE_TITLE = 'Robust <script>window.__atlasInjected = 1</script> attention';
export const HOSTILE_ABSTRACT =
  'We show <img src=x onerror="window.__atlasInjected = 1"> that markup in abstracts stays text.';

/** A map of `count` papers in `regions × topicsPerRegion` blobs; the same options give the same map. */
export function syntheticMap(options: SyntheticMapOptions): AtlasMap {
  const {
    count,
    seed = 1,
    regions = 6,
    topicsPerRegion = 4,
    vectorDim = 32,
    abstractSentences = 3,
    noiseShare = 0.05,
    hostileText = true,
  } = options;
  const random = createRandom(seed);
  const gaussian = () => {
    const u = Math.max(random(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const regionCount = Math.min(regions, REGION_THEMES.length);
  const clusters: ClusterNode[] = [];
  const topicCenters: [number, number][] = [];
  const topicRegion: number[] = [];
  for (let r = 0; r < regionCount; r++) {
    const angle = (2 * Math.PI * r) / regionCount;
    const cx = 10 * Math.cos(angle);
    const cy = 10 * Math.sin(angle);
    const theme = REGION_THEMES[r]!;
    clusters.push({
      id: r,
      level: 0,
      parent: null,
      size: 0,
      label: `${capitalise(theme[0]!)} ${theme[1]!}`,
      keywords: theme.slice(0, 4),
      centroid: [cx, cy],
    });
    for (let t = 0; t < topicsPerRegion; t++) {
      const topicAngle = (2 * Math.PI * t) / topicsPerRegion + r;
      topicCenters.push([cx + 3.2 * Math.cos(topicAngle), cy + 3.2 * Math.sin(topicAngle)]);
      topicRegion.push(r);
      const word = theme[(t + 2) % theme.length]!;
      clusters.push({
        id: regionCount + r * topicsPerRegion + t,
        level: 1,
        parent: r,
        size: 0,
        label: `${capitalise(word)} ${METHOD_WORDS[t % METHOD_WORDS.length]!}`,
        keywords: [word, METHOD_WORDS[t % METHOD_WORDS.length]!, theme[0]!],
        centroid: topicCenters[topicCenters.length - 1]!,
      });
    }
  }
  // Ids equal array positions from here on, so members can be counted by id.
  clusters.sort((a, b) => a.id - b.id);
  const topicCount = topicCenters.length;
  const positions = new Float32Array(count * 2);
  const broad = new Int32Array(count).fill(-1);
  const fine = new Int32Array(count).fill(-1);
  const papers: Paper[] = new Array<Paper>(count);
  const vectors = vectorDim > 0 ? new Float32Array(count * vectorDim) : undefined;
  const topicDirections = Array.from({ length: topicCount }, () =>
    Array.from({ length: vectorDim }, () => gaussian()),
  );
  const sums = new Float64Array(clusters.length * 2);
  for (let i = 0; i < count; i++) {
    const isNoise = random() < noiseShare;
    const topic = randomInt(random, topicCount);
    const region = topicRegion[topic]!;
    if (isNoise) {
      positions[2 * i] = (random() - 0.5) * 34;
      positions[2 * i + 1] = (random() - 0.5) * 34;
    } else {
      const [cx, cy] = topicCenters[topic]!;
      positions[2 * i] = cx + gaussian() * 0.9;
      positions[2 * i + 1] = cy + gaussian() * 0.9;
      broad[i] = region;
      fine[i] = regionCount + topic;
      for (const id of [region, regionCount + topic]) {
        clusters[id]!.size++;
        sums[2 * id] = sums[2 * id]! + positions[2 * i]!;
        sums[2 * id + 1] = sums[2 * id + 1]! + positions[2 * i + 1]!;
      }
    }
    if (vectors) {
      const direction = topicDirections[topic]!;
      let norm = 0;
      for (let d = 0; d < vectorDim; d++) {
        const value = direction[d]! + gaussian() * (isNoise ? 3 : 0.6);
        vectors[i * vectorDim + d] = value;
        norm += value * value;
      }
      norm = Math.sqrt(norm) || 1;
      for (let d = 0; d < vectorDim; d++) vectors[i * vectorDim + d]! /= norm;
    }
    papers[i] = fakePaper(i, topic, region, random, abstractSentences, hostileText);
  }
  for (const cluster of clusters) {
    if (cluster.size > 0) {
      cluster.centroid = [
        sums[2 * cluster.id]! / cluster.size,
        sums[2 * cluster.id + 1]! / cluster.size,
      ];
    }
  }
  const noise = fine.reduce((total, id) => total + (id === -1 ? 1 : 0), 0);
  const map: AtlasMap = {
    name: `Synthetic atlas (${count.toLocaleString('en-US')} papers, seed ${seed})`,
    papers,
    positions,
    clusterLevels: [broad, fine],
    clusters,
    quality: {
      trustworthiness: 0.93,
      k: 15,
      clusterCount: topicCount,
      noiseShare: count > 0 ? noise / count : 0,
      silhouette: 0.41,
    },
    embedder: { kind: 'neural', model: 'synthetic/blobs', device: 'cpu', dim: vectorDim },
    seed,
  };
  if (vectors) map.vectors = { data: vectors, dim: vectorDim };
  return map;
}

/**
 * A stand-in for a query embedder over a synthetic map: the mean vector of the topic whose keywords the
 * text mentions (the topic's direction), or null when it mentions none.
 */
export function syntheticQueryVector(map: AtlasMap, text: string): Float32Array | null {
  if (!map.vectors) return null;
  const lower = text.toLowerCase();
  const topic = map.clusters.find(
    (c) => c.level === 1 && c.keywords.some((keyword) => lower.includes(keyword.toLowerCase())),
  );
  if (!topic) return null;
  const { data, dim } = map.vectors;
  const finest = map.clusterLevels[map.clusterLevels.length - 1]!;
  const mean = new Float32Array(dim);
  for (let i = 0; i < finest.length; i++) {
    if (finest[i] !== topic.id) continue;
    for (let d = 0; d < dim; d++) mean[d]! += data[i * dim + d]!;
  }
  return mean;
}

function fakePaper(
  i: number,
  topic: number,
  region: number,
  random: () => number,
  sentences: number,
  hostileText: boolean,
): Paper {
  const theme = REGION_THEMES[region]!;
  const pick = <T>(items: readonly T[]) => items[randomInt(random, items.length)]!;
  const hostile = hostileText && i % 97 === 13;
  const subject = theme[(topic + 2) % theme.length]!;
  const title = hostile
    ? HOSTILE_TITLE
    : `${capitalise(pick(ADJECTIVES))} ${subject} ${pick(METHOD_WORDS)} with ${pick(theme)} ${i}`;
  const parts: string[] = [];
  for (let s = 0; s < sentences; s++) {
    parts.push(
      `We study ${pick(ADJECTIVES)} ${pick(theme)} ${pick(METHOD_WORDS)} and relate it to ${subject}.`,
    );
  }
  if (hostile) parts.push(HOSTILE_ABSTRACT);
  const authorCount = 1 + randomInt(random, 4);
  const authors = Array.from(
    { length: authorCount },
    () => `${INITIALS[randomInt(random, INITIALS.length)]!}. ${pick(SURNAMES)}`,
  );
  return {
    id: `syn-${i}`,
    title,
    abstract: parts.join(' '),
    authors,
    year: 2005 + randomInt(random, 20),
    url: i % 50 === 7 ? 'javascript:window.__atlasInjected=1' : `https://example.org/papers/${i}`,
    categories: [`${theme[0]!.replace(/\s+/g, '-')}.${(topic % 3) + 1}`],
    source: SOURCES[region % SOURCES.length]!,
  };
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
