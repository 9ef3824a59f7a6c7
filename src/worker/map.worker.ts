/// <reference lib="webworker" />
import { computeMap, type ComputeMapInput } from '../pipeline/map.ts';
import { exposeApi, transfer, type CallContext, type Endpoint } from './rpc.ts';

export const mapApi = {
  async computeMap(args: ComputeMapInput, context: CallContext) {
    const map = await computeMap(args, { signal: context.signal, onProgress: context.progress });
    const buffers: ArrayBuffer[] = [map.positions.buffer as ArrayBuffer];
    for (const level of map.clusterLevels) buffers.push(level.buffer as ArrayBuffer);
    if (map.vectors) buffers.push(map.vectors.data.buffer as ArrayBuffer);
    return transfer(map, buffers);
  },
};

export type MapApi = typeof mapApi;

exposeApi(mapApi, self as unknown as Endpoint);
