import { html, type TemplateResult } from 'lit';

/**
 * Text with the given terms wrapped in <mark>, built as template parts so the text is never parsed as
 * markup (corpus text is untrusted).
 */
export function highlightTerms(text: string, terms: readonly string[]): TemplateResult | string {
  const usable = terms.filter((term) => term.length > 1);
  if (usable.length === 0) return text;
  const pattern = new RegExp(`(${usable.map(escapeRegExp).join('|')})`, 'gi');
  const parts = text.split(pattern);
  return html`${parts.map((part, k) => (k % 2 === 1 ? html`<mark>${part}</mark>` : part))}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A link target for corpus URLs: only http(s), so `javascript:` and `data:` links never render. */
export function safeHttpUrl(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

export function authorLine(authors: readonly string[] | undefined, max = 3): string {
  if (!authors || authors.length === 0) return '';
  return authors.length > max ? `${authors.slice(0, max).join(', ')} et al.` : authors.join(', ');
}
