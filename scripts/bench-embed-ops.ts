/**
 * Where embedding time goes, operator by operator: the generated all-MiniLM-L6-v2-shaped model on one
 * batch (16 texts × 256 tokens, the shape most bundled abstracts take) in ONNX Runtime's WASM backend in
 * Chromium (a module worker, the build Transformers.js loads) and in native onnxruntime-node, at the same
 * thread count, with ONNX Runtime's own profiler. Prints kernel time per operator type, the matrix
 * products' share and their GFLOP/s per thread, and ends with one JSON line.
 *
 * It explains `wasm_vs_native` in `npm run bench:embed`: most of the gap is the fp32 matrix products,
 * i.e. MLAS's 128-bit WASM SIMD kernel against its AVX2/AVX-512 kernels.
 *
 * Usage: npm run bench:embed-ops [-- --threads 2 --runs 3 --port 5215]
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as nativeOrt from 'onnxruntime-node';
import { PROFILE_BATCH, PROFILE_TOKENS, profileInputs } from '../e2e/harness/ort-profile-inputs.ts';
import { launchChromium, numberArgument, startDevServer } from './bench-support.ts';
import { makeTestModel, TEST_MODEL_ID } from './make-test-model.ts';

interface ProfileEvent {
  cat: string;
  name: string;
  dur: number;
  ts: number;
  args?: {
    op_name?: string;
    input_type_shape?: Record<string, number[]>[];
    output_type_shape?: Record<string, number[]>[];
  };
}

interface OperatorTimes {
  /** Kernel milliseconds per batch, by operator type. */
  byType: Map<string, number>;
  totalMs: number;
  matmulMs: number;
  matmulGflop: number;
}

const product = (dims: number[]) => dims.reduce((a, b) => a * b, 1);
const firstShape = (shapes: Record<string, number[]>[] | undefined) =>
  shapes?.[0] ? Object.values(shapes[0])[0] : undefined;

/** Kernel times of the last `runs` runs, per batch. */
function summarise(events: ProfileEvent[], runs: number, totalRuns: number): OperatorTimes {
  const kernels = events
    .filter((event) => event.cat === 'Node' && event.name.endsWith('_kernel_time'))
    .sort((a, b) => a.ts - b.ts);
  const perRun = kernels.length / totalRuns;
  if (!Number.isInteger(perRun)) {
    throw new Error(`The profile holds ${kernels.length} kernel events for ${totalRuns} runs.`);
  }
  const measured = kernels.slice(kernels.length - perRun * runs);
  const byType = new Map<string, number>();
  let matmulMs = 0;
  let matmulGflop = 0;
  for (const event of measured) {
    const type = event.args?.op_name ?? 'unknown';
    const ms = event.dur / 1000 / runs;
    byType.set(type, (byType.get(type) ?? 0) + ms);
    if (type === 'MatMul' || type === 'FusedMatMul') {
      const input = firstShape(event.args?.input_type_shape);
      const output = firstShape(event.args?.output_type_shape);
      if (!input || !output) throw new Error(`A ${type} event has no shapes.`);
      matmulMs += ms;
      matmulGflop += (2 * product(output) * input[input.length - 1]!) / 1e9 / runs;
    }
  }
  const totalMs = [...byType.values()].reduce((a, b) => a + b, 0);
  return { byType, totalMs, matmulMs, matmulGflop };
}

