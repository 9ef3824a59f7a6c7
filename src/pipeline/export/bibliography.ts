import type { Paper } from '../types.ts';

/** A paper to write out, with the reader's note on it (a reading-list note, or the file's own). */
export interface BibliographyEntry {
  paper: Paper;
  note?: string | undefined;
}

/** The note written for an entry: the reader's own, else the one the paper came with. */
export function entryNote(entry: BibliographyEntry): string {
  return (entry.note?.trim() || entry.paper.note || '').replace(/\s+/g, ' ').trim();
}

/** Identifiers a link carries: an arXiv id or a DOI, written as their own fields. */
export function linkIdentifiers(url: string | undefined): { arxiv?: string; doi?: string } {
  if (!url) return {};
  const arxiv = /^https?:\/\/(?:www\.)?arxiv\.org\/abs\/([^?#\s]+?)\/?$/i.exec(url);
  if (arxiv) return { arxiv: arxiv[1]! };
  const doi = /^https?:\/\/(?:dx\.)?doi\.org\/(10\.\d{4,}\/\S+)$/i.exec(url);
  if (doi) return { doi: doi[1]! };
  return {};
}
