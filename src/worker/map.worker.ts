/// <reference lib="webworker" />
import { unpackTexts, type PackedTexts } from '../lib/packed-papers.ts';
import { mapBuffers } from '../pipeline/atlas-map.ts';
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
    return transfer({ map, texts: args.texts }, [
      ...mapBuffers(map),
      args.texts.bytes.buffer as ArrayBuffer,
    ]);
  },
};

export type MapApi = typeof mapApi;

exposeApi(mapApi, self as unknown as Endpoint);
