import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, test } from '@playwright/test';
import { parseBundle } from '../src/pipeline/bundle.ts';
import { startStaticServer, type StaticServer } from '../scripts/static-server.ts';
import { COMPUTING_STAGES, recordStatuses, waitForServiceWorkerIsolation } from './built-site.ts';

/**
 * A copy of the checkout as a fresh clone of it would be: the files git tracks or would track (the
 * working changes included, everything ignored left out: no bundle, no dist, no cache), with
 * node_modules hard-linked in as `npm install` would have filled it.
 */
function cleanCopyOfCheckout(): string {
  const copy = mkdtempSync(join(tmpdir(), 'atlas-clean-'));
  const listed = execFileSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    {
      encoding: 'utf8',
    },
  );
  for (const file of listed.split('\0')) {
    if (!file || !existsSync(file)) continue;
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(file, join(copy, file));
  }
  execFileSync('cp', ['-al', 'node_modules', join(copy, 'node_modules')]);
  // Caches a fresh install does not have (this checkout's bundle stamp among them).
  for (const cache of ['.cache', '.vite', '.vite-temp'])
    rmSync(join(copy, 'node_modules', cache), { recursive: true, force: true });
  return copy;
}

test.describe('a fresh clone, built as the README says', () => {
  let copy: string;
  let server: StaticServer | undefined;

  test.afterAll(async () => {
    await server?.close();
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  test('`npm run build` ships the precomputed map, and the site opens on it with nothing computed', async ({
    page,
  }) => {
    test.setTimeout(600_000);
    copy = cleanCopyOfCheckout();
    expect(existsSync(join(copy, 'public', 'corpus', 'bundle.atlas.json'))).toBe(false);

    const output = execFileSync('npm', ['run', 'build'], {
      cwd: copy,
      encoding: 'utf8',
      // The README's plain command: no base path set, so the site works under any path.
      env: Object.fromEntries(
        Object.entries(process.env).filter(([name]) => name !== 'ATLAS_BASE'),
      ),
    });
    expect(output).toContain('Bundled map: building');
    const bundleFile = join(copy, 'dist', 'corpus', 'bundle.atlas.json');
    expect(existsSync(bundleFile)).toBe(true);
    expect(parseBundle(readFileSync(bundleFile, 'utf8')).papers).toHaveLength(172);

    server = await startStaticServer({ root: join(copy, 'dist'), base: '/any/path/', port: 0 });
    const statuses = await recordStatuses(page);
    await page.goto(server.url);
    await waitForServiceWorkerIsolation(page);
    const app = page.locator('atlas-app');
    await expect(app).toHaveAttribute('status', 'ready');
    await expect(app).toHaveAttribute('doc-count', '172');
    expect(statuses).toContain('ready');
    expect(statuses.filter((status) => COMPUTING_STAGES.includes(status))).toEqual([]);
  });
});
