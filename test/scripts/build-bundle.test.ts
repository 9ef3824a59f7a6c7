import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBundle } from '../../src/pipeline/bundle.ts';
import { DEFAULT_SEED } from '../../src/pipeline/map.ts';
import {
  BUNDLED_CORPUS_DIR,
  buildBundledMap,
  bundleEmbedderSignature,
} from '../../scripts/build-bundle.ts';
import { realModelFile } from '../../scripts/real-model.ts';

describe('the bundled corpus map made at build time', () => {
  it('is byte-identical for the same corpus and seed, and reopens as the same map', async () => {
    const options = { embedder: 'lexical' } as const;
    const first = await buildBundledMap(BUNDLED_CORPUS_DIR, DEFAULT_SEED, options);
    const second = await buildBundledMap(BUNDLED_CORPUS_DIR, DEFAULT_SEED, options);
    expect(second.json).toBe(first.json);
    const reopened = parseBundle(first.json);
    expect(reopened.papers).toHaveLength(172);
    expect(reopened.embedder.kind).toBe('lexical');
    expect(Array.from(reopened.positions)).toEqual(Array.from(first.map.positions));
    expect(first.map.quality.clusterCount).toBeGreaterThanOrEqual(4);
    expect(first.map.quality.clusterCount).toBeLessThanOrEqual(12);
    // It carries what growing it needs: the vectors and the fitted lexical model.
    expect(reopened.vectors?.data).toEqual(first.map.vectors?.data);
    expect(reopened.lexicalModel?.vocabulary).toEqual(first.map.lexicalModel?.vocabulary);
    expect(reopened.lexicalModel?.projection).toEqual(first.map.lexicalModel?.projection);
  });

  it('names its embedder: the q8 weights by checksum when they are in models/, else lexical', () => {
    const weights = realModelFile('q8');
    const expected = existsSync(weights)
      ? `neural:Xenova/all-MiniLM-L6-v2:q8:${createHash('sha256').update(readFileSync(weights)).digest('hex')}`
      : 'lexical';
    expect(bundleEmbedderSignature()).toBe(expected);
  });
});
