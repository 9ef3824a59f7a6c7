/**
 * The portable form of a computed map: one JSON file (`<name>.atlas.json`) that reopens instantly,
 * without embedding or projecting again. DOM-free, so the same code validates bundles in Node tests,
 * workers and the page.
 */
import { AtlasError } from '../lib/errors.ts';
import type { AtlasMap, ClusterNode, EmbedderInfo, MapQuality } from './atlas-map.ts';
import type { LexicalModel } from './embed/lexical.ts';
import { EMBED_DTYPES, type EmbedDtype } from './embed/models.ts';
import type { Paper } from './types.ts';

export const BUNDLE_FORMAT = 'abstract-atlas';
/**
 * 2 added what growing a map needs: the lexical model's fitted state (`lexicalModel`) and where the
 * latest added papers begin (`grownFrom`). Version 1 bundles still open; without that state a lexical
 * map of theirs cannot grow (`growBlocker` says why).
 */
export const BUNDLE_VERSION = 2;
const SUPPORTED_VERSIONS = [1, 2];

/** A paper as saved in a bundle, with its place on the map. */
export interface BundleDoc extends Paper {
  x: number;
  y: number;
  /** Cluster id at the finest level, -1 for noise; broader levels follow `clusters[].parent`. */
  cluster: number;
  /**
   * The cluster id at every level, broadest first. Only written when following `parent` from `cluster`
   * would not give them back (a paper that is noise at the finest level but in a broader cluster).
   */
  levels?: number[];
}

export interface BundleCluster {
  id: number;
  label: string;
  keywords: string[];
  size: number;
  level: number;
  parent: number | null;
  centroid: [number, number];
}

export interface AtlasBundle {
  format: typeof BUNDLE_FORMAT;
  version: number;
  name: string;
  seed: number;
  embedder: EmbedderInfo;
  docs: BundleDoc[];
  clusters: BundleCluster[];
  quality: MapQuality;
  vectors?: { dim: number; base64: string };
  /** The fitted TF-IDF/SVD of a lexical map, so new texts land in its space without refitting. */
  lexicalModel?: BundleLexicalModel;
  /** Index of the first doc added by the latest growth of the map. */
  grownFrom?: number;
}

/** A fitted lexical model: the vocabulary in column order, idf and projection as base64 float32. */
export interface BundleLexicalModel {
  dim: number;
  terms: string[];
  idf: string;
  projection: string;
}

export interface ToBundleOptions {
  /**
   * Keep the embedding vectors (base64 of little-endian float32), for neighbours, semantic search and
   * growing the map, and a lexical map's fitted model (which growing it needs).
   */
  includeVectors?: boolean;
}

/** The bundle object of a map; `JSON.stringify` it to save. Positions keep their exact float32 values. */
export function toBundle(map: AtlasMap, options: ToBundleOptions = {}): AtlasBundle {
  const levelCount = map.clusterLevels.length;
  const parentOf = new Map<number, number | null>(map.clusters.map((c) => [c.id, c.parent]));
  const docs = map.papers.map((paper, i): BundleDoc => {
    const levels = map.clusterLevels.map((level) => level[i] ?? -1);
    const finest = levelCount > 0 ? (levels[levelCount - 1] ?? -1) : -1;
    const recoverable = sameNumbers(levelsFromFinest(finest, levelCount, parentOf), levels);
    const doc: BundleDoc = {
      id: paper.id,
      title: paper.title,
      x: map.positions[2 * i] ?? 0,
      y: map.positions[2 * i + 1] ?? 0,
      cluster: finest,
      ...(recoverable ? {} : { levels }),
      abstract: paper.abstract,
    };
    if (paper.authors !== undefined) doc.authors = [...paper.authors];
    if (paper.year !== undefined) doc.year = paper.year;
    if (paper.month !== undefined) doc.month = paper.month;
    if (paper.url !== undefined) doc.url = paper.url;
    if (paper.categories !== undefined) doc.categories = [...paper.categories];
    if (paper.note !== undefined) doc.note = paper.note;
    if (paper.source !== undefined) doc.source = paper.source;
    return doc;
  });
  const bundle: AtlasBundle = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    name: map.name,
    seed: map.seed,
    embedder: { ...map.embedder },
    docs,
    clusters: map.clusters.map((c) => ({
      id: c.id,
      label: c.label,
      keywords: [...c.keywords],
      size: c.size,
      level: c.level,
      parent: c.parent,
      centroid: [c.centroid[0], c.centroid[1]],
    })),
    quality: { ...map.quality },
  };
  if (options.includeVectors && map.vectors) {
    bundle.vectors = { dim: map.vectors.dim, base64: float32ToBase64(map.vectors.data) };
  }
  if (options.includeVectors && map.lexicalModel) {
    const { vocabulary, idf, projection, dim } = map.lexicalModel;
    const terms = new Array<string>(vocabulary.size);
    for (const [term, column] of vocabulary) terms[column] = term;
    bundle.lexicalModel = {
      dim,
      terms,
      idf: float32ToBase64(idf),
      projection: float32ToBase64(projection),
    };
  }
  if (map.grownFrom !== undefined) bundle.grownFrom = map.grownFrom;
  return bundle;
}

