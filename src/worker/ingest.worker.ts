/// <reference lib="webworker" />
import { packedBuffers, packPapers, packPaperTexts } from '../lib/packed-papers.ts';
import { mapBuffers } from '../pipeline/atlas-map.ts';
import type { Paper } from '../pipeline/types.ts';
import { isBundleBytes, parseBundle } from '../pipeline/bundle.ts';
import { decodeText, parseCorpusFiles, type CorpusFile } from '../pipeline/ingest/index.ts';
import { exposeApi, transfer, type CallContext, type Endpoint } from './rpc.ts';

/** Papers packed for the page, and their texts (`paperText`) for the embed and map workers. */
function packPapersAndTexts(papers: Paper[]) {
  const packedPapers = packPapers(papers);
  return { papers: packedPapers, texts: packPaperTexts(packedPapers) };
}

export const ingestApi = {
  /**
   * Parses corpus files, or opens a saved map bundle as it is (nothing to recompute). Papers come back
   * packed (`unpackPapers`), with their texts packed for the embed and map workers (`paperText`), in
   * transferred buffers, so receiving 100,000 of them does not block the page. With `labelTexts`, a
   * corpus's texts come twice, the copy for the map worker's label index (copied here: copying 100 MB
   * on the page blocked it for half a second).
   */
  async parse(args: { files: CorpusFile[]; labelTexts?: boolean }, context: CallContext) {
    const [only] = args.files;
    if (args.files.length === 1 && only && isBundleBytes(only.bytes)) {
      const { papers, ...map } = parseBundle(await decodeText(only.bytes));
      const packed = packPapersAndTexts(papers);
      return transfer({ kind: 'map' as const, map, ...packed }, [
        ...mapBuffers(map),
        ...packedBuffers(packed.papers, packed.texts),
      ]);
    }
    const { papers, ...result } = await parseCorpusFiles(args.files, {
      signal: context.signal,
      onProgress: context.progress,
    });
    const packed = packPapersAndTexts(papers);
    const labelTexts = args.labelTexts
      ? { ...packed.texts, bytes: packed.texts.bytes.slice() }
      : undefined;
    return transfer(
      { kind: 'corpus' as const, result, ...packed, ...(labelTexts ? { labelTexts } : {}) },
      packedBuffers(packed.papers, packed.texts, ...(labelTexts ? [labelTexts] : [])),
    );
  },
};

export type IngestApi = typeof ingestApi;

exposeApi(ingestApi, self as unknown as Endpoint);
