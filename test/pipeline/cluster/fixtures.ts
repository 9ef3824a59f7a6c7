import { createRandom } from '../../../src/lib/random.ts';

/** A standard normal draw (Box–Muller) from a seeded uniform source. */
export function gaussian(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export interface Blob {
  centre: [number, number];
  spread: number;
  count: number;
}

export interface LabelledPoints {
  positions: Float32Array;
  /** The blob each point was drawn from, -1 for uniform background noise. */
  truth: Int32Array;
}

/** Gaussian blobs plus, optionally, points scattered uniformly over `noiseBox`. */
export function makeBlobs(
  blobs: readonly Blob[],
  seed: number,
  noise: { count: number; box: [number, number, number, number] } = { count: 0, box: [0, 0, 0, 0] },
): LabelledPoints {
  const random = createRandom(seed);
  const total = blobs.reduce((sum, blob) => sum + blob.count, 0) + noise.count;
  const positions = new Float32Array(total * 2);
  const truth = new Int32Array(total);
  let point = 0;
  blobs.forEach((blob, index) => {
    for (let i = 0; i < blob.count; i++, point++) {
      positions[2 * point] = blob.centre[0] + blob.spread * gaussian(random);
      positions[2 * point + 1] = blob.centre[1] + blob.spread * gaussian(random);
      truth[point] = index;
    }
  });
  const [x0, y0, x1, y1] = noise.box;
  for (let i = 0; i < noise.count; i++, point++) {
    positions[2 * point] = x0 + (x1 - x0) * random();
    positions[2 * point + 1] = y0 + (y1 - y0) * random();
    truth[point] = -1;
  }
  return { positions, truth };
}

/** Blobs of blobs: `groups` far-apart groups, each of `perGroup` nearby blobs. */
export function makeNestedBlobs(
  groups: number,
  perGroup: number,
  pointsPerBlob: number,
  seed: number,
): LabelledPoints & { group: Int32Array } {
  const blobs: Blob[] = [];
  for (let g = 0; g < groups; g++) {
    const angle = (2 * Math.PI * g) / groups;
    const gx = 60 * Math.cos(angle);
    const gy = 60 * Math.sin(angle);
    for (let b = 0; b < perGroup; b++) {
      const inner = (2 * Math.PI * b) / perGroup + g;
      blobs.push({
        centre: [gx + 8 * Math.cos(inner), gy + 8 * Math.sin(inner)],
        spread: 1,
        count: pointsPerBlob,
      });
    }
  }
  const data = makeBlobs(blobs, seed);
  const group = data.truth.map((blob) => Math.floor(blob / perGroup));
  return { ...data, group };
}
