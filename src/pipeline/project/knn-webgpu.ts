/// <reference types="@webgpu/types" />
import { AtlasError, isCancelled, throwIfCancelled } from '../../lib/errors.ts';
import type { RunOptions } from '../types.ts';
import { rateAndEta } from '../../lib/scheduling.ts';
import type { KnnGraph } from './knn.ts';
import { sortRowsByDistance } from './neighbour-heap.ts';
import { checkNeighbourCount, rowCount, writeNormalizedRows } from './vectors.ts';

/** Query rows per workgroup: one invocation per row, each keeping its own top-k list. */
export const WORKGROUP_ROWS = 64;
/** Columns whose unit rows a workgroup shares through workgroup memory at a time. */
const COLUMN_TILE = 32;
/** vec4s of each column held in workgroup memory at a time (32 floats). */
const DIM_CHUNK_VEC4 = 8;
/** The top-k list lives in an invocation's private memory, so k has a compile-time ceiling. */
export const MAX_GPU_K = 64;
/** Multiply-adds per dispatch to aim at: small enough that one dispatch never trips a GPU watchdog. */
const TARGET_WORK_PER_DISPATCH = 2 ** 28;

export interface KnnTilePlan {
  /** vec4s per padded row (the dimension rounded up to a multiple of 4, over 4). */
  strideVec4: number;
  /** Rows stored on the GPU: n rounded up to a whole column tile, padding rows all zero. */
  paddedRows: number;
  /** Query rows per dispatch (a multiple of the workgroup's rows). */
  rowsPerDispatch: number;
  /** First query row of each dispatch. */
  tileStarts: number[];
}

/**
 * How `exactKnnWebGpu` cuts the search: query rows go in dispatches of whole workgroups, each sized so
 * that its rows × all columns cost about `TARGET_WORK_PER_DISPATCH` multiply-adds.
 */
export function planKnnTiles(n: number, dim: number, rowsPerDispatch?: number): KnnTilePlan {
  const strideVec4 = Math.ceil(dim / 4);
  const paddedRows = Math.ceil(n / COLUMN_TILE) * COLUMN_TILE;
  const wanted =
    rowsPerDispatch ??
    Math.floor(TARGET_WORK_PER_DISPATCH / Math.max(1, paddedRows * strideVec4 * 4));
  const workgroups = Math.max(
    1,
    Math.min(Math.ceil(n / WORKGROUP_ROWS), Math.floor(wanted / WORKGROUP_ROWS)),
  );
  const rows = workgroups * WORKGROUP_ROWS;
  const tileStarts: number[] = [];
  for (let start = 0; start < n; start += rows) tileStarts.push(start);
  return { strideVec4, paddedRows, rowsPerDispatch: rows, tileStarts };
}

/**
 * One invocation per query row. Columns are walked in tiles that the workgroup loads together into
 * workgroup memory (every row reads every column, so each column leaves global memory once per
 * workgroup, not once per row); the tile's dot products go straight into the row's sorted top-k list.
 * Columns arrive in ascending index and only a strictly better similarity moves an entry up, so equal
 * similarities keep the lower index first.
 */
