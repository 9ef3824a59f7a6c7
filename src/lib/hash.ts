/**
 * FNV-1a over UTF-16 code units, as 8 hex digits: fast, stable across platforms, and good enough for
 * content ids and cache keys (not for security).
 */
export function hashString(text: string, seed = 0x811c9dc5): string {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** A 64-bit content hash as 16 hex digits (two FNV-1a passes with different seeds), for ids. */
export function hashText64(text: string): string {
  return hashString(text) + hashString(text, 0x9747b28c);
}
