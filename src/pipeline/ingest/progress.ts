import type { ProgressCallback } from '../types.ts';

/** How often a running parse reports that it is still going (see `ParseOptions.onProgress`). */
const HEARTBEAT_MS = 1_000;

/** A reporter for one file's parse: every call reports; `beat` reports once a heartbeat is due. */
export function fileReporter(fileName: string, onProgress: ProgressCallback | undefined) {
  let last = 0;
  const report = (done = 0, total = 0, message = `Reading ${fileName}`) => {
    last = performance.now();
    onProgress?.({ stage: 'parsing', done, total, message, file: fileName });
  };
  return {
    report,
    beat: () => {
      if (performance.now() - last >= HEARTBEAT_MS) report();
    },
  };
}
export type FileReporter = ReturnType<typeof fileReporter>;
