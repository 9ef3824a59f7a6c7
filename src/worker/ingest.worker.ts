/// <reference lib="webworker" />
import { parseCorpusFiles, type CorpusFile } from '../pipeline/ingest/index.ts';
import { exposeApi, type CallContext, type Endpoint } from './rpc.ts';

export const ingestApi = {
  async parse(args: { files: CorpusFile[] }, context: CallContext) {
    return parseCorpusFiles(args.files, { signal: context.signal });
  },
};

export type IngestApi = typeof ingestApi;

exposeApi(ingestApi, self as unknown as Endpoint);
