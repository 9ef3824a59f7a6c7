import 'fake-indexeddb/auto';
import { IDBFactory, IDBObjectStore as FakeObjectStore } from 'fake-indexeddb';

import { afterEach, describe, expect, it, vi } from 'vitest';
import { VectorCache } from '../../../src/pipeline/embed/vector-cache.ts';

const dim = 4;
const rows = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]);

describe('VectorCache', () => {
  afterEach(() => vi.restoreAllMocks());

  it('stores rows by model space and text, and reads them back', async () => {
    const cache = await VectorCache.open(new IDBFactory());
    expect(cache.enabled).toBe(true);
    const keys = ['first text', 'second text'].map((text) => VectorCache.key('m|fp32', text));
    await cache.putMany(keys, rows, dim);
    const [first, second, missing] = await cache.getMany(
      [...keys, VectorCache.key('m|q8', 'first text')],
      dim,
    );
    expect(Array.from(first!)).toEqual([1, 2, 3, 4]);
    expect(Array.from(second!)).toEqual([5, 6, 7, 8]);
    expect(missing).toBeUndefined();
    expect(await cache.getMany(keys, 8)).toEqual([undefined, undefined]);
    expect(await cache.info()).toEqual({ entries: 2, bytes: 2 * 16 + keys.join('').length * 2 });
    await cache.clear();
    expect(await cache.info()).toEqual({ entries: 0, bytes: 0 });
  });

  it('persists across openings of the same database', async () => {
    const factory = new IDBFactory();
    const writer = await VectorCache.open(factory);
    await writer.putMany([VectorCache.key('m|fp32', 'text')], rows.subarray(0, dim), dim);
    writer.close();
    const reader = await VectorCache.open(factory);
    expect((await reader.getMany([VectorCache.key('m|fp32', 'text')], dim))[0]).toBeDefined();
  });

  it('turns itself off with a notice where there is no IndexedDB', async () => {
    const cache = await VectorCache.open(null);
    expect(cache.enabled).toBe(false);
    expect(cache.disabledNotice).toMatch(/no IndexedDB/);
    expect(await cache.getMany(['a'], dim)).toEqual([undefined]);
    await cache.putMany(['a'], rows.subarray(0, dim), dim);
    expect(await cache.info()).toEqual({ entries: 0, bytes: 0 });
  });

  it('turns itself off with a notice when the quota is full', async () => {
    const cache = await VectorCache.open(new IDBFactory());
    vi.spyOn(FakeObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    await cache.putMany(['a', 'b'], rows, dim);
    expect(cache.enabled).toBe(false);
    expect(cache.disabledNotice).toMatch(/quota is full/);
  });
});
