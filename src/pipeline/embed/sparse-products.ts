/**
 * The lexical embedder's matrix products, X · D, Xᵀ · D and the column Gram matrix Pᵀ P of a product,
 * for one sparse matrix X (compressed sparse rows of tf-idf weights), in the `sparse` WebAssembly
 * kernel (SIMD, bit for bit the scalar loops). X is copied into the kernel's memory once, beside two
 * dense areas of up to `max(rows, cols) × width` doubles, one for D (or a Gram matrix) and one for the
 * product.
 *
 * A product runs on this thread alone or in shares on helper threads over the same memory (shared):
 * X · D by rows of X, Xᵀ · D by columns of X, the Gram matrix by its rows. Each share writes only its
 * own part of the result and sums each element in the same order as one thread does, so the result
 * is the same bit for bit on any number of threads.
 */
import { throwIfCancelled } from '../../lib/errors.ts';
import { createKernelMemory, instantiateKernel } from '../project/kernels/load.ts';
import type { ComputeHelpers } from '../project/parallel.ts';

/** Compressed sparse rows of L2-normalised tf-idf weights. */
export interface SparseRows {
  rows: number;
  cols: number;
  rowStart: Int32Array;
  columns: Int32Array;
  values: Float32Array;
}

/** Where X and the dense areas lie in a products' memory (byte addresses), for threads attaching to it. */
export interface SparseLayout {
  rows: number;
  cols: number;
  columnsAt: number;
  valuesAt: number;
  denseAt: number;
  productAt: number;
}

/**
 * One product: `gather` X · D (`rows × width`), `scatter` Xᵀ · D (`cols × width`), or `gram` the upper
 * triangle of Pᵀ P for the last product P with `rows` rows of `width`.
 */
export interface SparseProduct {
  kind: 'gather' | 'scatter' | 'gram';
  width: number;
  rows: number;
}

type KernelFunction = (...addressesAndRange: number[]) => void;

/** A function running share `share` of `shares` of a product over the products laid out in `memory`. */
export function sparseShareRunner(
  memory: WebAssembly.Memory,
  layout: SparseLayout,
): (product: SparseProduct, share: number, shares: number) => void {
  const kernel = instantiateKernel('sparse', memory);
  const gather = kernel.gather as KernelFunction;
  const scatter = kernel.scatter as KernelFunction;
  const gram = kernel.gram as KernelFunction;
  const { columnsAt, valuesAt, denseAt, productAt, rows, cols } = layout;
  const part = (total: number, share: number, shares: number) =>
    Math.floor((share * total) / shares);
  return ({ kind, width, rows: productRows }, share, shares) => {
    if (kind === 'gather') {
      const from = part(rows, share, shares);
      const to = part(rows, share + 1, shares);
      gather(0, columnsAt, valuesAt, denseAt, productAt, from, to, width);
    } else if (kind === 'scatter') {
      const from = part(cols, share, shares);
      const to = part(cols, share + 1, shares);
      scatter(0, columnsAt, valuesAt, denseAt, productAt, 0, rows, width, from, to);
    } else {
      // Row i of the upper triangle has width - i entries: shares of equal area, not of equal rows.
      const boundary = (s: number) => Math.round(width * (1 - Math.sqrt(1 - s / shares)));
      gram(productAt, denseAt, 0, productRows, width, boundary(share), boundary(share + 1));
    }
  };
}

let nextSession = 1;

/** One sparse matrix X in kernel memory and its products, each yielded for a driver to run. */
export class SparseProducts {
  readonly memory: WebAssembly.Memory;
  readonly layout: SparseLayout;
  /** Identifies this products' memory to the helper threads attached to it. */
  readonly session = nextSession++;
  private readonly runShare: (product: SparseProduct, share: number, shares: number) => void;