/** Serialises a map as bundle text. */
export function bundleToJson(map: AtlasMap, options: ToBundleOptions = {}): string {
  return JSON.stringify(toBundle(map, options));
}

/** A file name for a map's bundle: the map's name made safe for file systems. */
export function bundleFileName(name: string): string {
  const safe = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\w.-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return `${safe || 'atlas'}.atlas.json`;
}

/**
 * Whether text or a parsed object is an Abstract Atlas bundle. For text only the opening is looked at
 * (bundles written by `toBundle` start with their format), so large files are told apart cheaply.
 */
export function isBundle(input: string | unknown): boolean {
  if (typeof input === 'string') {
    const opening = input.slice(0, BUNDLE_OPENING_CHARS);
    return /^\s*\{/.test(opening) && /"format"\s*:\s*"abstract-atlas"/.test(opening);
  }
  return isRecord(input) && input.format === BUNDLE_FORMAT;
}

/** Whether file bytes are a bundle, read from their opening only (bundles are UTF-8 JSON). */
export function isBundleBytes(bytes: Uint8Array): boolean {
  return isBundle(new TextDecoder().decode(bytes.subarray(0, BUNDLE_OPENING_CHARS)));
}

/** Bundles name their format within this many characters of their start. */
const BUNDLE_OPENING_CHARS = 4096;

/** Reads bundle text (or an already parsed bundle object) back into a map, checking every field. */
export function parseBundle(input: string | unknown): AtlasMap {
  let data: unknown = input;
  if (typeof input === 'string') {
    try {
      data = JSON.parse(input);
    } catch (cause) {
      throw new AtlasError('parse', 'bundle-json', 'The map file is not valid JSON.', {
        hint: 'Choose an .atlas.json file saved with “Download map”, or a corpus file to compute a new map.',
        cause,
      });
    }
  }
  if (!isRecord(data) || data.format !== BUNDLE_FORMAT) {
    throw invalid(
      'bundle-format',
      `The file is not an Abstract Atlas map (no "format": "abstract-atlas").`,
    );
  }
  if (typeof data.version !== 'number' || !SUPPORTED_VERSIONS.includes(data.version)) {
    throw new AtlasError(
      'parse',
      'bundle-version',
      `This map file has version ${String(data.version)}, which this app cannot read.`,
      {
        hint: `Supported versions: ${SUPPORTED_VERSIONS.join(', ')}. Update the app or save the map again.`,
      },
    );
  }
  const name = typeof data.name === 'string' ? data.name : 'Untitled atlas';
  const seed = typeof data.seed === 'number' && Number.isFinite(data.seed) ? data.seed : 0;
  const embedder = readEmbedder(data.embedder);
  const quality = readQuality(data.quality);
  const clusters = readClusters(data.clusters);
  if (!Array.isArray(data.docs)) throw invalid('bundle-docs', 'The map file has no "docs" list.');
  const docs: unknown[] = data.docs;
  const n = docs.length;
  const levelCount = clusters.reduce((max, c) => Math.max(max, c.level + 1), 0);
  const byId = new Map(clusters.map((c) => [c.id, c]));
  const parentOf = new Map<number, number | null>(clusters.map((c) => [c.id, c.parent]));
  const positions = new Float32Array(n * 2);
  const clusterLevels = Array.from({ length: levelCount }, () => new Int32Array(n).fill(-1));
  const papers: Paper[] = new Array<Paper>(n);
  const seenIds = new Set<string>();
  for (let i = 0; i < n; i++) {
    const doc = docs[i];
    const where = `docs[${i}]`;
    if (!isRecord(doc)) throw invalid('bundle-doc', `${where} is not an object.`);
    if (typeof doc.id !== 'string' || doc.id === '') {
      throw invalid('bundle-doc', `${where} has no "id" text.`);
    }
    if (seenIds.has(doc.id)) throw invalid('bundle-doc', `${where} repeats the id "${doc.id}".`);
    seenIds.add(doc.id);
    if (typeof doc.title !== 'string') throw invalid('bundle-doc', `${where} has no "title" text.`);
    if (!isFiniteNumber(doc.x) || !isFiniteNumber(doc.y)) {
      throw invalid('bundle-doc', `${where} needs finite numbers "x" and "y".`);
    }
    positions[2 * i] = doc.x;
    positions[2 * i + 1] = doc.y;
    const levels = readDocLevels(doc, where, levelCount, byId, parentOf);
    for (let l = 0; l < levelCount; l++) clusterLevels[l]![i] = levels[l] ?? -1;
    papers[i] = readPaper(doc, where);
  }
  const map: AtlasMap = {
    name,
    papers,
    positions,
    clusterLevels,
    clusters,
    quality,
    embedder,
    seed,
  };
  if (data.vectors !== undefined) map.vectors = readVectors(data.vectors, n);
  if (data.lexicalModel !== undefined) map.lexicalModel = readLexicalModel(data.lexicalModel);
  if (data.grownFrom !== undefined) {
    if (
      !Number.isInteger(data.grownFrom) ||
      (data.grownFrom as number) < 0 ||
      (data.grownFrom as number) > n
    ) {
      throw invalid('bundle-grown-from', `"grownFrom" must be a doc index from 0 to ${n}.`);
    }
    map.grownFrom = data.grownFrom as number;
  }
  return map;
}

function readDocLevels(
  doc: Record<string, unknown>,
  where: string,
  levelCount: number,
  byId: Map<number, ClusterNode>,
  parentOf: Map<number, number | null>,
): number[] {
  if (doc.levels !== undefined) {
    const levels = doc.levels;
    if (
      !Array.isArray(levels) ||
      levels.length !== levelCount ||
      !levels.every((id, l) => id === -1 || byId.get(id as number)?.level === l)
    ) {
      throw invalid(
        'bundle-doc',
        `${where}.levels must list ${levelCount} cluster ids, one per level (broadest first), or -1.`,
      );
    }
    return levels as number[];
  }
  const cluster = doc.cluster;
  if (cluster === undefined || cluster === -1) return new Array<number>(levelCount).fill(-1);
  if (!Number.isInteger(cluster) || !byId.has(cluster as number)) {
    throw invalid(
      'bundle-doc',
      `${where}.cluster refers to cluster ${String(cluster)}, which is not in "clusters".`,
    );
  }
  return levelsFromFinest(cluster as number, levelCount, parentOf);
}

/** The cluster ids at each level (broadest first) found by walking up from a finest-level cluster. */
function levelsFromFinest(
  finest: number,
  levelCount: number,
  parentOf: Map<number, number | null>,
): number[] {
  const levels = new Array<number>(levelCount).fill(-1);
  let id: number | null | undefined = finest;
  for (let l = levelCount - 1; l >= 0 && id !== null && id !== undefined && id !== -1; l--) {
    levels[l] = id;
    id = parentOf.get(id);
  }
  return levels;
}

function readPaper(doc: Record<string, unknown>, where: string): Paper {
  const paper: Paper = {
    id: doc.id as string,
    title: doc.title as string,
    abstract: typeof doc.abstract === 'string' ? doc.abstract : '',
  };
  if (doc.authors !== undefined) {
    if (!isStringArray(doc.authors))
      throw invalid('bundle-doc', `${where}.authors must be a list of names.`);
    paper.authors = doc.authors;
  }
  if (doc.year !== undefined) {
    if (!Number.isInteger(doc.year))
      throw invalid('bundle-doc', `${where}.year must be a whole number.`);
    paper.year = doc.year as number;
  }
  if (doc.month !== undefined) {
    if (!Number.isInteger(doc.month) || (doc.month as number) < 1 || (doc.month as number) > 12)
      throw invalid('bundle-doc', `${where}.month must be a whole number from 1 to 12.`);
    paper.month = doc.month as number;
  }
  if (doc.url !== undefined) {
    if (typeof doc.url !== 'string') throw invalid('bundle-doc', `${where}.url must be text.`);
    paper.url = doc.url;
  }
  if (doc.categories !== undefined) {
    if (!isStringArray(doc.categories)) {
      throw invalid('bundle-doc', `${where}.categories must be a list of text.`);
    }
    paper.categories = doc.categories;
  }
  if (doc.note !== undefined) {
    if (typeof doc.note !== 'string') throw invalid('bundle-doc', `${where}.note must be text.`);
    paper.note = doc.note;
  }
  if (doc.source !== undefined) {
    if (typeof doc.source !== 'string')
      throw invalid('bundle-doc', `${where}.source must be text.`);
    paper.source = doc.source;
  }
  return paper;
}

function readClusters(value: unknown): ClusterNode[] {
  if (!Array.isArray(value))
    throw invalid('bundle-clusters', 'The map file has no "clusters" list.');
  const clusters = value.map((c: unknown, i): ClusterNode => {
    const where = `clusters[${i}]`;
    if (
      !isRecord(c) ||
      !Number.isInteger(c.id) ||
      !Number.isInteger(c.level) ||
      (c.level as number) < 0 ||
      !Number.isInteger(c.size) ||
      !(c.parent === null || Number.isInteger(c.parent)) ||
      typeof c.label !== 'string' ||
      !isStringArray(c.keywords) ||
      !Array.isArray(c.centroid) ||
      c.centroid.length !== 2 ||
      !c.centroid.every(isFiniteNumber)
    ) {
      throw invalid(
        'bundle-clusters',
        `${where} needs integer "id", "level", "size", "parent" (or null), text "label", a "keywords" list and a two-number "centroid".`,
      );
    }
    return {
      id: c.id as number,
      level: c.level as number,
      parent: c.parent as number | null,
      size: c.size as number,
      label: c.label,
      keywords: c.keywords,
      centroid: [c.centroid[0] as number, c.centroid[1] as number],
    };
  });
  const byId = new Map<number, ClusterNode>();
  for (const c of clusters) {
    if (byId.has(c.id)) throw invalid('bundle-clusters', `Cluster id ${c.id} appears twice.`);
    byId.set(c.id, c);
  }
  for (const c of clusters) {
    const parent = c.parent === null ? undefined : byId.get(c.parent);
    const consistent = c.level === 0 ? c.parent === null : parent?.level === c.level - 1;
    if (!consistent) {
      throw invalid(
        'bundle-clusters',
        `Cluster ${c.id} (level ${c.level}) needs a parent one level up${c.level === 0 ? ' — level 0 clusters have parent null' : ''}.`,
      );
    }
  }
  return clusters;
}

const EMBEDDER_KINDS = ['neural', 'lexical'];
const EMBEDDER_DEVICES = ['webgpu', 'wasm', 'node', 'cpu'];

function readEmbedder(value: unknown): EmbedderInfo {
  if (
    !isRecord(value) ||
    !EMBEDDER_KINDS.includes(value.kind as string) ||
    typeof value.model !== 'string' ||
    !EMBEDDER_DEVICES.includes(value.device as string) ||
    !Number.isInteger(value.dim) ||
    (value.dtype !== undefined && !EMBED_DTYPES.includes(value.dtype as EmbedDtype))
  ) {
    throw invalid(
      'bundle-embedder',
      `The map file's "embedder" needs "kind" (${EMBEDDER_KINDS.join(' or ')}), "model", "device" (${EMBEDDER_DEVICES.join(', ')}) and an integer "dim".`,
    );
  }
  const embedder: EmbedderInfo = {
    kind: value.kind as EmbedderInfo['kind'],
    model: value.model,
    device: value.device as EmbedderInfo['device'],
    dim: value.dim as number,
  };
  if (value.dtype !== undefined) embedder.dtype = value.dtype as EmbedderInfo['dtype'];
  return embedder;
}

const QUALITY_KEYS = ['trustworthiness', 'k', 'clusterCount', 'noiseShare', 'silhouette'] as const;

function readQuality(value: unknown): MapQuality {
  if (!isRecord(value) || !QUALITY_KEYS.every((key) => isFiniteNumber(value[key]))) {
    throw invalid(
      'bundle-quality',
      `The map file's "quality" needs the numbers ${QUALITY_KEYS.map((k) => `"${k}"`).join(', ')}.`,
    );
  }
  return Object.fromEntries(QUALITY_KEYS.map((key) => [key, value[key]])) as unknown as MapQuality;
}

function readVectors(value: unknown, n: number): { data: Float32Array; dim: number } {
  if (!isRecord(value) || !Number.isInteger(value.dim) || typeof value.base64 !== 'string') {
    throw invalid(
      'bundle-vectors',
      'The map file\'s "vectors" needs an integer "dim" and "base64" text.',
    );
  }
  const dim = value.dim as number;
  let bytes: Uint8Array;
  try {
    bytes = base64ToBytes(value.base64);
  } catch (cause) {
    throw invalid('bundle-vectors', 'The map file\'s "vectors.base64" is not valid base64.', cause);
  }
  if (dim <= 0 || bytes.length !== n * dim * 4) {
    throw invalid(
      'bundle-vectors',
      `The map file's vectors hold ${bytes.length} bytes, but ${n} papers × ${dim} dimensions × 4 bytes = ${n * dim * 4}.`,
    );
  }
  return { data: bytesToFloat32(bytes), dim };
}

function readLexicalModel(value: unknown): LexicalModel {
  if (
    !isRecord(value) ||
    !Number.isInteger(value.dim) ||
    (value.dim as number) < 1 ||
    !isStringArray(value.terms) ||
    typeof value.idf !== 'string' ||
    typeof value.projection !== 'string'
  ) {
    throw invalid(
      'bundle-lexical-model',
      'The map file\'s "lexicalModel" needs an integer "dim", a "terms" list and base64 "idf" and "projection".',
    );
  }
  const dim = value.dim as number;
  const terms = value.terms;
  let idf: Float32Array;
  let projection: Float32Array;
  try {
    idf = bytesToFloat32(base64ToBytes(value.idf));
    projection = bytesToFloat32(base64ToBytes(value.projection));
  } catch (cause) {
    throw invalid(
      'bundle-lexical-model',
      "The map file's lexical model is not valid base64.",
      cause,
    );
  }
  const vocabulary = new Map(terms.map((term, column) => [term, column]));
  if (
    vocabulary.size !== terms.length ||
    idf.length !== terms.length ||
    projection.length !== terms.length * dim
  ) {
    throw invalid(
      'bundle-lexical-model',
      `The map file's lexical model does not fit together: ${terms.length} distinct terms need as many idf values (there are ${idf.length}) and ${terms.length} × ${dim} projection values (there are ${projection.length}).`,
    );
  }
  return { vocabulary, idf, projection, dim };
}

function invalid(code: string, message: string, cause?: unknown): AtlasError {
  return new AtlasError('parse', code, message, {
    hint: 'The map file is damaged or was not made by Abstract Atlas; save it again with “Download map”.',
    ...(cause === undefined ? {} : { cause }),
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function sameNumbers(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_LOOKUP = (() => {
  const table = new Int16Array(128).fill(-1);
  for (let i = 0; i < BASE64_ALPHABET.length; i++) table[BASE64_ALPHABET.charCodeAt(i)] = i;
  return table;
})();

/** Base64 of a float32 array's bytes in little-endian order, whatever the platform's byte order. */
export function float32ToBase64(values: Float32Array): string {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  const parts: string[] = [];
  const chunk = 3 * 4096;
  for (let start = 0; start < bytes.length; start += chunk) {
    parts.push(encodeBase64Chunk(bytes, start, Math.min(bytes.length, start + chunk)));
  }
  return parts.join('');
}

function encodeBase64Chunk(bytes: Uint8Array, start: number, end: number): string {
  let out = '';
  for (let i = start; i < end; i += 3) {
    const b0 = bytes[i]!;
    const b1 = i + 1 < end ? bytes[i + 1]! : 0;
    const b2 = i + 2 < end ? bytes[i + 2]! : 0;
    out += BASE64_ALPHABET[b0 >> 2]! + BASE64_ALPHABET[((b0 & 3) << 4) | (b1 >> 4)]!;
    out += i + 1 < end ? BASE64_ALPHABET[((b1 & 15) << 2) | (b2 >> 6)]! : '=';
    out += i + 2 < end ? BASE64_ALPHABET[b2 & 63]! : '=';
  }
  return out;
}

function base64ToBytes(text: string): Uint8Array {
  const clean = /\s/.test(text) ? text.replace(/\s+/g, '') : text;
  if (clean.length % 4 !== 0) throw new Error('base64 length is not a multiple of 4');
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  const bytes = new Uint8Array((clean.length / 4) * 3 - padding);
  const sextet = (i: number): number => {
    const code = clean.charCodeAt(i);
    if (code === 61 && i >= clean.length - padding) return 0;
    const value = code < 128 ? BASE64_LOOKUP[code]! : -1;
    if (value < 0) throw new Error(`invalid base64 character at ${i}`);
    return value;
  };
  let o = 0;
  for (let i = 0; i < clean.length; i += 4) {
    const triple = (sextet(i) << 18) | (sextet(i + 1) << 12) | (sextet(i + 2) << 6) | sextet(i + 3);
    if (o < bytes.length) bytes[o++] = (triple >> 16) & 255;
    if (o < bytes.length) bytes[o++] = (triple >> 8) & 255;
    if (o < bytes.length) bytes[o++] = triple & 255;
  }
  return bytes;
}

function bytesToFloat32(bytes: Uint8Array): Float32Array {
  const values = new Float32Array(bytes.length / 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(i * 4, true);
  return values;
}
