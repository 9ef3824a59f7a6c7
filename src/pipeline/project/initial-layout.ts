import { rowCount } from './vectors.ts';

/** UMAP's initial layouts span [−10, 10]² (umap-js's random init; Python UMAP's scaled spectral or PCA init). */
const HALF_WIDTH = 10;
/** Python UMAP's `noisy_scale_coords` adds this much Gaussian noise, so no two points start coincident. */
const NOISE = 0.0001;
const POWER_ITERATIONS = 20;
/** The axes are found from at most this many rows (a seeded sample); all rows are then projected. */
const AXIS_SAMPLE = 4096;
const MIN_SPREAD = 1e-9;

/** umap-js's initial layout: every coordinate uniform in [−10, 10]. */
export function randomLayout(n: number, random: () => number): Float32Array {
  const positions = new Float32Array(n * 2);
  for (let i = 0; i < positions.length; i++) positions[i] = random() * 2 * HALF_WIDTH - HALF_WIDTH;
  return positions;
}

/**
 * Python UMAP's `init="pca"`: the unit-length rows projected on their first two principal axes, scaled
 * so the largest coordinate is 10, plus a little noise. Unlike a random start, it places related
 * clusters near each other from the outset, so the layout's global arrangement means something. The
 * axes come from seeded subspace (power) iteration on the centred rows of a seeded sample of at most
 * 4,096 rows, which never forms the dim × dim covariance matrix, so it costs little even at 100,000
 * rows; falls back to the random layout when the rows have no spread.
 */
export function pcaLayout(vectors: Float32Array, dim: number, random: () => number): Float32Array {
  const n = rowCount(vectors, dim);
  const inverseNorms = new Float64Array(n);
  const mean = new Float64Array(dim);
  for (let row = 0; row < n; row++) {
    let squared = 0;
    for (let d = 0; d < dim; d++) squared += vectors[row * dim + d]! ** 2;
    inverseNorms[row] = squared > 0 ? 1 / Math.sqrt(squared) : 0;
    for (let d = 0; d < dim; d++) mean[d]! += (vectors[row * dim + d]! * inverseNorms[row]!) / n;
  }

  // Two axes, iterated as A ← orthonormalise(Xcᵀ Xc A), with Xc the centred unit rows of the sample.
  const sample = sampleRows(n, Math.min(n, AXIS_SAMPLE), random);
  const axes = [new Float64Array(dim), new Float64Array(dim)] as const;
  for (const axis of axes) for (let d = 0; d < dim; d++) axis[d] = random() - 0.5;
  orthonormalise(axes[0], axes[1]);
  const sampleScores = [new Float64Array(sample.length), new Float64Array(sample.length)] as const;
  for (let iteration = 0; iteration < POWER_ITERATIONS; iteration++) {
    for (let c = 0; c < 2; c++) {
      project(vectors, dim, inverseNorms, mean, sample, axes[c]!, sampleScores[c]!);
      backProject(vectors, dim, inverseNorms, mean, sample, sampleScores[c]!, axes[c]!);
    }
    orthonormalise(axes[0], axes[1]);
  }
  const everyRow = Int32Array.from({ length: n }, (_, row) => row);
  const scores = [new Float64Array(n), new Float64Array(n)] as const;
  for (let c = 0; c < 2; c++)
    project(vectors, dim, inverseNorms, mean, everyRow, axes[c]!, scores[c]!);

  let largest = 0;
  for (const score of scores)
    for (const value of score) largest = Math.max(largest, Math.abs(value));
  // Unit rows' scores lie in [−2, 2]; below this they are rounding noise of identical rows.
  if (!(largest > MIN_SPREAD) || !Number.isFinite(largest)) return randomLayout(n, random);
  const positions = new Float32Array(n * 2);
  const gaussian = (): number =>
    Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  for (let row = 0; row < n; row++) {
    for (let c = 0; c < 2; c++) {
      positions[2 * row + c] = (scores[c]![row]! / largest) * HALF_WIDTH + NOISE * gaussian();
    }
  }
  return positions;
}

/** `count` distinct rows chosen with the seeded generator, in ascending order (for memory locality). */
function sampleRows(n: number, count: number, random: () => number): Int32Array {
  const rows = Int32Array.from({ length: n }, (_, row) => row);
  if (count === n) return rows;
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (n - i));
    const swap = rows[i]!;
    rows[i] = rows[j]!;
    rows[j] = swap;
  }
  return rows.slice(0, count).sort();
}

/** scores[i] = (unit row rows[i] − mean) · axis. */
function project(
  vectors: Float32Array,
  dim: number,
  inverseNorms: Float64Array,
  mean: Float64Array,
  rows: Int32Array,
  axis: Float64Array,
  scores: Float64Array,
): void {
  let meanDot = 0;
  for (let d = 0; d < dim; d++) meanDot += mean[d]! * axis[d]!;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    let dot = 0;
    for (let d = 0; d < dim; d++) dot += vectors[row * dim + d]! * axis[d]!;
    scores[i] = dot * inverseNorms[row]! - meanDot;
  }
}

/** axis = Σᵢ scores[i] · (unit row rows[i] − mean). */
function backProject(
  vectors: Float32Array,
  dim: number,
  inverseNorms: Float64Array,
  mean: Float64Array,
  rows: Int32Array,
  scores: Float64Array,
  axis: Float64Array,
): void {
  axis.fill(0);
  let scoreSum = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const weight = scores[i]! * inverseNorms[row]!;
    scoreSum += scores[i]!;
    for (let d = 0; d < dim; d++) axis[d]! += weight * vectors[row * dim + d]!;
  }
  for (let d = 0; d < dim; d++) axis[d]! -= scoreSum * mean[d]!;
}

/** Gram–Schmidt on two vectors in place; a vector that vanishes stays zero. */
function orthonormalise(first: Float64Array, second: Float64Array): void {
  normalise(first);
  let overlap = 0;
  for (let d = 0; d < first.length; d++) overlap += first[d]! * second[d]!;
  for (let d = 0; d < first.length; d++) second[d]! -= overlap * first[d]!;
  normalise(second);
}

function normalise(vector: Float64Array): void {
  let squared = 0;
  for (const value of vector) squared += value * value;
  if (squared === 0) return;
  const scale = 1 / Math.sqrt(squared);
  for (let d = 0; d < vector.length; d++) vector[d]! *= scale;
}
