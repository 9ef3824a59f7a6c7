import type { CandidatePaper } from './collect.ts';

export type PaperField =
  'id' | 'title' | 'abstract' | 'authors' | 'year' | 'url' | 'categories' | 'note';

/**
 * Column or key names recognised for each field (including the exports of Zotero, Scopus, Web of
 * Science tags such as TI/AB/AU/PY, Semantic Scholar and OpenAlex), compared lower-case with everything but letters
 * and digits removed ("Paper Title", "paper_title" → "papertitle"). Earlier names win when a file
 * has several (an "abstract" column beats a "text" column).
 */
export const FIELD_ALIASES: Record<PaperField, readonly string[]> = {
  abstract: [
    'abstract',
    'summary',
    'abstracttext',
    'abstractnote',
    'paperabstract',
    'abstractinvertedindex',
    'description',
    'text',
    'content',
    'body',
    'ab',
  ],
  title: ['title', 'papertitle', 'articletitle', 'documenttitle', 'displayname', 'name', 'ti'],
  id: [
    'id',
    'paperid',
    'arxivid',
    'docid',
    'documentid',
    'uid',
    'identifier',
    'key',
    'citationkey',
    'doi',
    'corpusid',
    'pmid',
    'ut',
  ],
  authors: [
    'authors',
    'author',
    'authornames',
    'creators',
    'creator',
    'authorsparsed',
    'au',
    'authorshipsauthordisplayname',
  ],
  year: [
    'year',
    'publicationyear',
    'pubyear',
    'date',
    'publicationdate',
    'published',
    'updatedate',
    'listdate',
    'created',
    'updated',
    'publishedat',
    'createdat',
    'py',
  ],
  url: ['url', 'link', 'href', 'absurl', 'pdfurl', 'landingpage', 'pdf'],
  categories: [
    'categories',
    'category',
    'primarycategory',
    'labels',
    'label',
    'tags',
    'tag',
    'subjects',
    'subject',
    'keywords',
    'authorkeywords',
    'manualtags',
    'automatictags',
    'topics',
    'fieldsofstudy',
    'de',
    'primarytopicdisplayname',
  ],
  note: ['note', 'notes', 'annote', 'annotation', 'n1'],
};

/** The names a reader can use for the abstract column, for error hints. */
export const ABSTRACT_NAMES = 'abstract, summary, text, description';

export function normalizeFieldName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

/**
 * Web of Science's field tags: a header naming PT (publication type) and UT (accession number) is one
 * of its exports, where ID is "Keywords Plus", not an identifier.
 */
function isWebOfScienceTags(normalized: readonly string[]): boolean {
  return normalized.includes('pt') && normalized.includes('ut');
}

/** Which of the given column names holds each field (by index into `names`). */
export function mapFields(names: readonly string[]): Partial<Record<PaperField, number>> {
  const normalized = names.map(normalizeFieldName);
  const mapping: Partial<Record<PaperField, number>> = {};
  const webOfScience = isWebOfScienceTags(normalized);
  for (const field of Object.keys(FIELD_ALIASES) as PaperField[]) {
    const aliases = webOfScience && field === 'id' ? ['ut'] : FIELD_ALIASES[field];
    for (const alias of aliases) {
      const index = normalized.indexOf(alias);
      if (index >= 0) {
        mapping[field] = index;
        break;
      }
    }
  }
  return mapping;
}

function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return value.join(' ');
  }
  return undefined;
}

const YEAR = /(?<!\d)(1[6-9]\d\d|20\d\d|2100)(?!\d)/;

export function toYear(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= 1600 && value <= 2100 ? value : undefined;
  }
  const text = asText(value);
  const match = text === undefined ? null : YEAR.exec(text);
  return match ? Number(match[1]) : undefined;
}

/** An ISO-style date's month (`2025-03`, `2025-03-14`, `2025/03/14T…`); none for a bare year. */
const YEAR_MONTH = /(?<!\d)(?:1[6-9]\d\d|20\d\d|2100)[-/.](0?[1-9]|1[0-2])(?!\d)/;

export function toMonth(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = YEAR_MONTH.exec(value);
  return match ? Number(match[1]) : undefined;
}

function authorName(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  // arXiv's authors_parsed: [last, first, suffix]
  if (Array.isArray(value) && value.every((part) => typeof part === 'string')) {
    const [last = '', first = '', suffix = ''] = value as string[];
    return [first, last, suffix].filter((part) => part.trim()).join(' ');
  }
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const name = record['name'] ?? record['fullName'] ?? record['full_name'];
    if (typeof name === 'string') return name;
    const given = record['given'] ?? record['first'] ?? record['firstName'];
    const family = record['family'] ?? record['last'] ?? record['lastName'];
    if (typeof family === 'string')
      return typeof given === 'string' ? `${given} ${family}` : family;
  }
  return undefined;
}

