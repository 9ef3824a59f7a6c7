import { expect } from 'vitest';
import { AtlasError } from '../../../src/lib/errors.ts';
import type { CorpusFile } from '../../../src/pipeline/ingest/index.ts';

const encoder = new TextEncoder();

export function textFile(name: string, text: string): CorpusFile {
  return { name, bytes: encoder.encode(text) };
}

/** An abstract long enough to read as one, different for each seed word. */
export function abstractAbout(topic: string): string {
  return `We study ${topic} in depth. Our method improves ${topic} on three public benchmarks by a wide margin, and we release code and data so that others can build on ${topic} research.`;
}

/** Awaits a rejection and checks it is an AtlasError of stage 'parse' with the given code. */
export async function expectParseError(
  promise: Promise<unknown>,
  code: string,
  message?: RegExp,
): Promise<AtlasError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AtlasError);
  const atlasError = error as AtlasError;
  expect(atlasError.stage).toBe('parse');
  expect(atlasError.code).toBe(code);
  if (message) expect(atlasError.message).toMatch(message);
  return atlasError;
}
