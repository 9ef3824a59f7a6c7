import { describe, expect, it } from 'vitest';
import { mapBuffers } from '../../src/pipeline/atlas-map.ts';
import { syntheticMap } from '../../src/view/synthetic/synthetic-map.ts';

describe('mapBuffers', () => {
  it('lists every typed array a map moves between threads, vectors where kept', () => {
    const map = syntheticMap({ count: 50, seed: 2, vectorDim: 4 });
    const buffers = mapBuffers(map);
    expect(buffers).toContain(map.positions.buffer);
    for (const level of map.clusterLevels) expect(buffers).toContain(level.buffer);
    expect(buffers).toContain(map.vectors!.data.buffer);
    expect(buffers).toHaveLength(map.clusterLevels.length + 2);
    const { vectors: _vectors, ...withoutVectors } = map;
    expect(mapBuffers(withoutVectors)).toHaveLength(map.clusterLevels.length + 1);
  });
});