  /** X's products with dense matrices of up to `width` columns; `shared` for helper threads. */
  constructor(x: SparseRows, width: number, shared = false) {
    const entries = x.values.length;
    const areaBytes = 8 * Math.max(x.rows, x.cols) * width;
    const columnsAt = 4 * (x.rows + 1);
    const valuesAt = columnsAt + 4 * entries;
    const denseAt = 8 * Math.ceil((valuesAt + 4 * entries) / 8);
    const productAt = denseAt + areaBytes;
    this.layout = { rows: x.rows, cols: x.cols, columnsAt, valuesAt, denseAt, productAt };
    this.memory = createKernelMemory(productAt + areaBytes, shared);
    new Int32Array(this.memory.buffer, 0, x.rows + 1).set(x.rowStart);
    new Int32Array(this.memory.buffer, columnsAt, entries).set(x.columns);
    new Float32Array(this.memory.buffer, valuesAt, entries).set(x.values);
    this.runShare = sparseShareRunner(this.memory, this.layout);
  }

  /**
   * X · D, D row-major `cols × width`: row-major `rows × width`, a view valid until the next product.
   * Yields the product for the caller's driver (`runProductsHere`, `runProductsOnThreads`) to run.
   */
  *multiply(d: ArrayLike<number>, width: number): Generator<ProductStep, Float64Array> {
    return yield* this.product('gather', d, this.layout.rows, width);
  }

  /** Xᵀ · D, D row-major `rows × width`: row-major `cols × width`, a view valid until the next product. */
  *multiplyTransposed(d: ArrayLike<number>, width: number): Generator<ProductStep, Float64Array> {
    return yield* this.product('scatter', d, this.layout.cols, width);
  }

  /**
   * Pᵀ P for the last product P, `rows × width` (rows: X's for `multiply`, its columns for
   * `multiplyTransposed`): a full, symmetric `width × width` matrix of its own; P's view stays valid.
   */
  *productGram(rows: number, width: number): Generator<ProductStep, Float64Array> {
    const upper = new Float64Array(this.memory.buffer, this.layout.denseAt, width * width).fill(0);
    yield { products: this, product: { kind: 'gram', width, rows } };
    const gram = Float64Array.from(upper);
    for (let i = 0; i < width; i++)
      for (let j = 0; j < i; j++) gram[i * width + j] = gram[j * width + i]!;
    return gram;
  }

  /** Runs share `share` of `shares` of `product` on this thread. */
  run(product: SparseProduct, share: number, shares: number): void {
    this.runShare(product, share, shares);
  }

  private *product(
    kind: 'gather' | 'scatter',
    d: ArrayLike<number>,
    rows: number,
    width: number,
  ): Generator<ProductStep, Float64Array> {
    // D is copied in before the product area is cleared: D may be the previous product's view.
    new Float64Array(this.memory.buffer, this.layout.denseAt, d.length).set(d);
    const out = new Float64Array(this.memory.buffer, this.layout.productAt, rows * width).fill(0);
    yield { products: this, product: { kind, width, rows } };
    return out;
  }
}

/** A product for a driver to run, and the products' memory it runs over. */
export interface ProductStep {
  products: SparseProducts;
  product: SparseProduct;
}

/** Runs every product `steps` asks for on this thread; returns what the steps return. */
export function runProductsHere<T>(steps: Generator<ProductStep, T>): T {
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return step.value;
    step.value.products.run(step.value.product, 0, 1);
  }
}

/**
 * Runs every product `steps` asks for in shares: share 0 here while `helpers` run the others over the
 * same shared memory (each products' memory attached to them on first use, detached at the end).
 */
export async function runProductsOnThreads<T>(
  steps: Generator<ProductStep, T>,
  helpers: ComputeHelpers,
  signal?: AbortSignal,
): Promise<T> {
  const shares = helpers.size + 1;
  const attached: SparseProducts[] = [];
  try {
    for (let step = steps.next(); ; step = steps.next()) {
      if (step.done) return step.value;
      const { products, product } = step.value;
      if (!attached.includes(products)) {
        const { session, memory, layout } = products;
        await helpers.callEach('attachSparse', () => ({ session, memory, layout }), signal);
        attached.push(products);
      }
      const others = helpers.callEach(
        'sparseShare',
        (helper) => ({ session: products.session, product, share: helper + 1, shares }),
        signal,
      );
      // Settle the helpers' promise even if this share throws, so no rejection goes unhandled.
      others.catch(() => undefined);
      products.run(product, 0, shares);
      await others;
      throwIfCancelled(signal);
    }
  } finally {
    for (const { session } of attached)
      helpers.callEach('detachSparse', () => ({ session })).catch(() => undefined);
  }
}
