/**
 * The page's worker clients, all of them: the only place that starts workers. Each client makes its
 * worker on first use and again after a crash.
 */
import type { EmbedWorkerApi } from '../worker/embed.worker.ts';
import type { IngestApi } from '../worker/ingest.worker.ts';
import type { MapApi } from '../worker/map.worker.ts';
import { WorkerClient } from '../worker/rpc.ts';

export function createIngestClient(): WorkerClient<IngestApi> {
  return new WorkerClient<IngestApi>(
    () =>
      new Worker(new URL('../worker/ingest.worker.ts', import.meta.url), {
        type: 'module',
        name: 'ingest',
      }),
    'ingest',
  );
}

export function createMapClient(): WorkerClient<MapApi> {
  return new WorkerClient<MapApi>(
    () =>
      new Worker(new URL('../worker/map.worker.ts', import.meta.url), {
        type: 'module',
        name: 'map',
      }),
    'map',
  );
}

export function createEmbedClient(): WorkerClient<EmbedWorkerApi> {
  return new WorkerClient<EmbedWorkerApi>(
    () =>
      new Worker(new URL('../worker/embed.worker.ts', import.meta.url), {
        type: 'module',
        name: 'embed',
      }),
    'embedding',
  );
}
