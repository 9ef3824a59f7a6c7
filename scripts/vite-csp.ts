import type { Plugin } from 'vite';

/**
 * The Content-Security-Policy of the built site. No inline scripts and no `eval`: `'wasm-unsafe-eval'`
 * only allows WebAssembly compilation, which ONNX Runtime needs. `https:` in `connect-src` lets
 * `?corpus=` links fetch from other hosts and Transformers.js reach the Hugging Face hub.
 */
export const CONTENT_SECURITY_POLICY: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'self'"],
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  'worker-src': ["'self'", 'blob:'],
  'connect-src': ["'self'", 'https:', 'blob:', 'data:'],
  'img-src': ["'self'", 'data:', 'blob:'],
  'style-src': ["'self'", "'unsafe-inline'"],
  'font-src': ["'self'", 'data:'],
  'manifest-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
};

/** `directives` as one policy string, in the order given. */
export function formatContentSecurityPolicy(
  directives: Readonly<Record<string, readonly string[]>>,
): string {
  return Object.entries(directives)
    .map(([name, sources]) => [name, ...sources].join(' '))
    .join('; ');
}

/** The opening tags of `<script>` elements in `html` that carry code inline (no `src`), which the policy blocks. */
export function inlineScriptsIn(html: string): string[] {
  const openingTags = html.match(/<script\b[^>]*>/gi) ?? [];
  return openingTags.filter((tag) => !/\ssrc\s*=/i.test(tag));
}

/**
 * Puts the policy into every built HTML page as `<meta http-equiv="Content-Security-Policy">`, first in
 * `<head>` so it covers everything after it, and fails the build if a page carries an inline script.
 * Builds only: the dev server's hot reload needs what the policy forbids.
 */
export function contentSecurityPolicy(
  directives: Readonly<Record<string, readonly string[]>> = CONTENT_SECURITY_POLICY,
): Plugin {
  const policy = formatContentSecurityPolicy(directives);
  return {
    name: 'abstract-atlas:content-security-policy',
    apply: 'build',
    enforce: 'post',
    transformIndexHtml: {
      order: 'post',
      handler: (html) => ({
        html,
        tags: [
          {
            tag: 'meta',
            attrs: { 'http-equiv': 'Content-Security-Policy', content: policy },
            injectTo: 'head-prepend',
          },
        ],
      }),
    },
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'asset' || !file.fileName.endsWith('.html')) continue;
        const inline = inlineScriptsIn(String(file.source));
        if (inline.length > 0) {
          this.error(
            `${file.fileName} has ${inline.length} inline script(s) (${inline.join(', ')}), which the ` +
              'Content-Security-Policy blocks. Load the code from a file (<script type="module" src="…">) instead.',
          );
        }
      }
    },
  };
}
