import { describe, expect, it } from 'vitest';
import { readCorpusSource } from '../../src/app/corpus-source.ts';

describe('readCorpusSource', () => {
  it('refuses a file over the limit before reading it, naming the size and the limit', async () => {
    let read = false;
    const huge = {
      name: 'huge.csv',
      size: 300 * 1024 * 1024,
      arrayBuffer: () => {
        read = true;
        return Promise.resolve(new ArrayBuffer(0));
      },
    } as unknown as File;
    const loading = readCorpusSource(
      { kind: 'files', files: [huge] },
      { baseUrl: '/', maxBytes: 200 * 1024 * 1024 },
    );
    await expect(loading).rejects.toMatchObject({
      stage: 'load',
      code: 'file-too-large',
      message: '"huge.csv" is 300 MB, over the 200 MB limit for one corpus file.',
    });
    expect(read).toBe(false);
  });

  it('reads dropped files as bytes, named after the file', async () => {
    const file = new File(['title,abstract\nA,B\n'], 'list.csv');
    const corpus = await readCorpusSource(
      { kind: 'files', files: [file] },
      { baseUrl: '/', maxBytes: 1024 },
    );
    expect(corpus.name).toBe('list.csv');
    expect(new TextDecoder().decode(corpus.files[0]!.bytes)).toBe('title,abstract\nA,B\n');
  });
});