const SHADER = /* wgsl */ `
struct Params {
  rowStart: u32,
  n: u32,
  k: u32,
  strideVec4: u32,
  paddedRows: u32,
}

@group(0) @binding(0) var<storage, read> rows: array<vec4<f32>>;
@group(0) @binding(1) var<uniform> params: Params;
@group(0) @binding(2) var<storage, read_write> outSimilarities: array<f32>;
@group(0) @binding(3) var<storage, read_write> outIndices: array<i32>;

const WORKGROUP_ROWS = ${WORKGROUP_ROWS}u;
const COLUMN_TILE = ${COLUMN_TILE}u;
const DIM_CHUNK = ${DIM_CHUNK_VEC4}u;
const MAX_K = ${MAX_GPU_K}u;

var<workgroup> columnTile: array<vec4<f32>, ${COLUMN_TILE * DIM_CHUNK_VEC4}>;

@compute @workgroup_size(${WORKGROUP_ROWS})
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  let localRow = group.x * WORKGROUP_ROWS + lane;
  let row = params.rowStart + localRow;
  let isQuery = row < params.n;
  let k = params.k;
  var bestSimilarity: array<f32, MAX_K>;
  var bestIndex: array<i32, MAX_K>;
  for (var slot = 0u; slot < MAX_K; slot++) {
    bestSimilarity[slot] = -3.0;
    bestIndex[slot] = -1;
  }
  var dots: array<f32, COLUMN_TILE>;
  var rowChunk: array<vec4<f32>, DIM_CHUNK>;
  let rowBase = min(row, params.paddedRows - 1u) * params.strideVec4;

  for (var columnStart = 0u; columnStart < params.paddedRows; columnStart += COLUMN_TILE) {
    for (var c = 0u; c < COLUMN_TILE; c++) { dots[c] = 0.0; }
    for (var chunkStart = 0u; chunkStart < params.strideVec4; chunkStart += DIM_CHUNK) {
      workgroupBarrier();
      for (var e = lane; e < COLUMN_TILE * DIM_CHUNK; e += WORKGROUP_ROWS) {
        let column = columnStart + e / DIM_CHUNK;
        let d = chunkStart + e % DIM_CHUNK;
        var value = vec4<f32>(0.0);
        if (d < params.strideVec4) { value = rows[column * params.strideVec4 + d]; }
        columnTile[e] = value;
      }
      workgroupBarrier();
      for (var d = 0u; d < DIM_CHUNK; d++) {
        var value = vec4<f32>(0.0);
        if (chunkStart + d < params.strideVec4) { value = rows[rowBase + chunkStart + d]; }
        rowChunk[d] = value;
      }
      for (var c = 0u; c < COLUMN_TILE; c++) {
        var sum = 0.0;
        for (var d = 0u; d < DIM_CHUNK; d++) { sum += dot(rowChunk[d], columnTile[c * DIM_CHUNK + d]); }
        dots[c] += sum;
      }
    }
    if (isQuery) {
      for (var c = 0u; c < COLUMN_TILE; c++) {
        let column = columnStart + c;
        let similarity = dots[c];
        if (column >= params.n || column == row || similarity <= bestSimilarity[k - 1u]) { continue; }
        var slot = k - 1u;
        while (slot > 0u && similarity > bestSimilarity[slot - 1u]) {
          bestSimilarity[slot] = bestSimilarity[slot - 1u];
          bestIndex[slot] = bestIndex[slot - 1u];
          slot--;
        }
        bestSimilarity[slot] = similarity;
        bestIndex[slot] = i32(column);
      }
    }
  }
  if (isQuery) {
    let base = localRow * k;
    for (var slot = 0u; slot < k; slot++) {
      outSimilarities[base + slot] = bestSimilarity[slot];
      outIndices[base + slot] = bestIndex[slot];
    }
  }
}
`;

/** Cached so that repeated searches reuse one device per kind; forgotten when that device is lost. */
const devicePromises = new Map<boolean, Promise<GPUDevice | null>>();

/**
 * Whether this adapter computes on the CPU (SwiftShader, WARP, lavapipe): there WebGPU emulates a GPU
 * and the WASM SIMD kernel is many times faster (SwiftShader: about 100× slower than it).
 */
export function isSoftwareAdapter(adapter: GPUAdapter): boolean {
  const info = adapter.info as GPUAdapterInfo | undefined;
  const legacyFallback = (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter;
  if (legacyFallback === true || info?.isFallbackAdapter === true) return true;
  const names = [info?.vendor, info?.architecture, info?.device, info?.description]
    .filter((name): name is string => typeof name === 'string')
    .join(' ')
    .toLowerCase();
  return /swiftshader|llvmpipe|lavapipe|microsoft basic render|warp/.test(names);
}

/**
 * A WebGPU device worth using for the kNN search: null without WebGPU, without an adapter, or when the
 * adapter is software (`allowSoftware` takes it anyway, for tests and when forced). Never throws.
 */
export function webGpuForKnn(allowSoftware = false): Promise<GPUDevice | null> {
  let device = devicePromises.get(allowSoftware);
  if (!device) {
    device = requestKnnDevice(allowSoftware);
    devicePromises.set(allowSoftware, device);
  }
  return device;
}

async function requestKnnDevice(allowSoftware: boolean): Promise<GPUDevice | null> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) return null;
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter || (!allowSoftware && isSoftwareAdapter(adapter))) return null;
    const device = await adapter.requestDevice({
      requiredLimits: {
        maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
        maxBufferSize: adapter.limits.maxBufferSize,
      },
    });
    void device.lost.then(() => devicePromises.delete(allowSoftware));
    return device;
  } catch (error) {
    // No usable device is an answer, not a failure: the caller searches on the CPU instead.
    console.info('WebGPU is unavailable for the neighbour search:', error);
    return null;
  }
}

function webGpuFailed(message: string, cause?: unknown): AtlasError {
  return new AtlasError('project', 'webgpu-failed', message, {
    hint: 'The neighbour search runs on the CPU instead.',
    cause,
  });
}

/**
 * Exact cosine kNN on the GPU: unit rows uploaded once, one dispatch per tile of query rows against all
 * rows, top-k chosen on the GPU and read back per tile. Same graph as `exactKnn` (self excluded,
 * ascending distance 1 − cosine, ties to the lower index), up to float rounding of the similarities.
 * Throws AtlasError('project', 'webgpu-failed') on any device error, so the caller can fall back.
 */
