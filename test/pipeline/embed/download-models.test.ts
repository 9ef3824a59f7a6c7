import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DownloadError, downloadModel, verifyModel } from '../../../scripts/download-models.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-models-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A hub that serves each file as its own path's bytes, with the LFS sha256 header on weights. */
function fakeHub(corrupt = false): typeof fetch {
  return (async (input: string | URL | Request) => {
    const url = String(input);
    const body = new TextEncoder().encode(`contents of ${url}`);
    const headers = new Headers();
    if (url.endsWith('.onnx')) {
      const digest = createHash('sha256').update(body).digest('hex');
      headers.set('x-linked-etag', `"${corrupt ? digest.replace(/^./, 'f') : digest}"`);
    }
    return new Response(body, { status: 200, headers });
  }) as typeof fetch;
}

describe('download-models', () => {
  it('explains plainly that the hub cannot be reached when there is no network', async () => {
    const offline = (async () => {
      throw new TypeError('fetch failed', {
        cause: new Error('getaddrinfo ENOTFOUND huggingface.co'),
      });
    }) as typeof fetch;
    const attempt = downloadModel('Xenova/all-MiniLM-L6-v2', {
      modelsDir: tempDir(),
      dtypes: ['q8'],
      fetch: offline,
    });
    await expect(attempt).rejects.toBeInstanceOf(DownloadError);
    await expect(attempt).rejects.toThrow(
      /Could not reach https:\/\/huggingface.co to download Xenova\/all-MiniLM-L6-v2: fetch failed \(getaddrinfo ENOTFOUND huggingface.co\)[\s\S]*npm run models/,
    );
  });

  it('writes the Transformers.js layout with a SHA256SUMS file that verifies', async () => {
    const modelsDir = tempDir();
    const sums = await downloadModel('Xenova/all-MiniLM-L6-v2', {
      modelsDir,
      dtypes: ['q8', 'fp32'],
      fetch: fakeHub(),
    });
    expect([...sums.keys()]).toContain('onnx/model_quantized.onnx');
    expect([...sums.keys()]).toContain('tokenizer.json');
    const dir = join(modelsDir, 'Xenova/all-MiniLM-L6-v2');
    expect(readFileSync(join(dir, 'SHA256SUMS'), 'utf8')).toMatch(
      /^[0-9a-f]{64} {2}config\.json$/m,
    );
    expect(verifyModel(dir)).toEqual([]);
    writeFileSync(join(dir, 'vocab.txt'), 'tampered');
    expect(verifyModel(dir)).toEqual(['vocab.txt']);
  });

  it('rejects a weight file whose sha256 differs from the hub’s', async () => {
    await expect(
      downloadModel('Xenova/gte-small', {
        modelsDir: tempDir(),
        dtypes: ['fp32'],
        fetch: fakeHub(true),
      }),
    ).rejects.toThrow(/model\.onnx arrived corrupted/);
  });

  it('names the valid models and dtypes', async () => {
    const options = { modelsDir: tempDir(), dtypes: ['q8' as const], fetch: fakeHub() };
    await expect(downloadModel('nope/model', options)).rejects.toThrow(
      /Valid models: Xenova\/all-MiniLM-L6-v2/,
    );
    await expect(
      downloadModel('Xenova/all-MiniLM-L6-v2', { ...options, dtypes: ['int4' as never] }),
    ).rejects.toThrow(/Valid dtypes: fp32, fp16, q8/);
  });
});
