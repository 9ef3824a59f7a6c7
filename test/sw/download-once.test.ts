import { describe, expect, it } from 'vitest';
import { DownloadOnceCache } from '../../src/sw/download-once.ts';

/**
 * A Cache Storage entry store that, like Chromium's, takes time to write and fails a write of an entry
 * while another write of it is under way.
 */
class SlowCache {
  readonly entries = new Map<string, string>();
  private readonly writing = new Set<string>();
  writes = 0;

  async match(request: Request): Promise<Response | undefined> {
    const body = this.entries.get(request.url);
    return body === undefined ? undefined : new Response(body);
  }

  async put(request: Request, response: Response): Promise<void> {
    if (this.writing.has(request.url)) throw new Error('ERR_CACHE_WRITE_FAILURE');
    this.writing.add(request.url);
    this.writes++;
    try {
      const body = await response.text();
      await new Promise((resolve) => setTimeout(resolve, 20));
      this.entries.set(request.url, body);
    } finally {
      this.writing.delete(request.url);
    }
  }
}

function setUp(respond: (request: Request) => Response = () => new Response('weights')) {
  const cache = new SlowCache();
  const downloaded: string[] = [];
  const files = new DownloadOnceCache(
    async () => cache as unknown as Cache,
    async (request) => {
      downloaded.push(request.url);
      await new Promise((resolve) => setTimeout(resolve, 10));
      return respond(request);
    },
  );
  return { cache, downloaded, files };
}

const MODEL = 'http://localhost/models/m/onnx/model_quantized.onnx';

describe('DownloadOnceCache', () => {
  it('downloads a file once when requests for it come together, and answers all of them', async () => {
    const { cache, downloaded, files } = setUp();
    const responses = await Promise.all([1, 2, 3].map(() => files.respond(new Request(MODEL))));
    expect(await Promise.all(responses.map((response) => response.text()))).toEqual([
      'weights',
      'weights',
      'weights',
    ]);
    expect(downloaded).toEqual([MODEL]);
    expect(cache.writes).toBe(1);
  });

  it('answers later requests from the cache', async () => {
    const { downloaded, files } = setUp();
    await (await files.respond(new Request(MODEL))).text();
    expect(await (await files.respond(new Request(MODEL))).text()).toBe('weights');
    expect(downloaded).toHaveLength(1);
  });

  it('stores no failed response, and a request waiting on it downloads on its own', async () => {
    let calls = 0;
    const { cache, downloaded, files } = setUp(() =>
      ++calls === 1 ? new Response('gone', { status: 503 }) : new Response('weights'),
    );
    const [first, second] = await Promise.all([
      files.respond(new Request(MODEL)),
      files.respond(new Request(MODEL)),
    ]);
    expect(first.status).toBe(503);
    expect(await second.text()).toBe('weights');
    expect(downloaded).toHaveLength(2);
    expect(cache.entries.size).toBe(0);
  });

  it('passes requests other than GET to the network', async () => {
    const { cache, downloaded, files } = setUp();
    await files.respond(new Request(MODEL, { method: 'HEAD' }));
    expect(downloaded).toEqual([MODEL]);
    expect(cache.writes).toBe(0);
  });
});
