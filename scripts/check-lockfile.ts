/**
 * Fails when `npm install` would change package-lock.json: the lockfile must list what an install
 * resolves on every platform (rollup's native packages for macOS and Windows, for one, which npm
 * leaves out of a lockfile written on Linux), or `npm ci` elsewhere installs something else, or fails.
 *
 * `npm ci` cannot tell (it installs from the lockfile and never writes it), nor can `git diff` after it.
 * So npm resolves the dependencies afresh into a copy of the lockfile, without installing anything,
 * and the copy must come back unchanged.
 *
 *   npm run check:lockfile
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Lockfile {
  packages?: Record<string, unknown>;
}

export interface LockfileDrift {
  /** Whether npm rewrote the lockfile at all. */
  changed: boolean;
  /** Package paths (`node_modules/…`) npm added, and those it dropped. */
  added: string[];
  removed: string[];
}

/** The packages one lockfile lists and the other does not. */
export function packageDifference(before: string, after: string): Omit<LockfileDrift, 'changed'> {
  const listed = (text: string) =>
    new Set(Object.keys((JSON.parse(text) as Lockfile).packages ?? {}));
  const old = listed(before);
  const fresh = listed(after);
  return {
    added: [...fresh].filter((name) => !old.has(name)).sort(),
    removed: [...old].filter((name) => !fresh.has(name)).sort(),
  };
}

/** What `npm install` would do to the lockfile in `root`, found in a scratch copy. */
export function lockfileDrift(root: string): LockfileDrift {
  const scratch = mkdtempSync(join(tmpdir(), 'atlas-lockfile-'));
  try {
    for (const file of ['package.json', 'package-lock.json', '.npmrc']) {
      if (existsSync(join(root, file))) copyFileSync(join(root, file), join(scratch, file));
    }
    execFileSync(
      'npm',
      [
        'install',
        '--package-lock-only',
        '--ignore-scripts',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
      ],
      { cwd: scratch, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const before = readFileSync(join(root, 'package-lock.json'), 'utf8');
    const after = readFileSync(join(scratch, 'package-lock.json'), 'utf8');
    return { changed: before !== after, ...packageDifference(before, after) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = join(fileURLToPath(import.meta.url), '..', '..');
  const drift = lockfileDrift(root);
  if (drift.changed) {
    const lines = [
      'package-lock.json is not what `npm install` makes of package.json: an install would change it.',
      ...drift.added.map((name) => `  missing: ${name}`),
      ...drift.removed.map((name) => `  extra:   ${name}`),
      'Run `npm install --package-lock-only --ignore-scripts` and commit package-lock.json.',
    ];
    console.error(lines.join('\n'));
    process.exit(1);
  }
  console.info('package-lock.json: an install would leave it as it is.');
}
