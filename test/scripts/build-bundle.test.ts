import { describe, expect, it } from 'vitest';
import { parseBundle } from '../../src/pipeline/bundle.ts';
import { buildBundledMap } from '../../scripts/build-bundle.ts';

describe('the bundled corpus map made at build time', () => {
  it('is byte-identical for the same corpus and seed, and reopens as the same map', async () => {
    const first = await buildBundledMap();
    const second = await buildBundledMap();
    expect(second.json).toBe(first.json);
    const reopened = parseBundle(first.json);
    expect(reopened.papers).toHaveLength(172);
    expect(Array.from(reopened.positions)).toEqual(Array.from(first.map.positions));
    expect(first.map.quality.clusterCount).toBeGreaterThanOrEqual(4);
    expect(first.map.quality.clusterCount).toBeLessThanOrEqual(12);
  });
});
