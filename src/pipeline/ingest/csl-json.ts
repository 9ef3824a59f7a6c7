import type { CandidatePaper } from './collect.ts';
import { toCategories, toUrl, toYear } from './fields.ts';

type JsonRecord = Record<string, unknown>;

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function isCslName(value: unknown): boolean {
  return isRecord(value) && ('family' in value || 'literal' in value);
}

/**
 * Whether a JSON object is a CSL-JSON item (Zotero's and Mendeley's "CSL JSON" export, pandoc,
 * citation.js, Crossref): a `type` plus CSL's own keys (`issued`, `container-title`,
 * `citation-key`) or names given as { family, given }.
 */
export function isCslItem(row: JsonRecord): boolean {
  if (typeof row['type'] !== 'string') return false;
  if ('issued' in row || 'container-title' in row || 'citation-key' in row) return true;
  const authors = row['author'] ?? row['editor'];
  return Array.isArray(authors) && authors.some(isCslName);
}

/** A CSL name: { given, non-dropping-particle, family, suffix } or { literal }. */
function cslName(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!isRecord(value)) return undefined;
  const literal = text(value['literal']);
  if (literal) return literal;
  const parts = [
    value['given'],
    value['dropping-particle'],
    value['non-dropping-particle'],
    value['family'],
  ]
    .map(text)
    .filter((part): part is string => !!part?.trim());
  const suffix = text(value['suffix']);
  const name = parts.join(' ');
  return suffix && name ? `${name}, ${suffix}` : name || undefined;
}

/** CSL dates: { "date-parts": [[2020, 5, 1]] }, { raw: "2020-05-01" } or { literal: "Spring 2020" }. */
function cslYear(value: unknown): number | undefined {
  if (!isRecord(value)) return toYear(value);
  const parts = value['date-parts'];
  if (Array.isArray(parts) && Array.isArray(parts[0])) {
    const year = toYear(Number(parts[0][0]));
    if (year !== undefined) return year;
  }
  return toYear(value['raw'] ?? value['literal'] ?? value['season']);
}

/** A paper from a CSL-JSON item. */
export function cslCandidate(row: JsonRecord): CandidatePaper {
  const id = text(row['id'])?.trim() || text(row['citation-key'])?.trim() || undefined;
  const names = Array.isArray(row['author'])
    ? row['author']
    : Array.isArray(row['editor'])
      ? row['editor']
      : [];
  const authors = names.map(cslName).filter((name): name is string => !!name);
  const date = row['issued'] ?? row['published-print'] ?? row['published-online'];
  return {
    id,
    title: text(row['title']),
    abstract: text(row['abstract']),
    authors: authors.length > 0 ? authors : undefined,
    year: cslYear(date),
    // Zotero's ids are links to the item in its library, not to the paper.
    url: toUrl(row['URL'], id && !/^https?:\/\//i.test(id) ? id : undefined, row['DOI']),
    categories: toCategories(row['keyword'] ?? row['categories']),
    note: text(row['note']),
  };
}
