import { describe, expect, it } from 'vitest';
import { nearestToCentroid, topicSummary } from '../../../src/view/model/topics.ts';
import { syntheticMap } from '../../../src/view/synthetic/synthetic-map.ts';

describe('topics', () => {
  it('lists the members nearest the centroid, by cosine in the embedding', () => {
    // Members 0..3; the centroid of these unit-ish rows points along (1, 1, 0).
    const rows = Float32Array.from([1, 0, 0, 0, 1, 0, 0.7, 0.7, 0, 0.6, 0.8, 0.1, 9, 9, 9]);
    expect(nearestToCentroid(rows, 3, Int32Array.from([0, 1, 2, 3]), 2, 'cosine')).toEqual([2, 3]);
  });

  it('lists the members nearest the centroid in the layout where vectors are missing', () => {
    const positions = Float32Array.from([0, 0, 10, 0, 5, 1, 4, -1]);
    expect(nearestToCentroid(positions, 2, Int32Array.from([0, 1, 2, 3]), 3, 'distance')).toEqual([
      2, 3, 0,
    ]);
  });

  it('summarises a cluster: its members, size and five most central papers', () => {
    const map = syntheticMap({ count: 300, seed: 4, vectorDim: 8 });
    const cluster = map.clusters.find((c) => c.level === map.clusterLevels.length - 1)!;
    const topic = topicSummary(map, cluster.id)!;
    const labels = map.clusterLevels[cluster.level]!;
    expect(topic.members.length).toBe(labels.filter((id) => id === cluster.id).length);
    expect([...topic.members].every((i) => labels[i] === cluster.id)).toBe(true);
    expect(topic.central).toHaveLength(Math.min(5, topic.members.length));
    expect(topic.space).toBe('embedding');
    expect(topicSummary(map, -5)).toBeNull();
  });

  it('measures centrality in the layout on a map without vectors', () => {
    const map = syntheticMap({ count: 200, seed: 4, vectorDim: 0 });
    const topic = topicSummary(map, map.clusters[0]!.id)!;
    expect(topic.space).toBe('layout');
    expect(topic.central).toEqual(
      nearestToCentroid(map.positions, 2, topic.members, 5, 'distance'),
    );
  });
});