export async function exactKnnWebGpu(
  vectors: Float32Array,
  dim: number,
  k: number,
  options: RunOptions & { device?: GPUDevice; rowsPerDispatch?: number } = {},
): Promise<KnnGraph> {
  const n = rowCount(vectors, dim);
  checkNeighbourCount(k, n);
  if (k > MAX_GPU_K) {
    throw webGpuFailed(
      `The GPU search keeps at most ${MAX_GPU_K} neighbours; ${k} were asked for.`,
    );
  }
  const device = options.device ?? (await webGpuForKnn());
  if (!device) throw webGpuFailed('No WebGPU device is available.');
  const plan = planKnnTiles(n, dim, options.rowsPerDispatch);
  const rowBytes = plan.paddedRows * plan.strideVec4 * 16;
  if (rowBytes > device.limits.maxStorageBufferBindingSize) {
    throw webGpuFailed(
      `The vectors need ${rowBytes} bytes on the GPU; this device binds at most ${device.limits.maxStorageBufferBindingSize}.`,
    );
  }

  let lostReason: GPUDeviceLostInfo | null = null;
  const lost = device.lost.then((info) => {
    lostReason = info;
    throw webGpuFailed(`The GPU device was lost: ${info.message || info.reason}.`, info);
  });
  // Only the race against the read-back below listens to this; a loss after the search is no error.
  lost.catch(() => undefined);
  const buffers: GPUBuffer[] = [];
  const createBuffer = (size: number, usage: GPUBufferUsageFlags): GPUBuffer => {
    const buffer = device.createBuffer({ size, usage });
    buffers.push(buffer);
    return buffer;
  };

  try {
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    const unit = new Float32Array(plan.paddedRows * plan.strideVec4 * 4);
    writeNormalizedRows(vectors, dim, unit, 0, plan.strideVec4 * 4);
    const rowBuffer = createBuffer(
      unit.byteLength,
      GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
    );
    device.queue.writeBuffer(rowBuffer, 0, unit);
    const params = createBuffer(32, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    const outputBytes = plan.rowsPerDispatch * k * 4;
    const similarityOut = createBuffer(
      outputBytes,
      GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC,
    );
    const indexOut = createBuffer(outputBytes, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC);
    const readback = createBuffer(
      2 * outputBytes,
      GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    );
    const module = device.createShaderModule({ code: SHADER });
    const pipeline = device.createComputePipeline({
      layout: 'auto',
      compute: { module, entryPoint: 'main' },
    });
    const bindGroup = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: rowBuffer } },
        { binding: 1, resource: { buffer: params } },
        { binding: 2, resource: { buffer: similarityOut } },
        { binding: 3, resource: { buffer: indexOut } },
      ],
    });
    const invalid = await device.popErrorScope();
    const outOfMemory = await device.popErrorScope();
    const setupError = invalid ?? outOfMemory;
    if (setupError) throw webGpuFailed(`Setting up the GPU search failed: ${setupError.message}`);

    const indices = new Int32Array(n * k);
    const distances = new Float32Array(n * k);
    const startedAt = performance.now();
    for (const [tile, rowStart] of plan.tileStarts.entries()) {
      throwIfCancelled(options.signal);
      const tileRows = Math.min(plan.rowsPerDispatch, n - rowStart);
      device.pushErrorScope('validation');
      device.queue.writeBuffer(
        params,
        0,
        new Uint32Array([rowStart, n, k, plan.strideVec4, plan.paddedRows, 0, 0, 0]),
      );
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(Math.ceil(tileRows / WORKGROUP_ROWS));
      pass.end();
      encoder.copyBufferToBuffer(similarityOut, 0, readback, 0, outputBytes);
      encoder.copyBufferToBuffer(indexOut, 0, readback, outputBytes, outputBytes);
      device.queue.submit([encoder.finish()]);
      const tileError = await device.popErrorScope();
      if (tileError) throw webGpuFailed(`The GPU search failed: ${tileError.message}`);
      await Promise.race([readback.mapAsync(GPUMapMode.READ), lost]);
      const mapped = readback.getMappedRange();
      const similarities = new Float32Array(mapped, 0, tileRows * k);
      indices.set(new Int32Array(mapped, outputBytes, tileRows * k), rowStart * k);
      for (let slot = 0; slot < tileRows * k; slot++) {
        distances[rowStart * k + slot] = Math.fround(Math.max(0, 1 - similarities[slot]!));
      }
      readback.unmap();
      const done = tile + 1;
      options.onProgress?.({
        stage: 'projecting',
        done,
        total: plan.tileStarts.length,
        message: 'Finding nearest neighbours (WebGPU)',
        ...rateAndEta(done, plan.tileStarts.length, startedAt),
      });
    }
    // Every row has at least k other rows, so an unfilled slot means the device computed garbage.
    if (indices.some((index) => index < 0 || index >= n)) {
      throw webGpuFailed('The GPU search returned neighbour indices out of range.');
    }
    sortRowsByDistance(indices, distances, k);
    return { k, indices, distances };
  } catch (error) {
    if (error instanceof AtlasError || isCancelled(error)) throw error;
    const reason = lostReason as GPUDeviceLostInfo | null;
    throw webGpuFailed(
      reason
        ? `The GPU device was lost: ${reason.message}`
        : `The GPU search failed: ${String(error)}`,
      error,
    );
  } finally {
    for (const buffer of buffers) buffer.destroy();
  }
}
