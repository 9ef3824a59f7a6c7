import { concatBytes } from '../lib/bytes.ts';
import { AtlasError, isCancelled, throwIfCancelled } from '../lib/errors.ts';

/** Where a corpus comes from: the bundled listing pages, a URL (`?corpus=`), or files the reader dropped. */
export type CorpusSource =
  | {
      kind: 'bundled';
      /** Open the precomputed map (made at build time) where there is one, instead of mapping the files. */
      precomputed: boolean;
    }
  | { kind: 'url'; url: string }
  | { kind: 'files'; files: File[] };

export interface RawCorpusFile {
  name: string;
  bytes: Uint8Array;
}

export interface RawCorpus {
  name: string;
  files: RawCorpusFile[];
  /** What the reader should know about how the corpus was read (a fallback taken, say). */
  notices: string[];
}

interface BundledCorpusIndex {
  name: string;
  files: string[];
  /** The precomputed map of these files (made at build time), if there is one. */
  map?: string;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024)
    return `${(bytes / (1024 * 1024)).toFixed(bytes >= 10 * 1024 * 1024 ? 0 : 1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

function tooLarge(name: string, size: number, maxBytes: number): AtlasError {
  return new AtlasError(
    'load',
    'file-too-large',
    `"${name}" is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} limit for one corpus file.`,
    { hint: 'Split it into smaller files, or keep only the title and abstract columns.' },
  );
}

/** The last path segment of a URL, for naming the corpus. */
export function fileNameOfUrl(url: string): string {
  try {
    const path = new URL(url, globalThis.location?.href ?? 'http://localhost/').pathname;
    return decodeURIComponent(path.split('/').filter(Boolean).pop() ?? url);
  } catch {
    return url;
  }
}

/** Whether the browser says it has no network (`navigator.onLine`); undefined outside a browser. */
function browserIsOffline(): boolean {
  return globalThis.navigator?.onLine === false;
}

/**
 * Fetches `url`, turning every failure into an AtlasError that says what was fetched (`what`, e.g.
 * "the corpus"), why it failed, and what to do: offline with the file not cached, a request that got
 * no answer (network, CORS), or an HTTP error status.
 */
export async function fetchOrExplain(
  url: string,
  what: string,
  signal: AbortSignal | undefined,
): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, signal ? { signal } : {});
  } catch (cause) {
    throwIfCancelled(signal);
    if (browserIsOffline()) {
      throw new AtlasError(
        'load',
        'offline',
        `You are offline, and ${what} (${url}) is not saved in this browser.`,
        {
          cause,
          hint: 'Connect to the network and reload: once opened online, a map opens offline too. A file you drop works offline at any time.',
        },
      );
    }
    throw new AtlasError(
      'load',
      'fetch-failed',
      `Could not fetch ${what} at ${url}: the request got no answer${cause instanceof Error && cause.message ? ` (${cause.message})` : ''}.`,
      {
        cause,
        hint: 'Check the address and your connection; a file on another site must allow cross-origin requests (CORS).',
      },
    );
  }
  if (!response.ok) {
    const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
    throw new AtlasError(
      'load',
      'http-error',
      `The server answered ${status} for ${what} at ${url}.`,
      {
        hint:
          response.status === 404
            ? 'There is no file at that address: check the link, or whether the site was published whole.'
            : 'Try again later; if it persists, check that the link points at a corpus file or an .atlas.json bundle.',
      },
    );
  }
  return response;
}

/** Reads a response body, refusing it as soon as it passes `maxBytes` rather than after reading it whole. */
async function readLimited(
  response: Response,
  name: string,
  maxBytes: number,
): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(name, declared, maxBytes);
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch (cause) {
      throw new AtlasError(
        'load',
        'download-broken',
        `The download of "${name}" broke off after ${formatBytes(received)}.`,
        { cause, hint: 'Check your connection and try again.' },
      );
    }
    const { done, value } = chunk;
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel();
      throw tooLarge(name, received, maxBytes);
    }
    chunks.push(value);
  }
  return concatBytes(chunks, received);
}

/** Fetches or reads the raw bytes of a corpus; parsing happens in the ingest worker. */
export async function readCorpusSource(
  source: CorpusSource,
  options: {
    baseUrl: string;
    maxBytes: number;
    signal?: AbortSignal;
  },
): Promise<RawCorpus> {
  const { baseUrl, maxBytes, signal } = options;
  switch (source.kind) {
    case 'bundled': {
      const indexUrl = `${baseUrl}corpus/index.json`;
      const index = (await (
        await fetchOrExplain(indexUrl, 'the list of the bundled corpus files', signal)
      ).json()) as BundledCorpusIndex;
      const notices: string[] = [];
      if (source.precomputed && index.map) {
        try {
          const mapUrl = `${baseUrl}corpus/${index.map}`;
          const response = await fetchOrExplain(mapUrl, 'the precomputed map', signal);
          return {
            name: index.name,
            files: [{ name: index.map, bytes: await readLimited(response, index.map, maxBytes) }],
            notices,
          };
        } catch (error) {
          if (isCancelled(error)) throw error;
          notices.push(
            `${error instanceof Error ? error.message : String(error)} The corpus files are mapped in your browser instead.`,
          );
        }
      }
      const files = await Promise.all(
        index.files.map(async (name) => ({
          name,
          bytes: await readLimited(
            await fetchOrExplain(`${baseUrl}corpus/${name}`, `the corpus file "${name}"`, signal),
            name,
            maxBytes,
          ),
        })),
      );
      return { name: index.name, files, notices };
    }
    case 'url': {
      const name = fileNameOfUrl(source.url);
      const response = await fetchOrExplain(source.url, 'the corpus', signal);
      return {
        name,
        files: [{ name, bytes: await readLimited(response, name, maxBytes) }],
        notices: [],
      };
    }
    case 'files': {
      if (source.files.length === 0) {
        throw new AtlasError('load', 'no-file', 'No file was chosen.', {
          hint: 'Drop a corpus file or pick one.',
        });
      }
      for (const file of source.files)
        if (file.size > maxBytes) throw tooLarge(file.name, file.size, maxBytes);
      const files = await Promise.all(
        source.files.map(async (file) => ({
          name: file.name,
          bytes: new Uint8Array(await file.arrayBuffer()),
        })),
      );
      throwIfCancelled(signal);
      const name =
        source.files.length === 1 ? source.files[0]!.name : `${source.files.length} files`;
      return { name, files, notices: [] };
    }
  }
}
