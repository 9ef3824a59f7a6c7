/**
 * The page's worker clients, all of them: the only place that starts workers. Each client makes its
 * worker on first use and again after a crash. (Vite bundles a worker from `new Worker(new URL(…))`
 * written out with literal options, so each start is spelled in full.)
 */
import type { EmbedWorkerApi } from '../worker/embed.worker.ts';
import type { IngestApi } from '../worker/ingest.worker.ts';
import type { MapApi } from '../worker/map.worker.ts';
import { WorkerClient } from '../worker/rpc.ts';

const startWorker = {
  ingest: () =>
    new Worker(new URL('../worker/ingest.worker.ts', import.meta.url), {
      type: 'module',
      name: 'ingest',
    }),
  map: () =>
    new Worker(new URL('../worker/map.worker.ts', import.meta.url), {
      type: 'module',
      name: 'map',
    }),
  embed: () =>
    new Worker(new URL('../worker/embed.worker.ts', import.meta.url), {
      type: 'module',
      name: 'embed',
    }),
};

export const createIngestClient = () => new WorkerClient<IngestApi>(startWorker.ingest, 'ingest');
export const createMapClient = () => new WorkerClient<MapApi>(startWorker.map, 'map');
export const createEmbedClient = () =>
  new WorkerClient<EmbedWorkerApi>(startWorker.embed, 'embedding');
