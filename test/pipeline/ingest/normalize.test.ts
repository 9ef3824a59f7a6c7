import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../src/lib/random.ts';
import { isPlaceholder, normalizeText } from '../../../src/pipeline/ingest/normalize.ts';

/** Strings over an alphabet of the characters the shortcuts look at: spaces, tabs, dots, non-ASCII. */
function randomTexts(count: number, seed: number): string[] {
  const alphabet = [
    'a',
    'B',
    ' ',
    ' ',
    '\t',
    '\n',
    '.',
    'é',
    'e\u0301',
    '\u200B',
    '\u00A0',
    '~',
    'N/A',
  ];
  const random = createRandom(seed);
  return Array.from({ length: count }, () =>
    Array.from(
      { length: Math.floor(random() * 8) },
      () => alphabet[Math.floor(random() * alphabet.length)],
    ).join(''),
  );
}

describe('normalizeText', () => {
  it('returns what the full normalisation gives, whether or not its shortcut skips it', () => {
    const full = (text: string) =>
      text
        .normalize('NFC')
        .replace(/[\u200B\u2060\uFEFF\u00AD\u180E]/g, '')
        .replace(/\s+/g, ' ')
        .trim();
    for (const text of randomTexts(5000, 1))
      expect(normalizeText(text), JSON.stringify(text)).toBe(full(text));
  });
});

describe('isPlaceholder', () => {
  it('knows placeholders whatever their case and trailing dots and spaces, and nothing longer', () => {
    for (const text of ['N/A', 'n/a.', 'None ', 'NULL...', '[No abstract available].', '', '  .. '])
      expect(isPlaceholder(text), text).toBe(true);
    for (const text of ['n/a n/a', 'Nonetheless', `N/A ${'x'.repeat(2000)}`, 'a.'])
      expect(isPlaceholder(text), text).toBe(false);
    const reference = (text: string) =>
      ['', 'n/a', 'none', 'null', 'na', 'nan', '-', '--', '?'].includes(
        text.toLowerCase().replace(/[.\s]+$/, ''),
      );
    for (const text of randomTexts(5000, 2))
      expect(isPlaceholder(text), JSON.stringify(text)).toBe(reference(text));
  });
});
