/// <reference lib="webworker" />
import { packedBuffers, packPapers, packTexts } from '../lib/packed-papers.ts';
import { paperText } from '../pipeline/types.ts';
import { mapBuffers } from '../pipeline/atlas-map.ts';
import { isBundleBytes, parseBundle } from '../pipeline/bundle.ts';
import { decodeText, parseCorpusFiles, type CorpusFile } from '../pipeline/ingest/index.ts';
import { exposeApi, transfer, type CallContext, type Endpoint } from './rpc.ts';

export const ingestApi = {
  /**
   * Parses corpus files, or opens a saved map bundle as it is (nothing to recompute). Papers come back
   * packed (`unpackPapers`), with their texts packed for the embed and map workers (`paperText`), in
   * transferred buffers, so receiving 100,000 of them does not block the page.
   */
  async parse(args: { files: CorpusFile[] }, context: CallContext) {
    const [only] = args.files;
    if (args.files.length === 1 && only && isBundleBytes(only.bytes)) {
      const { papers, ...map } = parseBundle(await decodeText(only.bytes));
      const packed = { papers: packPapers(papers), texts: packTexts(papers.map(paperText)) };
      return transfer({ kind: 'map' as const, map, ...packed }, [
        ...mapBuffers(map),
        ...packedBuffers(packed.papers, packed.texts),
      ]);
    }
    const { papers, ...result } = await parseCorpusFiles(args.files, {
      signal: context.signal,
      onProgress: context.progress,
    });
    const packed = { papers: packPapers(papers), texts: packTexts(papers.map(paperText)) };
    return transfer(
      { kind: 'corpus' as const, result, ...packed },
      packedBuffers(packed.papers, packed.texts),
    );
  },
};

export type IngestApi = typeof ingestApi;

exposeApi(ingestApi, self as unknown as Endpoint);
