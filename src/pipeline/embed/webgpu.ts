import { isSoftwareAdapter } from '../project/knn-webgpu.ts';

/**
 * The little of WebGPU the embedder touches, typed here so the project needs no WebGPU type package.
 */
export interface GpuDeviceLike {
  destroy(): void;
  readonly lost: Promise<unknown>;
}

interface GpuAdapterLike {
  readonly features: { has(feature: string): boolean };
}

interface NavigatorWithGpu {
  gpu?: { requestAdapter(options?: { powerPreference?: string }): Promise<GpuAdapterLike | null> };
}

export interface GpuSupport {
  available: boolean;
  /** 16-bit float shaders: what fp16 weights need on WebGPU. */
  shaderF16: boolean;
  /**
   * The adapter emulates a GPU on the CPU (SwiftShader, llvmpipe, WARP): there ONNX Runtime's WASM build
   * embeds tens of times faster, so only an explicit `device=webgpu` uses it.
   */
  software?: boolean;
}

/** Whether this browser context (page or worker) offers a WebGPU adapter, and with which features. */
export async function detectWebGpu(): Promise<GpuSupport> {
  const gpu = (globalThis.navigator as NavigatorWithGpu | undefined)?.gpu;
  if (!gpu) return { available: false, shaderF16: false };
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return { available: false, shaderF16: false };
    return {
      available: true,
      shaderF16: adapter.features.has('shader-f16'),
      software: isSoftwareAdapter(adapter as unknown as GPUAdapter),
    };
  } catch {
    // requestAdapter rejects where WebGPU is blocklisted or disabled: that is "no WebGPU", not an error.
    return { available: false, shaderF16: false };
  }
}
