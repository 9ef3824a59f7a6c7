/**
 * Runs the generated model in ONNX Runtime's WASM backend with its profiler on, in a module worker as the
 * app's embed worker does, through the same ONNX Runtime build Transformers.js loads. The profile is
 * printed to the console by ONNX Runtime; the benchmark collects it there.
 */
import * as ort from 'onnxruntime-web/webgpu';
import { PROFILE_BATCH, PROFILE_TOKENS, profileInputs } from './ort-profile-inputs.ts';

export interface OrtProfileRequest {
  modelUrl: string;
  ortBaseUrl: string;
  threads: number;
  warmUp: number;
  runs: number;
}

export interface OrtProfileReply {
  wallMs: number;
  threads: number;
  crossOriginIsolated: boolean;
}

self.onmessage = async (event: MessageEvent<OrtProfileRequest>) => {
  const request = event.data;
  try {
    ort.env.wasm.numThreads = request.threads;
    // As Transformers.js does: the binary handed over, the factory from a blob URL. Started from a URL
    // inside a worker, the runtime's thread workers never come up.
    const [wasmBinary, factory] = await Promise.all([
      fetch(`${request.ortBaseUrl}ort-wasm-simd-threaded.asyncify.wasm`).then((r) =>
        r.arrayBuffer(),
      ),
      fetch(`${request.ortBaseUrl}ort-wasm-simd-threaded.asyncify.mjs`).then((r) => r.blob()),
    ]);
    ort.env.wasm.wasmBinary = wasmBinary;
    ort.env.wasm.wasmPaths = {
      mjs: URL.createObjectURL(new Blob([factory], { type: 'text/javascript' })),
    };
    const session = await ort.InferenceSession.create(request.modelUrl, {
      executionProviders: ['wasm'],
      enableProfiling: true,
    });
    const dims = [PROFILE_BATCH, PROFILE_TOKENS];
    const feeds = Object.fromEntries(
      Object.entries(profileInputs()).map(([name, data]) => [
        name,
        new ort.Tensor('int64', data, dims),
      ]),
    );
    for (let run = 0; run < request.warmUp; run++) await session.run(feeds);
    const started = performance.now();
    for (let run = 0; run < request.runs; run++) await session.run(feeds);
    const wallMs = (performance.now() - started) / request.runs;
    session.endProfiling();
    await session.release();
    const reply: OrtProfileReply = {
      wallMs,
      threads: ort.env.wasm.numThreads ?? 1,
      crossOriginIsolated: self.crossOriginIsolated,
    };
    self.postMessage({ ok: true, reply });
  } catch (error) {
    self.postMessage({
      ok: false,
      message: error instanceof Error ? error.message : String(error),
    });
  }
};
