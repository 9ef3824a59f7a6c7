import { bibtexToText } from '../ingest/bibtex.ts';
import { entryNote, linkIdentifiers, type BibliographyEntry } from './bibliography.ts';
import { citationKeys } from './citation-key.ts';

/**
 * Whether a value can stand between braces: they balance the way a BibTeX reader counts them (a
 * backslash escapes the next character), and no final backslash escapes the closing brace.
 */
function bracesBalance(text: string): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '\\') {
      if (++i === text.length) return false;
    } else if (char === '{') depth++;
    else if (char === '}' && --depth < 0) return false;
  }
  return depth === 0;
}

/**
 * LaTeX kept as written: math (`$…$`) untouched, and outside it only the characters BibTeX would
 * read differently escaped (`&%#_`, `~`, and `--`, which would become a dash).
 */
function latexPreserving(text: string): string {
  return text
    .split(/(?<!\\)(\$[^$]*\$)/)
    .map((part, k) =>
      k % 2 === 1
        ? part
        : part
            .replace(/(?<!\\)([&%#_])/g, '\\$1')
            .replace(/(?<!\\)~/g, '\\textasciitilde{}')
            .replace(/-(?=-)/g, '-{}'),
    )
    .join('');
}

/** Every special character escaped: what any text becomes when its LaTeX cannot be kept as is. */
function fullyEscaped(text: string): string {
  return text.replace(/[\\{}$&%#_~^]|-(?=-)/g, (char) => {
    switch (char) {
      case '\\':
        return '\\textbackslash{}';
      case '~':
        return '\\textasciitilde{}';
      case '^':
        return '\\textasciicircum{}';
      case '-':
        return '-{}';
      default:
        return `\\${char}`;
    }
  });
}

/**
 * A field value that a BibTeX reader gives back as `text`: LaTeX kept where that reads back the same
 * (abstracts with `$x^2$` stay LaTeX), every special character escaped where it would not.
 */
export function bibtexValue(text: string): string {
  const kept = latexPreserving(text);
  if (bracesBalance(kept) && bibtexToText(kept) === text) return kept;
  return fullyEscaped(text);
}

/** "First Last" → "Last, First"; "First Last, Jr." → "Last, Jr., First"; one-word and corporate names braced. */
export function bibtexName(name: string): string {
  if (/\sand\s/i.test(name) || name.trim().toLowerCase() === 'others') {
    return `{${bibtexValue(name)}}`;
  }
  const [main = '', ...suffixes] = name.split(',').map((part) => part.trim());
  const words = main.split(/\s+/).filter(Boolean);
  if (words.length <= 1 || suffixes.length > 1) return `{${bibtexValue(name)}}`;
  const family = words.pop()!;
  const given = words.join(' ');
  const parts = [family, ...suffixes, given].map(bibtexValue);
  return parts.join(', ');
}

/** A URL as BibTeX's url field takes it (raw, not LaTeX): only braces, which would end the value, are encoded. */
function bibtexUrl(url: string): string {
  return url.replace(/\{/g, '%7B').replace(/\}/g, '%7D');
}

/**
 * BibTeX for a list of papers: one `@misc` entry each (the type reference managers accept for papers
 * of any venue), keyed by a stable citation key, with the abstract, keywords (the paper's categories),
 * the link (and the arXiv id or DOI it carries) and the note as `annote`.
 */
export function toBibtex(entries: readonly BibliographyEntry[]): string {
  const keys = citationKeys(entries.map((entry) => entry.paper));
  return entries
    .map((entry, i) => {
      const { paper } = entry;
      const fields: [string, string][] = [['title', bibtexValue(paper.title)]];
      if (paper.authors?.length) {
        fields.push(['author', paper.authors.map(bibtexName).join(' and ')]);
      }
      if (paper.year !== undefined) fields.push(['year', String(paper.year)]);
      if (paper.url) {
        fields.push(['url', bibtexUrl(paper.url)]);
        const { arxiv, doi } = linkIdentifiers(paper.url);
        if (arxiv) fields.push(['eprint', bibtexUrl(arxiv)], ['archiveprefix', 'arXiv']);
        if (doi) fields.push(['doi', bibtexUrl(doi)]);
      }
      if (paper.categories?.length) {
        fields.push(['keywords', paper.categories.map(bibtexValue).join(', ')]);
      }
      fields.push(['abstract', bibtexValue(paper.abstract)]);
      const note = entryNote(entry);
      if (note) fields.push(['annote', bibtexValue(note)]);
      const body = fields.map(([name, value]) => `  ${name} = {${value}},`).join('\n');
      return `@misc{${keys[i]},\n${body}\n}\n`;
    })
    .join('\n');
}
