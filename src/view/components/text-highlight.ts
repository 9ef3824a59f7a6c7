import { html, type TemplateResult } from 'lit';
import { splitOnTerms } from '../model/format.ts';

export { authorLine, safeHttpUrl } from '../model/format.ts';

/**
 * Text with the given terms wrapped in <mark>, built as template parts so the text is never parsed as
 * markup (corpus text is untrusted).
 */
export function highlightTerms(text: string, terms: readonly string[]): TemplateResult | string {
  const parts = splitOnTerms(text, terms);
  if (parts.length === 1) return text;
  return html`${parts.map((part, k) => (k % 2 === 1 ? html`<mark>${part}</mark>` : part))}`;
}
