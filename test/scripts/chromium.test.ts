import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { missingBrowserMessage } from '../../scripts/chromium.ts';

const PLAYWRIGHT_CHROMIUM = '/home/reader/.cache/ms-playwright/chromium-1/chrome-linux64/chrome';

function lookup(present: string[], chromiumPath?: string) {
  return {
    chromiumPath,
    playwrightChromium: PLAYWRIGHT_CHROMIUM,
    exists: (path: string) => present.includes(path),
  };
}

describe('missingBrowserMessage', () => {
  it("is quiet when Debian's Chromium or Playwright's own is there", () => {
    expect(missingBrowserMessage(lookup(['/usr/bin/chromium']))).toBeUndefined();
    expect(missingBrowserMessage(lookup([PLAYWRIGHT_CHROMIUM]))).toBeUndefined();
  });

  it('says how to get a browser when there is none', () => {
    const message = missingBrowserMessage(lookup([]));
    expect(message).toContain('The end-to-end tests need Chromium, and none was found');
    expect(message).toContain('apt-get install chromium');
    expect(message).toContain('npx playwright install chromium');
    expect(message).toContain(PLAYWRIGHT_CHROMIUM);
  });

  it('follows CHROMIUM_PATH, and says when it points at nothing', () => {
    expect(missingBrowserMessage(lookup(['/opt/chrome'], '/opt/chrome'))).toBeUndefined();
    // CHROMIUM_PATH wins: a system Chromium does not hide a wrong setting.
    expect(missingBrowserMessage(lookup(['/usr/bin/chromium'], '/opt/missing'))).toBe(
      'CHROMIUM_PATH is set to /opt/missing, but there is no file there. Point it at a Chromium or Chrome executable, or unset it.',
    );
  });
});

describe('npm run test:e2e without a browser', () => {
  it('stops before Playwright with the one message, and fails', () => {
    const run = spawnSync('npm', ['run', '--silent', 'test:e2e'], {
      cwd: new URL('../..', import.meta.url).pathname,
      env: { ...process.env, CHROMIUM_PATH: '/nonexistent/chromium' },
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(
      'CHROMIUM_PATH is set to /nonexistent/chromium, but there is no file there. Point it at a Chromium or Chrome executable, or unset it.',
    );
    expect(run.stdout).not.toMatch(/Running \d+ tests?|playwright/i);
  });
});
