import { afterEach, describe, expect, it, vi } from 'vitest';
import { readCorpusSource } from '../../src/app/corpus-source.ts';

describe('readCorpusSource', () => {
  it('refuses a file over the limit before reading it, naming the size and the limit', async () => {
    let read = false;
    const huge = {
      name: 'huge.csv',
      size: 300 * 1024 * 1024,
      arrayBuffer: () => {
        read = true;
        return Promise.resolve(new ArrayBuffer(0));
      },
    } as unknown as File;
    const loading = readCorpusSource(
      { kind: 'files', files: [huge] },
      { baseUrl: '/', maxBytes: 200 * 1024 * 1024 },
    );
    await expect(loading).rejects.toMatchObject({
      stage: 'load',
      code: 'file-too-large',
      message: '"huge.csv" is 300 MB, over the 200 MB limit for one corpus file.',
    });
    expect(read).toBe(false);
  });

  it('reads dropped files as bytes, named after the file', async () => {
    const file = new File(['title,abstract\nA,B\n'], 'list.csv');
    const corpus = await readCorpusSource(
      { kind: 'files', files: [file] },
      { baseUrl: '/', maxBytes: 1024 },
    );
    expect(corpus.name).toBe('list.csv');
    expect(new TextDecoder().decode(corpus.files[0]!.bytes)).toBe('title,abstract\nA,B\n');
  });
});

/** A site whose files are `files` (path → body); any other path is a 404; `unreachable` paths fail like a cut network. */
function stubSite(files: Record<string, string>, unreachable: readonly string[] = []): string[] {
  const requested: string[] = [];
  vi.stubGlobal('fetch', (url: string) => {
    requested.push(url);
    if (unreachable.includes(url)) return Promise.reject(new TypeError('Failed to fetch'));
    const body = files[url];
    return Promise.resolve(
      body === undefined
        ? new Response('Not found', { status: 404, statusText: 'Not Found' })
        : new Response(body),
    );
  });
  return requested;
}

const INDEX = JSON.stringify({ name: 'Bundled', files: ['a.txt', 'b.txt'], map: 'map.atlas.json' });
const bundled = { kind: 'bundled', precomputed: true } as const;
const options = { baseUrl: '/site/', maxBytes: 1024 };
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('readCorpusSource: failed fetches are explained, and the bundled corpus falls back', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('opens the precomputed map alone when it is there', async () => {
    const requested = stubSite({
      '/site/corpus/index.json': INDEX,
      '/site/corpus/map.atlas.json': '{}',
    });
    const corpus = await readCorpusSource(bundled, options);
    expect(corpus.files.map((file) => file.name)).toEqual(['map.atlas.json']);
    expect(corpus.notices).toEqual([]);
    expect(requested).toEqual(['/site/corpus/index.json', '/site/corpus/map.atlas.json']);
  });

  it('maps the corpus files when the server has no precomputed map, and says so', async () => {
    stubSite({
      '/site/corpus/index.json': INDEX,
      '/site/corpus/a.txt': 'A',
      '/site/corpus/b.txt': 'B',
    });
    const corpus = await readCorpusSource(bundled, options);
    expect(corpus.files.map((file) => [file.name, text(file.bytes)])).toEqual([
      ['a.txt', 'A'],
      ['b.txt', 'B'],
    ]);
    expect(corpus.notices).toEqual([
      'The server answered 404 Not Found for the precomputed map at /site/corpus/map.atlas.json. The corpus files are mapped in your browser instead.',
    ]);
  });

  it('maps the cached corpus files when offline without the precomputed map, and says why', async () => {
    vi.stubGlobal('navigator', { onLine: false });
    stubSite(
      { '/site/corpus/index.json': INDEX, '/site/corpus/a.txt': 'A', '/site/corpus/b.txt': 'B' },
      ['/site/corpus/map.atlas.json'],
    );
    const corpus = await readCorpusSource(bundled, options);
    expect(corpus.files).toHaveLength(2);
    expect(corpus.notices).toEqual([
      'You are offline, and the precomputed map (/site/corpus/map.atlas.json) is not saved in this browser. The corpus files are mapped in your browser instead.',
    ]);
  });

  it('says so when offline with nothing cached', async () => {
    vi.stubGlobal('navigator', { onLine: false });
    stubSite({}, ['/site/corpus/index.json']);
    await expect(readCorpusSource(bundled, options)).rejects.toMatchObject({
      stage: 'load',
      code: 'offline',
      message:
        'You are offline, and the list of the bundled corpus files (/site/corpus/index.json) is not saved in this browser.',
      hint: expect.stringMatching(/^Connect to the network and reload/),
    });
  });

  it('names the corpus file that cannot be fetched when the precomputed map is missing too', async () => {
    vi.stubGlobal('navigator', { onLine: false });
    stubSite({ '/site/corpus/index.json': INDEX, '/site/corpus/a.txt': 'A' }, [
      '/site/corpus/map.atlas.json',
      '/site/corpus/b.txt',
    ]);
    await expect(readCorpusSource(bundled, options)).rejects.toMatchObject({
      code: 'offline',
      message:
        'You are offline, and the corpus file "b.txt" (/site/corpus/b.txt) is not saved in this browser.',
    });
  });

  it('explains a link that gets no answer online, and one the server refuses', async () => {
    stubSite({}, ['https://elsewhere.org/list.csv']);
    await expect(
      readCorpusSource({ kind: 'url', url: 'https://elsewhere.org/list.csv' }, options),
    ).rejects.toMatchObject({
      code: 'fetch-failed',
      message:
        'Could not fetch the corpus at https://elsewhere.org/list.csv: the request got no answer (Failed to fetch).',
      hint: expect.stringContaining('CORS'),
    });
    stubSite({});
    await expect(
      readCorpusSource({ kind: 'url', url: 'https://elsewhere.org/gone.csv' }, options),
    ).rejects.toMatchObject({
      code: 'http-error',
      message:
        'The server answered 404 Not Found for the corpus at https://elsewhere.org/gone.csv.',
    });
  });

  it('explains a download that breaks off', async () => {
    vi.stubGlobal('fetch', () => {
      let sent = false;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent) return controller.error(new TypeError('network error'));
          sent = true;
          controller.enqueue(new Uint8Array(10));
        },
      });
      return Promise.resolve(new Response(body));
    });
    await expect(
      readCorpusSource({ kind: 'url', url: 'https://elsewhere.org/list.csv' }, options),
    ).rejects.toMatchObject({
      code: 'download-broken',
      message: 'The download of "list.csv" broke off after 10 bytes.',
    });
  });
});
