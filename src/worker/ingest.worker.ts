/// <reference lib="webworker" />
import { packedBuffers, packPapers, packTexts } from '../lib/packed-papers.ts';
import { paperText } from '../pipeline/types.ts';
import { isBundle, parseBundle } from '../pipeline/bundle.ts';
import { decodeText, parseCorpusFiles, type CorpusFile } from '../pipeline/ingest/index.ts';
import { exposeApi, transfer, type CallContext, type Endpoint } from './rpc.ts';

/** Bundles start with a JSON object naming their format within the first bytes. */
const BUNDLE_SNIFF_BYTES = 4096;

async function looksLikeBundle(file: CorpusFile): Promise<boolean> {
  const head = new TextDecoder().decode(file.bytes.subarray(0, BUNDLE_SNIFF_BYTES));
  return /^\s*\{/.test(head) && head.includes('"abstract-atlas"');
}

export const ingestApi = {
  /**
   * Parses corpus files, or opens a saved map bundle as it is (nothing to recompute). Papers come back
   * packed (`unpackPapers`), with their texts packed for the embed and map workers (`paperText`), in
   * transferred buffers, so receiving 100,000 of them does not block the page.
   */
  async parse(args: { files: CorpusFile[] }, context: CallContext) {
    const [only] = args.files;
    if (args.files.length === 1 && only && (await looksLikeBundle(only))) {
      const text = await decodeText(only.bytes);
      if (isBundle(text)) {
        const { papers, ...map } = parseBundle(text);
        const buffers: ArrayBuffer[] = [map.positions.buffer as ArrayBuffer];
        for (const level of map.clusterLevels) buffers.push(level.buffer as ArrayBuffer);
        if (map.vectors) buffers.push(map.vectors.data.buffer as ArrayBuffer);
        const packed = { papers: packPapers(papers), texts: packTexts(papers.map(paperText)) };
        buffers.push(...packedBuffers(packed.papers, packed.texts));
        return transfer({ kind: 'map' as const, map, ...packed }, buffers);
      }
    }
    const { papers, ...result } = await parseCorpusFiles(args.files, { signal: context.signal });
    const packed = { papers: packPapers(papers), texts: packTexts(papers.map(paperText)) };
    return transfer(
      { kind: 'corpus' as const, result, ...packed },
      packedBuffers(packed.papers, packed.texts),
    );
  },
};

export type IngestApi = typeof ingestApi;

exposeApi(ingestApi, self as unknown as Endpoint);
