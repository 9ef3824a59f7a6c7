/// <reference lib="webworker" />
import { unpackTexts, type PackedTexts } from '../lib/packed-papers.ts';
import { computeMapLayout, type MapLayoutInput } from '../pipeline/map.ts';
import { exposeApi, transfer, type CallContext, type Endpoint } from './rpc.ts';

export const mapApi = {
  /**
   * Texts come packed (`packTexts`) and transferred; they go back with the reply, which leaves out the
   * papers the page holds.
   */
  async computeMapLayout(
    args: Omit<MapLayoutInput, 'texts'> & { texts: PackedTexts },
    context: CallContext,
  ) {
    const texts = unpackTexts(args.texts);
    const input = { ...args, texts };
    const map = await computeMapLayout(input, {
      signal: context.signal,
      onProgress: context.progress,
    });
    const buffers: ArrayBuffer[] = [
      map.positions.buffer as ArrayBuffer,
      args.texts.bytes.buffer as ArrayBuffer,
    ];
    for (const level of map.clusterLevels) buffers.push(level.buffer as ArrayBuffer);
    if (map.vectors) buffers.push(map.vectors.data.buffer as ArrayBuffer);
    return transfer({ map, texts: args.texts }, buffers);
  },
};

export type MapApi = typeof mapApi;

exposeApi(mapApi, self as unknown as Endpoint);
