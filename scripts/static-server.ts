/**
 * A plain static file server, standing in for hosts such as GitHub Pages: it serves a built site under
 * a sub-path and sends no Cross-Origin-Opener/Embedder-Policy headers, so end-to-end tests see what a
 * reader on such a host sees.
 *
 * Usage: tsx scripts/static-server.ts --root dist --base /abstract-atlas/ --port 4203
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.onnx': 'application/octet-stream',
};

export interface StaticServerOptions {
  /** The folder to serve (a `vite build` output). */
  root: string;
  /** The URL path the site lives under, with slashes at both ends, e.g. `/abstract-atlas/`. */
  base: string;
  /** 0 picks a free port. */
  port: number;
  host?: string;
}

export interface StaticServer {
  /** The site's URL, base included. */
  url: string;
  close(): Promise<void>;
}

/** The file under `root` that `pathname` names, or `undefined` when it lies outside `base` or `root`. */
export function fileForPath(root: string, base: string, pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (!decoded.startsWith(base)) return undefined;
  const relative = decoded.slice(base.length);
  const rootDir = resolve(root);
  const file = resolve(
    rootDir,
    relative === '' || relative.endsWith('/') ? join(relative, 'index.html') : relative,
  );
  return file === rootDir || file.startsWith(rootDir + sep) ? file : undefined;
}

function normaliseBase(base: string): string {
  return `/${base.replace(/^\/+|\/+$/g, '')}/`.replace(/^\/\/$/, '/');
}

/** Starts the server; resolves once it listens. */
export function startStaticServer(options: StaticServerOptions): Promise<StaticServer> {
  const base = normaliseBase(options.base);
  const server: Server = createServer((request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (pathname === base.slice(0, -1)) {
      response.writeHead(301, { Location: base });
      response.end();
      return;
    }
    const file = fileForPath(options.root, base, pathname);
    if (!file || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(file ? 405 : 404, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end(file ? 'Method not allowed' : 'Not found');
      return;
    }
    stat(file).then(
      (info) => {
        if (!info.isFile()) {
          response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
          response.end('Not found');
          return;
        }
        response.writeHead(200, {
          'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
          'Content-Length': info.size,
          // Like GitHub Pages: revalidate, so a new build is seen on the next check.
          'Cache-Control': 'no-cache',
        });
        if (request.method === 'HEAD') response.end();
        else createReadStream(file).pipe(response);
      },
      () => {
        response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
        response.end('Not found');
      },
    );
  });
  return new Promise((resolveStart, rejectStart) => {
    server.once('error', rejectStart);
    server.listen(options.port, options.host ?? 'localhost', () => {
      const { port } = server.address() as AddressInfo;
      resolveStart({
        url: `http://localhost:${port}${base}`,
        close: () =>
          new Promise<void>((resolveClose, rejectClose) => {
            server.closeAllConnections();
            server.close((error) => (error ? rejectClose(error) : resolveClose()));
          }),
      });
    });
  });
}

function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const server = await startStaticServer({
    root: argument('root', 'dist'),
    base: argument('base', '/'),
    port: Number(argument('port', '4203')),
  });
  console.log(`Serving ${argument('root', 'dist')} at ${server.url} (no COOP/COEP headers)`);
}
