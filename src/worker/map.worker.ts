/// <reference lib="webworker" />
import { AtlasError } from '../lib/errors.ts';
import { unpackTexts, type PackedTexts } from '../lib/packed-papers.ts';
import { mapBuffers } from '../pipeline/atlas-map.ts';
import { growLayout } from '../pipeline/grow.ts';
import { indexLabelTexts, type LabelIndex } from '../pipeline/label/index.ts';
import { computeMapLayout, type MapLayout, type MapLayoutInput } from '../pipeline/map.ts';
import { helpersFor } from './pool.ts';
import { exposeApi, transfer, type CallContext, type Endpoint } from './rpc.ts';

/** The label index being built ahead of a run (`indexLabels`), under the key the run names it by. */
let preparedLabels: { key: number; index: Promise<LabelIndex> } | null = null;

export const mapApi = {
  /**
   * Reads the texts a run will label (`indexLabelTexts`) while the embed worker computes their
   * vectors, on this otherwise idle thread; `computeMapLayout` with the same `key` then labels from
   * it. Resolves when the index is built; its errors reach that `computeMapLayout` too.
   */
  async indexLabels(args: { key: number; texts: PackedTexts }, context: CallContext) {
    const index = indexLabelTexts(unpackTexts(args.texts), { signal: context.signal });
    preparedLabels = { key: args.key, index };
    // The run's computeMapLayout awaits the index and meets any error there.
    index.catch(() => undefined);
    await index;
  },
  /**
   * Texts come packed (`packTexts`) and transferred; they go back with the reply, which leaves out the
   * papers the page holds. `threads`: how many threads compute (1: the deterministic mode); by default
   * the parallel mode on every core the pool may use.
   */
  async computeMapLayout(
    args: Omit<MapLayoutInput, 'texts'> & {
      texts: PackedTexts;
      threads?: number;
      /** The key of an `indexLabels` call on the same texts. */
      labelKey?: number;
    },
    context: CallContext,
  ) {
    const { threads, labelKey, ...rest } = args;
    const texts = unpackTexts(args.texts);
    const input = { ...rest, texts };
    const helpers = helpersFor(threads);
    const labelIndex = preparedLabels?.key === labelKey ? preparedLabels?.index : undefined;
    preparedLabels = null;
    const map = await computeMapLayout(input, {
      signal: context.signal,
      onProgress: context.progress,
      ...(helpers ? { helpers } : {}),
      ...(labelIndex ? { labelIndex } : {}),
      // The embed worker holds the model: the page, which owns both workers, passes the phrases on.
      embedPhrases: async (phrases) => {
        const question: MapWorkerQuestion = { kind: 'embed-phrases', phrases };
        const answer = await context.ask(question);
        if (!(answer instanceof Float32Array)) {
          throw new AtlasError(
            'label',
            'phrase-vectors',
            'The label phrases came back without vectors.',
          );
        }
        return answer;
      },
    });
    return transfer({ map, texts: args.texts }, [
      ...mapBuffers(map),
      args.texts.bytes.buffer as ArrayBuffer,
    ]);
  },
  /**
   * Places added papers' vectors on a map without moving it (`growLayout`, deterministic: one thread).
   * The map's arrays and the vectors are transferred here and back.
   */
  async growLayout(args: { map: MapLayout; added: Float32Array }, context: CallContext) {
    const grown = await growLayout(args.map, args.added, {
      signal: context.signal,
      onProgress: context.progress,
    });
    return transfer(grown, [
      ...mapBuffers(grown.layout),
      grown.addedPositions.buffer as ArrayBuffer,
      grown.addedTopics.buffer as ArrayBuffer,
    ]);
  },
};

export type MapApi = typeof mapApi;

/** What the map worker asks the page during `computeMapLayout` (`CallContext.ask`). */
export interface MapWorkerQuestion {
  kind: 'embed-phrases';
  phrases: string[];
}

exposeApi(mapApi, self as unknown as Endpoint);
