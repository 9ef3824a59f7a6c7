import { concatBytes } from '../lib/bytes.ts';
import { AtlasError, throwIfCancelled } from '../lib/errors.ts';

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

async function fetchOrExplain(url: string, signal: AbortSignal | undefined): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, signal ? { signal } : {});
  } catch (cause) {
    throwIfCancelled(signal);
    throw new AtlasError('load', 'fetch-failed', `Could not fetch the corpus at ${url}.`, {
      cause,
      hint: 'Check the address and your connection; a file on another site must allow cross-origin requests (CORS).',
    });
  }
  if (!response.ok) {
    throw new AtlasError(
      'load',
      'http-error',
      `The server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''} for ${url}.`,
      { hint: 'Check that the link points at a corpus file or an .atlas.json bundle.' },
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
    const { done, value } = await reader.read();
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
      const index = (await (await fetchOrExplain(indexUrl, signal)).json()) as BundledCorpusIndex;
      if (source.precomputed && index.map) {
        const response = await fetch(`${baseUrl}corpus/${index.map}`, signal ? { signal } : {});
        // Without a precomputed map (a dev checkout before `npm run bundle`), the files are mapped here.
        if (response.ok) {
          return {
            name: index.name,
            files: [{ name: index.map, bytes: await readLimited(response, index.map, maxBytes) }],
          };
        }
      }
      const files = await Promise.all(
        index.files.map(async (name) => ({
          name,
          bytes: await readLimited(
            await fetchOrExplain(`${baseUrl}corpus/${name}`, signal),
            name,
            maxBytes,
          ),
        })),
      );
      return { name: index.name, files };
    }
    case 'url': {
      const name = fileNameOfUrl(source.url);
      const response = await fetchOrExplain(source.url, signal);
      return { name, files: [{ name, bytes: await readLimited(response, name, maxBytes) }] };
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
      return { name, files };
    }
  }
}
