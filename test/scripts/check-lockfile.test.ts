import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockfileDrift, packageDifference } from '../../scripts/check-lockfile.ts';

const root = join(import.meta.dirname, '..', '..');
const lockText = readFileSync(join(root, 'package-lock.json'), 'utf8');

describe('the lockfile', () => {
  it("lists every platform's native rollup packages", () => {
    const packages = Object.keys(
      (JSON.parse(lockText) as { packages: Record<string, unknown> }).packages,
    );
    for (const name of ['darwin-arm64', 'darwin-x64', 'win32-x64-msvc', 'linux-arm64-gnu'])
      expect(packages).toContain(`node_modules/@rollup/rollup-${name}`);
  });

  it('names the packages two lockfiles differ in', () => {
    const lock = (names: string[]) =>
      JSON.stringify({ packages: Object.fromEntries(names.map((name) => [name, {}])) });
    expect(packageDifference(lock(['', 'node_modules/a']), lock(['', 'node_modules/b']))).toEqual({
      added: ['node_modules/b'],
      removed: ['node_modules/a'],
    });
  });

  it('catches a lockfile written on one platform: npm puts the other platforms back', () => {
    const copy = mkdtempSync(join(tmpdir(), 'atlas-lock-test-'));
    try {
      for (const file of ['package.json', '.npmrc']) cpSync(join(root, file), join(copy, file));
      const lock = JSON.parse(lockText) as { packages: Record<string, unknown> };
      delete lock.packages['node_modules/@rollup/rollup-darwin-arm64'];
      delete lock.packages['node_modules/@rollup/rollup-win32-x64-msvc'];
      writeFileSync(join(copy, 'package-lock.json'), JSON.stringify(lock, null, 2) + '\n');
      const drift = lockfileDrift(copy);
      expect(drift.changed).toBe(true);
      expect(drift.added).toEqual([
        'node_modules/@rollup/rollup-darwin-arm64',
        'node_modules/@rollup/rollup-win32-x64-msvc',
      ]);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