/** OpenAlex stores abstracts as { word: [positions] }; this puts the words back in order. */
function fromInvertedIndex(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const words: string[] = [];
  for (const [word, positions] of Object.entries(value as Record<string, unknown>)) {
    if (!Array.isArray(positions)) return undefined;
    for (const position of positions) {
      if (!Number.isInteger(position) || position < 0 || position > 100_000) return undefined;
      words[position as number] = word;
    }
  }
  return words.filter((word) => word !== undefined).join(' ');
}

/** "A. Smith, B. Jones and C. Doe", "Smith, A.; Jones, B." or a list → one name each. */
export function toAuthors(value: unknown): string[] | undefined {
  if (Array.isArray(value)) {
    const names = value.map(authorName).filter((name): name is string => !!name?.trim());
    return names.length > 0 ? names : undefined;
  }
  const text = asText(value)?.trim();
  if (!text) return undefined;
  // OpenAlex's CSV export separates list values with "|".
  const parts = text.includes('|')
    ? text.split('|')
    : text.includes(';')
      ? text.split(';')
      : text.split(/,\s*|\s+and\s+|\s*&\s*/);
  const names = parts
    .map((part) => part.replace(/^\s*and\s+/, '').trim())
    .filter(Boolean)
    .map(reorderLastFirst);
  return names.length > 0 ? names : undefined;
}

const NAME_SUFFIX = /^(?:jr|sr|ii|iii|iv|phd|md)\.?$/i;

/** "Lovelace, Ada" (Zotero, Web of Science) → "Ada Lovelace"; "Ada Lovelace, Jr." stays as it is. */
function reorderLastFirst(name: string): string {
  const parts = name.split(',').map((part) => part.trim());
  return parts.length === 2 && parts[0] && parts[1] && !NAME_SUFFIX.test(parts[1])
    ? `${parts[1]} ${parts[0]}`
    : name;
}

const CATEGORY_CODE = /^[a-z-]+(\.[A-Za-z-]+)?$/;

/** "cs.CL cs.LG", "nlp; vision", ["cs.CL"] → a list of categories. */
export function toCategories(value: unknown): string[] | undefined {
  let parts: string[];
  if (Array.isArray(value)) {
    parts = value.filter((item): item is string => typeof item === 'string');
  } else {
    const text = asText(value);
    if (!text) return undefined;
    parts = text.split(/[,;|]/);
    // arXiv lists its codes (cs.CL, hep-th) separated by spaces; a free-text label such as
    // "machine learning" keeps its spaces.
    if (parts.length === 1) {
      const words = text.trim().split(/\s+/);
      if (words.length > 1 && words.every((word) => CATEGORY_CODE.test(word) && /[.-]/.test(word)))
        parts = words;
    }
  }
  const categories = parts.map((part) => part.trim()).filter(Boolean);
  return categories.length > 0 ? categories : undefined;
}

const ARXIV_ID = /^(?:arxiv:)?((?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?\/\d{7})(?:v\d+)?)$/i;

/** A link for the paper: the file's own, else one derived from an arXiv id or a DOI. */
export function toUrl(value: unknown, id: string | undefined, doi?: unknown): string | undefined {
  const text = asText(value)?.trim();
  if (text && /^https?:\/\//i.test(text)) return text;
  if (id && /^https?:\/\//i.test(id)) return id;
  const arxiv = id ? ARXIV_ID.exec(id.trim()) : null;
  if (arxiv) return `https://arxiv.org/abs/${arxiv[1]}`;
  const doiText = asText(doi)?.trim() ?? (id && /^10\.\d{4,}\//.test(id) ? id : undefined);
  if (doiText && /^10\.\d{4,}\//.test(doiText)) return `https://doi.org/${doiText}`;
  return undefined;
}

/** A paper from a record whose values are looked up by field (CSV row, JSON object). */
export function candidateFrom(get: (field: PaperField) => unknown): CandidatePaper {
  const id = asText(get('id'))?.trim() || undefined;
  return {
    id,
    title: asText(get('title')),
    abstract: asText(get('abstract')) ?? fromInvertedIndex(get('abstract')),
    authors: toAuthors(get('authors')),
    year: toYear(get('year')),
    month: toMonth(get('year')),
    url: toUrl(get('url'), id),
    categories: toCategories(get('categories')),
    note: asText(get('note')),
  };
}
