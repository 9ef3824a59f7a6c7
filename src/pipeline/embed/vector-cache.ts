/**
 * Embedding vectors kept in IndexedDB, keyed by model, precision and a hash of each text, so reopening a
 * corpus recomputes nothing and adding ten papers embeds ten. Only neural vectors are cached: lexical
 * vectors depend on the whole corpus.
 *
 * The cache never stops an embedding run: without IndexedDB, or with the storage quota full, it turns
 * itself off and says so in `notice`.
 */
import { wrap, type IDBPDatabase } from 'idb';
import { hashText64 } from '../../lib/hash.ts';

const DATABASE_NAME = 'abstract-atlas-vectors';
const DATABASE_VERSION = 1;
const STORE = 'vectors';

/** A stored vector: its own bytes (a copy), so rows of one big array are not kept alive together. */
type StoredVector = ArrayBuffer;

export class VectorCache {
  private notice: string | undefined;

  private constructor(private database: IDBPDatabase | undefined) {}

  /**
   * Opens the cache in the given IndexedDB (the global one by default; null for none). Never throws: a cache that
   * cannot open is off, and `notice` says why.
   */
  static async open(
    factory: IDBFactory | null = globalThis.indexedDB ?? null,
  ): Promise<VectorCache> {
    if (!factory) {
      const cache = new VectorCache(undefined);
      cache.notice =
        'Vectors are not being saved between visits: this browser offers no IndexedDB storage here.';
      return cache;
    }
    try {
      const request = factory.open(DATABASE_NAME, DATABASE_VERSION);
      request.onupgradeneeded = () => {
        if (!request.result.objectStoreNames.contains(STORE))
          request.result.createObjectStore(STORE);
      };
      const database = await wrap(request);
      return new VectorCache(database);
    } catch (error) {
      const cache = new VectorCache(undefined);
      cache.notice = `Vectors are not being saved between visits: the browser's storage could not be opened (${describe(error)}).`;
      return cache;
    }
  }

  /** Whether vectors are read and written. */
  get enabled(): boolean {
    return this.database !== undefined;
  }

  /** Why the cache is off, as a sentence for readers; undefined while it works. */
  get disabledNotice(): string | undefined {
    return this.notice;
  }

  /** The cache key of a text under a model space (`model|dtype`). */
  static key(space: string, text: string): string {
    return `${space}\u0001${hashText64(text)}`;
  }

  /** Looks up many keys in one transaction; misses are undefined. */
  async getMany(keys: string[], dim: number): Promise<(Float32Array | undefined)[]> {
    const database = this.database;
    if (!database || keys.length === 0) return keys.map(() => undefined);
    try {
      const store = database.transaction(STORE, 'readonly').store;
      const values = (await Promise.all(keys.map((key) => store.get(key)))) as (
        StoredVector | undefined
      )[];
      return values.map((value) =>
        value instanceof ArrayBuffer && value.byteLength === dim * 4
          ? new Float32Array(value)
          : undefined,
      );
    } catch (error) {
      this.disable(`reading saved vectors failed (${describe(error)})`);
      return keys.map(() => undefined);
    }
  }

  /** Stores rows of `vectors` (row-major, `dim` wide) under the keys, in one transaction. */
  async putMany(keys: string[], vectors: Float32Array, dim: number): Promise<void> {
    const database = this.database;
    if (!database || keys.length === 0) return;
    try {
      const transaction = database.transaction(STORE, 'readwrite');
      const writes = keys.map((key, row) =>
        transaction.store.put(vectors.slice(row * dim, (row + 1) * dim).buffer, key),
      );
      await Promise.all([...writes, transaction.done]);
    } catch (error) {
      this.disable(
        isQuotaError(error)
          ? 'the browser storage quota is full'
          : `saving vectors failed (${describe(error)})`,
      );
    }
  }

  async info(): Promise<{ entries: number; bytes: number }> {
    const database = this.database;
    if (!database) return { entries: 0, bytes: 0 };
    let entries = 0;
    let bytes = 0;
    let cursor = await database.transaction(STORE, 'readonly').store.openCursor();
    while (cursor) {
      entries++;
      const value = cursor.value as StoredVector;
      bytes += value.byteLength + (cursor.key as string).length * 2;
      cursor = await cursor.continue();
    }
    return { entries, bytes };
  }

  async clear(): Promise<void> {
    await this.database?.clear(STORE);
  }

  close(): void {
    this.database?.close();
    this.database = undefined;
  }

  private disable(reason: string): void {
    this.database?.close();
    this.database = undefined;
    this.notice = `Vectors are no longer being saved between visits: ${reason}. Everything still works; clearing site data frees space.`;
  }
}

function isQuotaError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return error.name === 'QuotaExceededError' || isQuotaError(error.cause);
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
