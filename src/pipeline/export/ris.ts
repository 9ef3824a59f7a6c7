import { entryNote, linkIdentifiers, type BibliographyEntry } from './bibliography.ts';
import { citationKeys } from './citation-key.ts';

/** "First Last" → "Last, First"; "First Last, Jr." → "Last, First, Jr."; one-word names as they are. */
export function risName(name: string): string {
  const [main = '', ...suffixes] = name.split(',').map((part) => part.trim());
  const words = main.split(/\s+/).filter(Boolean);
  if (words.length <= 1 || suffixes.length > 1) return name;
  const family = words.pop()!;
  return [family, words.join(' '), ...suffixes].join(', ');
}

/** One line's value: RIS has no escapes, so line breaks become spaces. */
function line(tag: string, value: string): string {
  return `${tag}  - ${value.replace(/\s+/g, ' ').trim()}`;
}

/**
 * RIS for a list of papers (Zotero, Mendeley and EndNote read it): a `JOUR` record each with title,
 * one `AU` per author, year, abstract, link and DOI, one `KW` per category, the note as `N1`, and the
 * stable citation key as `ID`. Lines end in CRLF, as the format's specification asks.
 */
export function toRis(entries: readonly BibliographyEntry[]): string {
  const keys = citationKeys(entries.map((entry) => entry.paper));
  const lines: string[] = [];
  entries.forEach((entry, i) => {
    const { paper } = entry;
    lines.push(line('TY', 'JOUR'), line('ID', keys[i]!), line('TI', paper.title));
    for (const author of paper.authors ?? []) lines.push(line('AU', risName(author)));
    if (paper.year !== undefined) lines.push(line('PY', String(paper.year)));
    lines.push(line('AB', paper.abstract));
    if (paper.url) {
      lines.push(line('UR', paper.url));
      const { doi } = linkIdentifiers(paper.url);
      if (doi) lines.push(line('DO', doi));
    }
    for (const category of paper.categories ?? []) lines.push(line('KW', category));
    const note = entryNote(entry);
    if (note) lines.push(line('N1', note));
    lines.push('ER  - ', '');
  });
  return lines.join('\r\n');
}
