import type { OutputBundle } from 'rolldown';
import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  contentSecurityPolicy,
  formatContentSecurityPolicy,
  inlineScriptsIn,
} from '../../scripts/vite-csp.ts';

describe('the Content-Security-Policy', () => {
  const policy = formatContentSecurityPolicy(CONTENT_SECURITY_POLICY);

  it('allows WebAssembly compilation but neither eval nor inline scripts', () => {
    expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval';");
    expect(policy).not.toContain("'unsafe-eval'");
    const scriptSrc = policy.split('; ').find((d) => d.startsWith('script-src '));
    expect(scriptSrc).not.toContain('unsafe-inline');
  });

  it('has the directives the app needs, as one header value', () => {
    for (const directive of [
      "worker-src 'self' blob:",
      "object-src 'none'",
      "base-uri 'self'",
      "connect-src 'self' https: blob: data:",
      "img-src 'self' data: blob:",
      "style-src 'self' 'unsafe-inline'",
    ]) {
      expect(policy.split('; ')).toContain(directive);
    }
    expect(policy).not.toMatch(/[\n"]/);
  });
});

describe('inlineScriptsIn', () => {
  it('finds scripts without src, whatever their type', () => {
    const html = `<head><script type="module" crossorigin src="./assets/index.js"></script>
      <script>alert(1)</script><SCRIPT type="module">import('x')</SCRIPT>
      <script type="application/ld+json">{}</script></head>`;
    expect(inlineScriptsIn(html)).toEqual([
      '<script>',
      '<SCRIPT type="module">',
      '<script type="application/ld+json">',
    ]);
  });

  it('finds none in a page that loads its code from files', () => {
    expect(
      inlineScriptsIn(
        '<script type="module" src="/a.js"></script><script defer src=b.js></script>',
      ),
    ).toEqual([]);
  });
});

describe('the contentSecurityPolicy plugin', () => {
  const plugin = contentSecurityPolicy();

  it('puts the policy first in <head> of built pages only', () => {
    expect(plugin.apply).toBe('build');
    const hook = plugin.transformIndexHtml;
    if (typeof hook !== 'object' || hook === null || !('handler' in hook))
      throw new Error('no handler');
    const result = hook.handler.call(undefined as never, '<html><head></head></html>', {
      path: '/index.html',
      filename: 'index.html',
    });
    expect(result).toMatchObject({
      tags: [
        {
          tag: 'meta',
          injectTo: 'head-prepend',
          attrs: {
            'http-equiv': 'Content-Security-Policy',
            content: formatContentSecurityPolicy(CONTENT_SECURITY_POLICY),
          },
        },
      ],
    });
  });

  function checkBundle(html: string): () => void {
    const context = {
      error: (message: string): never => {
        throw new Error(message);
      },
    };
    const bundle = {
      'index.html': { type: 'asset', fileName: 'index.html', source: html },
      'assets/index.js': { type: 'chunk', fileName: 'assets/index.js', code: '<script>' },
    } as unknown as OutputBundle;
    const hook = plugin.generateBundle;
    if (typeof hook !== 'function') throw new Error('no generateBundle');
    return () =>
      (hook as (this: typeof context, options: unknown, bundle: OutputBundle) => void).call(
        context,
        {},
        bundle,
      );
  }

  it('fails the build when a page carries an inline script', () => {
    expect(checkBundle('<head><script>console.log(1)</script></head>')).toThrow(
      /index\.html has 1 inline script\(s\) \(<script>\)/,
    );
  });

  it('passes a page whose scripts are all files', () => {
    expect(
      checkBundle('<head><script type="module" src="./assets/index.js"></script></head>'),
    ).not.toThrow();
  });
});
