import type { IngestApi } from '../worker/ingest.worker.ts';
import type { MapApi } from '../worker/map.worker.ts';
import { WorkerClient } from '../worker/rpc.ts';

/** One client per worker kind; each makes its worker on first use and again after a crash. */
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
