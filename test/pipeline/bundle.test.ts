import { describe, expect, it } from 'vitest';
import { AtlasError } from '../../src/lib/errors.ts';
import type { AtlasMap } from '../../src/pipeline/atlas-map.ts';
import { embedLexical, fitLexicalEmbedding } from '../../src/pipeline/embed/lexical.ts';
import {
  bundleFileName,
  bundleToJson,
  float32ToBase64,
  isBundle,
  isBundleBytes,
  parseBundle,
  toBundle,
} from '../../src/pipeline/bundle.ts';
import { syntheticMap } from '../../src/view/synthetic/synthetic-map.ts';

function expectParseError(input: unknown, code: string): AtlasError {
  try {
    parseBundle(typeof input === 'string' ? input : JSON.stringify(input));
  } catch (error) {
    expect(error).toBeInstanceOf(AtlasError);
    const atlasError = error as AtlasError;
    expect(atlasError.stage).toBe('parse');
    expect(atlasError.code).toBe(code);
    expect(atlasError.hint).toBeTruthy();
    return atlasError;
  }
  throw new Error(`expected a parse error ${code}`);
}

describe('bundle', () => {
  const map = syntheticMap({ count: 300, seed: 3, vectorDim: 8 });

  it('round-trips a map with identical positions, clusters, papers and vectors', () => {
    const text = bundleToJson(map, { includeVectors: true });
    const back = parseBundle(text);
    expect(back.positions).toEqual(map.positions);
    expect(Buffer.from(back.positions.buffer).equals(Buffer.from(map.positions.buffer))).toBe(true);
    expect(back.clusterLevels).toEqual(map.clusterLevels);
    expect(back.clusters).toEqual(map.clusters);
    expect(back.papers).toEqual(map.papers);
    expect(back.quality).toEqual(map.quality);
    expect(back.embedder).toEqual(map.embedder);
    expect(back.name).toBe(map.name);
    expect(back.seed).toBe(map.seed);
    expect(back.vectors?.dim).toBe(8);
    expect(back.vectors?.data).toEqual(map.vectors?.data);
  });

  it('leaves vectors out unless asked, and writes the documented shape', () => {
    const bundle = toBundle(map);
    expect(bundle.vectors).toBeUndefined();
    expect(parseBundle(JSON.stringify(bundle)).vectors).toBeUndefined();
    expect(bundle.format).toBe('abstract-atlas');
    expect(bundle.version).toBe(2);
    expect(bundle.lexicalModel).toBeUndefined();
    expect(bundle.grownFrom).toBeUndefined();
    const doc = bundle.docs[0]!;
    expect(Object.keys(doc)).toEqual(
      expect.arrayContaining([
        'id',
        'title',
        'x',
        'y',
        'cluster',
        'abstract',
        'authors',
        'year',
        'url',
      ]),
    );
    expect(doc.cluster).toBe(map.clusterLevels[1]![0]);
    expect(doc.levels).toBeUndefined();
  });

  it('keeps broader clusters of papers that are noise at the finest level', () => {
    const levels = [Int32Array.from([0, 0, 0, 1]), Int32Array.from([10, -1, 11, -1])];
    const small: AtlasMap = {
      ...map,
      papers: map.papers.slice(0, 4),
      positions: map.positions.slice(0, 8),
      clusterLevels: levels,
      clusters: [
        { id: 0, level: 0, parent: null, size: 3, label: 'a', keywords: [], centroid: [0, 0] },
        { id: 1, level: 0, parent: null, size: 1, label: 'b', keywords: [], centroid: [1, 1] },
        { id: 10, level: 1, parent: 0, size: 1, label: 'a1', keywords: ['x'], centroid: [0, 0] },
        { id: 11, level: 1, parent: 0, size: 1, label: 'a2', keywords: ['y'], centroid: [0, 1] },
      ],
    };
    delete small.vectors;
    const bundle = toBundle(small);
    expect(bundle.docs.map((d) => d.levels)).toEqual([undefined, [0, -1], undefined, [1, -1]]);
    expect(parseBundle(JSON.stringify(bundle)).clusterLevels).toEqual(levels);
  });

  it('tells bundles apart from other files', () => {
    expect(isBundle(bundleToJson(map))).toBe(true);
    expect(isBundle(toBundle(map))).toBe(true);
    expect(isBundle('id,title\n1,hello')).toBe(false);
    expect(isBundle('{"format": "something-else"}')).toBe(false);
    expect(isBundle({ format: 'other' })).toBe(false);
    expect(isBundle(null)).toBe(false);
    const encode = (text: string) => new TextEncoder().encode(text);
    expect(isBundleBytes(encode(bundleToJson(map)))).toBe(true);
    expect(isBundleBytes(encode('title,abstract\n"abstract-atlas",x'))).toBe(false);
    expect(isBundleBytes(encode(' {"note": "abstract-atlas"}'))).toBe(false);
  });

  it('rejects bad bundles with parse errors that say what is wrong', () => {
    const good = toBundle(map, { includeVectors: true });
    expectParseError('{ not json', 'bundle-json');
    expectParseError({ ...good, format: 'nope' }, 'bundle-format');
    const version = expectParseError({ ...good, version: 7 }, 'bundle-version');
    expect(version.hint).toContain('Supported versions: 1, 2');
    expectParseError({ ...good, docs: 'many' }, 'bundle-docs');
    expectParseError({ ...good, docs: [{ ...good.docs[0], x: 'left' }] }, 'bundle-doc');
    expectParseError({ ...good, docs: [good.docs[0], good.docs[0]] }, 'bundle-doc');
    expectParseError({ ...good, docs: [{ ...good.docs[0], cluster: 999 }] }, 'bundle-doc');
    expectParseError({ ...good, docs: [{ ...good.docs[0], year: 'recent' }] }, 'bundle-doc');
    expectParseError({ ...good, docs: [{ ...good.docs[0], month: 13 }] }, 'bundle-doc');
    expectParseError(
      { ...good, clusters: [{ ...good.clusters[0], parent: 5 }] },
      'bundle-clusters',
    );
    expectParseError(
      { ...good, clusters: [good.clusters[0], good.clusters[0]] },
      'bundle-clusters',
    );
    expectParseError({ ...good, embedder: { ...good.embedder, device: 'tpu' } }, 'bundle-embedder');
    expectParseError({ ...good, quality: { k: 15 } }, 'bundle-quality');
    expectParseError({ ...good, vectors: { dim: 8, base64: 'AAAA' } }, 'bundle-vectors');
    expectParseError({ ...good, vectors: { dim: 8, base64: '!!!!' } }, 'bundle-vectors');
  });

  it("keeps a lexical map's fitted model and where its added papers begin", () => {
    const texts = map.papers.map((paper) => `${paper.title}. ${paper.abstract}`);
    const { model } = fitLexicalEmbedding(texts, { dims: 8 });
    const grown: AtlasMap = { ...map, lexicalModel: model, grownFrom: 290 };
    const bundle = toBundle(grown, { includeVectors: true });
    expect(bundle.lexicalModel?.terms).toHaveLength(model.vocabulary.size);
    const back = parseBundle(JSON.stringify(bundle));
    expect(back.grownFrom).toBe(290);
    expect(back.lexicalModel?.vocabulary).toEqual(model.vocabulary);
    expect(back.lexicalModel?.dim).toBe(model.dim);
    expect(Buffer.from(back.lexicalModel!.idf.buffer).equals(Buffer.from(model.idf.buffer))).toBe(
      true,
    );
    // The reopened model embeds new text to the very same vector.
    const query = ['a new paper on graph neural networks for molecules'];
    expect(embedLexical(back.lexicalModel!, query)).toEqual(embedLexical(model, query));
    // Without vectors there is nothing to grow with, so the model stays out too.
    expect(toBundle(grown).lexicalModel).toBeUndefined();
  });

  it('opens version 1 bundles, and refuses a lexical model that does not fit together', () => {
    const bundle = toBundle(map, { includeVectors: true });
    const old = parseBundle(JSON.stringify({ ...bundle, version: 1 }));
    expect(old.positions).toEqual(map.positions);
    expect(old.lexicalModel).toBeUndefined();
    const lexicalModel = {
      dim: 2,
      terms: ['graph', 'neural'],
      idf: float32ToBase64(Float32Array.from([1, 2])),
      projection: float32ToBase64(Float32Array.from([1, 0, 0])),
    };
    expectParseError({ ...bundle, lexicalModel }, 'bundle-lexical-model');
    expectParseError(
      { ...bundle, lexicalModel: { ...lexicalModel, terms: 'graph' } },
      'bundle-lexical-model',
    );
    expectParseError({ ...bundle, grownFrom: map.papers.length + 1 }, 'bundle-grown-from');
  });

  it('encodes vectors as little-endian float32 base64', () => {
    expect(float32ToBase64(Float32Array.from([1]))).toBe(
      Buffer.from([0, 0, 0x80, 0x3f]).toString('base64'),
    );
    const values = Float32Array.from([0.1, -2.5, 3e-20, 7]);
    expect(float32ToBase64(values)).toBe(Buffer.from(values.buffer).toString('base64'));
  });

  it('makes safe file names', () => {
    expect(bundleFileName('My map: físics/2024')).toBe('My-map-fisics-2024.atlas.json');
    expect(bundleFileName('///')).toBe('atlas.atlas.json');
  });
});
