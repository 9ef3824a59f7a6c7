/** The compute worker's entry in Node (`worker_threads`), for unit tests, benchmarks and scripts. */
import { parentPort } from 'node:worker_threads';
import { computeApi } from '../pipeline/project/parallel.ts';
import { exposeApi, type Endpoint } from './rpc.ts';

const port = parentPort!;
const endpoint: Endpoint = {
  postMessage: (message, transfer) => port.postMessage(message, transfer as never),
  addEventListener: (type: string, listener: (event: MessageEvent) => void) => {
    if (type === 'message')
      port.on('message', (data: unknown) => listener({ data } as MessageEvent));
  },
};
exposeApi(computeApi, endpoint);
