/** Small DOM-free formatting and safety helpers for the view. */

/** Formats seconds as "12 s", "3 min 05 s" or "1 h 02 min"; empty for unknown values. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
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

/** "A, B, C" or "A, B, C et al." past `max` names. */
export function authorLine(authors: readonly string[] | undefined, max = 3): string {
  if (!authors || authors.length === 0) return '';
  return authors.length > max ? `${authors.slice(0, max).join(', ')} et al.` : authors.join(', ');
}

/** The text split around case-insensitive occurrences of the terms: odd parts are matches. */
export function splitOnTerms(text: string, terms: readonly string[]): string[] {
  const usable = terms.filter((term) => term.length > 1);
  if (usable.length === 0) return [text];
  const pattern = new RegExp(`(${usable.map(escapeRegExp).join('|')})`, 'gi');
  return text.split(pattern);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
