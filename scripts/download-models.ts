/**
 * Downloads an embedding model from the Hugging Face hub into `models/<id>/`, in the layout
 * Transformers.js loads locally, and writes `SHA256SUMS` (sha256sum format) beside the files.
 * Large (LFS) files are checked against the hub's own sha256 where it sends one.
 *
 * Usage: npm run models [-- --model Xenova/all-MiniLM-L6-v2 --dtypes q8,fp32,fp16 --verify]
 *   --verify  checks files already downloaded against SHA256SUMS, downloading nothing.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_MODEL_ID,
  MODEL_CATALOGUE,
  TEST_MODEL_ID,
  type EmbedDtype,
} from '../src/pipeline/embed/models.ts';

const HUB = 'https://huggingface.co';
const CHECKSUM_FILE = 'SHA256SUMS';
const SHARED_FILES = [
  'config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'vocab.txt',
];
/** The weight file Transformers.js loads for each dtype. */
const WEIGHT_FILES: Record<EmbedDtype, string> = {
  fp32: 'onnx/model.onnx',
  fp16: 'onnx/model_fp16.onnx',
  q8: 'onnx/model_quantized.onnx',
};

export class DownloadError extends Error {
  override name = 'DownloadError';
}

export interface DownloadOptions {
  modelsDir: string;
  dtypes: EmbedDtype[];
  fetch?: typeof fetch;
  log?: (line: string) => void;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function networkExplanation(model: string, cause: unknown): DownloadError {
  const detail =
    cause instanceof Error
      ? `${cause.message}${cause.cause instanceof Error ? ` (${cause.cause.message})` : ''}`
      : String(cause);
  return new DownloadError(
    `Could not reach ${HUB} to download ${model}: ${detail}.\n` +
      'Check the network connection and run `npm run models` again. ' +
      'Without the model the app still works: it falls back to the lexical (TF-IDF) embedder, and ' +
      '`npm run models:test` makes a random-weight model of the same shape for tests and benchmarks.',
  );
}

/** Downloads one model's tokenizer, config and weights; returns the files written, with sha256. */
export async function downloadModel(
  model: string,
  { modelsDir, dtypes, fetch: fetchFile = fetch, log = () => {} }: DownloadOptions,
): Promise<Map<string, string>> {
  const spec = MODEL_CATALOGUE.find((candidate) => candidate.id === model);
  if (!spec || spec.id === TEST_MODEL_ID) {
    const valid = MODEL_CATALOGUE.filter((m) => m.id !== TEST_MODEL_ID).map((m) => m.id);
    throw new DownloadError(
      `There is no downloadable model called "${model}". Valid models: ${valid.join(', ')}.`,
    );
  }
  const unknown = dtypes.filter((dtype) => !spec.dtypes.includes(dtype));
  if (unknown.length > 0) {
    throw new DownloadError(
      `${model} has no ${unknown.join(', ')} weights. Valid dtypes: ${spec.dtypes.join(', ')}.`,
    );
  }
  const dir = join(modelsDir, model);
  const sums = new Map<string, string>();
  for (const file of [...SHARED_FILES, ...dtypes.map((dtype) => WEIGHT_FILES[dtype])]) {
    const url = `${HUB}/${model}/resolve/main/${file}`;
    let response: Response;
    try {
      response = await fetchFile(url);
    } catch (cause) {
      throw networkExplanation(model, cause);
    }
    if (!response.ok) {
      throw new DownloadError(
        `Downloading ${url} failed: HTTP ${response.status} ${response.statusText}.`,
      );
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    const digest = sha256(bytes);
    // The hub names an LFS file's sha256 in its linked ETag: a corrupted transfer shows here.
    const expected = (response.headers.get('x-linked-etag') ?? '').replaceAll('"', '');
    if (/^[0-9a-f]{64}$/.test(expected) && expected !== digest) {
      throw new DownloadError(`${file} arrived corrupted: sha256 ${digest}, expected ${expected}.`);
    }
    const target = join(dir, file);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(`${target}.partial`, bytes);
    renameSync(`${target}.partial`, target);
    sums.set(file, digest);
    log(`${file}  ${(bytes.length / 1e6).toFixed(1)} MB  sha256 ${digest.slice(0, 16)}…`);
  }
  writeFileSync(
    join(dir, CHECKSUM_FILE),
    [...sums].map(([file, digest]) => `${digest}  ${file}\n`).join(''),
  );
  return sums;
}

/** Checks a downloaded model against its SHA256SUMS; returns the files that do not match. */
export function verifyModel(modelDir: string): string[] {
  const sumsPath = join(modelDir, CHECKSUM_FILE);
  if (!existsSync(sumsPath)) {
    throw new DownloadError(
      `${sumsPath} is missing: download the model first with npm run models.`,
    );
  }
  const bad: string[] = [];
  for (const line of readFileSync(sumsPath, 'utf8').split('\n')) {
    const match = line.match(/^([0-9a-f]{64}) {2}(.+)$/);
    if (!match) continue;
    const path = join(modelDir, match[2]!);
    if (!existsSync(path) || sha256(readFileSync(path)) !== match[1]) bad.push(match[2]!);
  }
  return bad;
}

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const modelsDir = join(root, 'models');
  const model = option('model') ?? DEFAULT_MODEL_ID;
  if (process.argv.includes('--verify')) {
    const bad = verifyModel(join(modelsDir, model));
    if (bad.length > 0)
      throw new DownloadError(`Checksum mismatch in ${model}: ${bad.join(', ')}.`);
    console.log(`${model}: every file matches ${CHECKSUM_FILE}.`);
    return;
  }
  const dtypes = (option('dtypes') ?? 'q8,fp32,fp16').split(',') as EmbedDtype[];
  console.log(`Downloading ${model} (${dtypes.join(', ')}) into ${join(modelsDir, model)}`);
  await downloadModel(model, { modelsDir, dtypes, log: (line) => console.log(`  ${line}`) });
  console.log(`Done; checksums in ${join(modelsDir, model, CHECKSUM_FILE)}.`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof DownloadError ? error.message : error);
    process.exit(1);
  });
}
