/**
 * Compiles and instantiates the WebAssembly kernels of the projection and the lexical embedder
 * (assembled from the .wat files beside this one by `npm run kernels`). A kernel that does not compile
 * is an error, never a silent fallback.
 */
import { AtlasError } from '../../../lib/errors.ts';
import * as assembled from './assembled.ts';

export type KernelName = 'layoutEpoch' | 'dots' | 'sparse';

/** Bytes per WebAssembly memory page. */
const PAGE_BYTES = 65_536;

const compiled = new Map<string, WebAssembly.Module>();

/** Whether `memory` is shared between threads (its buffer a SharedArrayBuffer). */
export function isShared(memory: WebAssembly.Memory): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
}

function compile(name: KernelName, shared: boolean): WebAssembly.Module {
  const key = shared ? `${name}Shared` : name;
  let module = compiled.get(key);
  if (!module) {
    try {
      const text = atob(assembled[key as keyof typeof assembled]);
      module = new WebAssembly.Module(Uint8Array.from(text, (c) => c.charCodeAt(0)));
    } catch (cause) {
      throw new AtlasError(
        'project',
        'kernel-failed',
        `The ${name} WebAssembly kernel could not be compiled: ${cause instanceof Error ? cause.message : String(cause)}`,
        {
          hint: 'Use a browser with WebAssembly SIMD (Chrome 91, Firefox 89, Safari 16.4 or later).',
          cause,
        },
      );
    }
    compiled.set(key, module);
  }
  return module;
}

/**
 * A memory of at least `byteCount` bytes: shared between threads when `shared` (then its size is fixed),
 * else a plain one.
 */
export function createKernelMemory(byteCount: number, shared: boolean): WebAssembly.Memory {
  const pages = Math.max(1, Math.ceil(byteCount / PAGE_BYTES));
  return shared
    ? new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true })
    : new WebAssembly.Memory({ initial: pages });
}

/** The exports of kernel `name` over `memory` (the shared build where the memory is shared). */
export function instantiateKernel(
  name: KernelName,
  memory: WebAssembly.Memory,
): WebAssembly.Exports {
  return new WebAssembly.Instance(compile(name, isShared(memory)), { env: { memory } }).exports;
}