async function profileNative(modelPath: string, threads: number, runs: number) {
  const folder = mkdtempSync(join(tmpdir(), 'atlas-ort-profile-'));
  try {
    const session = await nativeOrt.InferenceSession.create(modelPath, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      enableProfiling: true,
      profileFilePrefix: join(folder, 'native'),
    });
    const dims = [PROFILE_BATCH, PROFILE_TOKENS];
    const inputs = Object.fromEntries(
      Object.entries(profileInputs()).map(([name, data]) => [
        name,
        new nativeOrt.Tensor('int64', data, dims),
      ]),
    );
    const warmUp = 1;
    const started = performance.now();
    for (let run = 0; run < warmUp + runs; run++) await session.run(inputs);
    const wallMs = (performance.now() - started) / (warmUp + runs);
    session.endProfiling();
    await session.release();
    const file = readdirSync(folder).find((name) => name.endsWith('.json'));
    if (!file) throw new Error('onnxruntime-node wrote no profile.');
    const events = JSON.parse(readFileSync(join(folder, file), 'utf8')) as ProfileEvent[];
    return { times: summarise(events, runs, warmUp + runs), wallMs };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * The WASM side in Chromium, in a module worker through the ONNX Runtime build Transformers.js loads.
 * ONNX Runtime prints its profile to the console, one event per line, from its own threads.
 */
async function profileWasm(threads: number, runs: number, port: number) {
  const server = await startDevServer(port);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const printed: string[] = [];
    let profileEnded: () => void = () => {};
    const ended = new Promise<void>((resolve) => (profileEnded = resolve));
    page.on('console', (message) => {
      const text = message.text();
      printed.push(text);
      if (/^\]\s*$/m.test(text)) profileEnded();
    });
    await page.goto(`http://localhost:${port}/e2e/harness/ort-profile.html`);
    await page.waitForFunction(() => document.body.dataset['ready'] === 'true');
    const warmUp = 2;
    const reply = await page.evaluate((request) => window.ortProfile(request), {
      modelUrl: `/models/${TEST_MODEL_ID}/onnx/model.onnx`,
      ortBaseUrl: '/ort/',
      threads,
      warmUp,
      runs,
    });
    await Promise.race([
      ended,
      new Promise((_, reject) =>
        setTimeout(
          () => reject(new Error('ONNX Runtime printed no complete profile within 60 s.')),
          60_000,
        ),
      ),
    ]);
    const events: ProfileEvent[] = [];
    for (const line of printed.join('\n').split('\n')) {
      const text = line.trim().replace(/,$/, '');
      if (text.startsWith('{"cat"')) events.push(JSON.parse(text) as ProfileEvent);
    }
    console.log(
      `Chromium: crossOriginIsolated=${reply.crossOriginIsolated}, ORT WASM threads=${reply.threads}`,
    );
    return { times: summarise(events, runs, warmUp + runs), wallMs: reply.wallMs };
  } finally {
    await browser.close();
    await server.close();
  }
}

async function main(): Promise<void> {
  const threads = numberArgument('threads', availableParallelism());
  const runs = numberArgument('runs', 3);
  const { dir } = makeTestModel();
  const modelPath = resolve(dir, 'onnx', 'model.onnx');
  console.log(
    `Model: generated all-MiniLM-L6-v2 shape, fp32; batch ${PROFILE_BATCH} × ${PROFILE_TOKENS} tokens; ${threads} threads; ${runs} runs each.`,
  );
  const native = await profileNative(modelPath, threads, runs);
  const wasm = await profileWasm(threads, runs, numberArgument('port', 5215));

  const types = [...new Set([...wasm.times.byType.keys(), ...native.times.byType.keys()])].sort(
    (a, b) => (wasm.times.byType.get(b) ?? 0) - (wasm.times.byType.get(a) ?? 0),
  );
  console.log('operator              WASM ms   native ms   WASM/native');
  for (const type of types) {
    const w = wasm.times.byType.get(type) ?? 0;
    const n = native.times.byType.get(type) ?? 0;
    if (w < 0.5 && n < 0.5) continue;
    console.log(
      `${type.padEnd(20)}${w.toFixed(1).padStart(9)}${n.toFixed(1).padStart(12)}${(n > 0 ? (w / n).toFixed(1) : '-').padStart(14)}`,
    );
  }
  const gflopsPerThread = (times: OperatorTimes) =>
    times.matmulGflop / (times.matmulMs / 1000) / threads;
  const result = {
    wasm_ms_per_batch: Number(wasm.wallMs.toFixed(1)),
    native_ms_per_batch: Number(native.wallMs.toFixed(1)),
    wasm_vs_native: Number((native.wallMs / wasm.wallMs).toFixed(3)),
    matmul_share_wasm: Number((wasm.times.matmulMs / wasm.times.totalMs).toFixed(3)),
    matmul_share_native: Number((native.times.matmulMs / native.times.totalMs).toFixed(3)),
    matmul_gflops_per_thread_wasm: Number(gflopsPerThread(wasm.times).toFixed(1)),
    matmul_gflops_per_thread_native: Number(gflopsPerThread(native.times).toFixed(1)),
    other_ops_wasm_vs_native: Number(
      (
        (native.times.totalMs - native.times.matmulMs) /
        (wasm.times.totalMs - wasm.times.matmulMs)
      ).toFixed(3),
    ),
    gflop_per_batch: Number(wasm.times.matmulGflop.toFixed(1)),
    threads,
  };
  console.log(
    `matrix products: ${(result.matmul_share_wasm * 100).toFixed(0)}% of WASM kernel time, ` +
      `${(result.matmul_share_native * 100).toFixed(0)}% of native; ${result.matmul_gflops_per_thread_wasm} vs ` +
      `${result.matmul_gflops_per_thread_native} GFLOP/s per thread. Whole batch: WASM ${result.wasm_vs_native}× native; ` +
      `the other operators together ${result.other_ops_wasm_vs_native}×.`,
  );
  console.log(JSON.stringify(result));
  process.exit(0);
}

await main();
