/**
 * Dot products of `dim`-long rows stored row-major in one Float32Array. Four accumulators break the
 * dependency chain of the sum so the CPU can overlap the multiply-adds.
 */
export function dotProduct(
  data: Float32Array,
  offsetA: number,
  offsetB: number,
  dim: number,
): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let d = 0;
  for (; d + 3 < dim; d += 4) {
    s0 += data[offsetA + d]! * data[offsetB + d]!;
    s1 += data[offsetA + d + 1]! * data[offsetB + d + 1]!;
    s2 += data[offsetA + d + 2]! * data[offsetB + d + 2]!;
    s3 += data[offsetA + d + 3]! * data[offsetB + d + 3]!;
  }
  for (; d < dim; d++) s0 += data[offsetA + d]! * data[offsetB + d]!;
  return s0 + s1 + s2 + s3;
}

/**
 * All dot products between the `size` rows starting at `rowStart` and the `size` rows starting at
 * `columnStart`, into `out[r × size + c]`. `size` must be a multiple of 4. A 4 × 2 register block reads
 * each loaded value several times, which more than doubles throughput over one dot product at a time.
 */
export function blockDotProducts(
  data: Float32Array,
  dim: number,
  rowStart: number,
  columnStart: number,
  size: number,
  out: Float64Array,
): void {
  for (let r = 0; r < size; r += 4) {
    const a0 = (rowStart + r) * dim;
    const a1 = a0 + dim;
    const a2 = a1 + dim;
    const a3 = a2 + dim;
    for (let c = 0; c < size; c += 2) {
      const b0 = (columnStart + c) * dim;
      const b1 = b0 + dim;
      let s00 = 0;
      let s10 = 0;
      let s20 = 0;
      let s30 = 0;
      let s01 = 0;
      let s11 = 0;
      let s21 = 0;
      let s31 = 0;
      for (let d = 0; d < dim; d++) {
        const v0 = data[b0 + d]!;
        const v1 = data[b1 + d]!;
        const p0 = data[a0 + d]!;
        const p1 = data[a1 + d]!;
        const p2 = data[a2 + d]!;
        const p3 = data[a3 + d]!;
        s00 += p0 * v0;
        s10 += p1 * v0;
        s20 += p2 * v0;
        s30 += p3 * v0;
        s01 += p0 * v1;
        s11 += p1 * v1;
        s21 += p2 * v1;
        s31 += p3 * v1;
      }
      const o = r * size + c;
      out[o] = s00;
      out[o + 1] = s01;
      out[o + size] = s10;
      out[o + size + 1] = s11;
      out[o + 2 * size] = s20;
      out[o + 2 * size + 1] = s21;
      out[o + 3 * size] = s30;
      out[o + 3 * size + 1] = s31;
    }
  }
}
