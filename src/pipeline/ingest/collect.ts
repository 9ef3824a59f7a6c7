import { hashText64 } from '../../lib/hash.ts';
import type { Paper } from '../types.ts';
import { firstSentence, isPlaceholder, normalizeText } from './normalize.ts';

/** Why rows were dropped. Parsers add their own (e.g. 'invalid JSON line', 'malformed entry'). */
export const SKIP = {
  missingAbstract: 'missing abstract',
  duplicate: 'duplicate',
  duplicateId: 'duplicate id',
} as const;

/** Abstracts longer than this are cut: no embedding model reads further, and it keeps memory bounded. */
export const MAX_ABSTRACT_CHARS = 20_000;
export const MAX_TITLE_CHARS = 500;
export const MAX_NOTE_CHARS = 2_000;
/** Raw text read for an abstract: room for collapsed whitespace and removed characters. */
const RAW_ABSTRACT_CHARS = MAX_ABSTRACT_CHARS * 4;

/** A paper as a parser found it: raw, possibly empty fields. */
export interface CandidatePaper {
  id?: string | undefined;
  title?: string | undefined;
  abstract?: string | undefined;
  authors?: string[] | undefined;
  year?: number | undefined;
  month?: number | undefined;
  url?: string | undefined;
  categories?: string[] | undefined;
  note?: string | undefined;
}

/** Parsers are generators that yield now and then, so a worker can take in an abort message. */
export type ParseSteps = Generator<void, void, void>;

/** Where a skipped row was: its file and its row (CSV/TSV: the header is row 1). */
export interface RowPlace {
  source: string;
  row: number;
}

/** Rows named per skip reason in a warning; the rest are counted. */
const ROWS_NAMED = 5;

/** "rows 4, 9 and 12 of list.csv; row 2 of more.csv" */
export function describeRows(places: readonly RowPlace[]): string {
  const bySource = new Map<string, number[]>();
  for (const { source, row } of places)
    bySource.set(source, [...(bySource.get(source) ?? []), row]);
  return [...bySource]
    .map(
      ([source, rows]) =>
        `${rows.length === 1 ? 'row' : 'rows'} ${listOf(rows.map(String))} of ${source}`,
    )
    .join('; ');
}

/** "a", "a and b", "a, b and c" */
export function listOf(items: readonly string[]): string {
  return items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Rows between looks at the clock, and the longest stretch of work between yields. */
const ROWS_PER_CLOCK_CHECK = 256;
const YIELD_INTERVAL_MS = 16;

/**
 * Gathers papers from one or more files: normalises text, gives ids, drops rows without an abstract
 * and duplicates (same id, or same title and abstract), and counts every drop by reason.
 */
export class PaperCollector {
  readonly papers: Paper[] = [];
  readonly reasons: Record<string, number> = {};
  /** The first rows skipped for each reason, where the parser knows them. */
  private readonly skippedRows: Record<string, RowPlace[]> = {};
  derivedTitles = 0;
  truncatedAbstracts = 0;
  truncatedTitles = 0;
  truncatedNotes = 0;
  private readonly ids = new Set<string>();
  private readonly contents = new Set<string>();
  private rowsSinceCheck = 0;
  private lastYield = performance.now();

  get skippedCount(): number {
    let total = 0;
    for (const count of Object.values(this.reasons)) total += count;
    return total;
  }

  /** Puts the skip counts back as they were, so a file that failed leaves no trace in the totals. */
  restoreReasons(snapshot: Record<string, number>): void {
    for (const reason of Object.keys(this.reasons)) delete this.reasons[reason];
    Object.assign(this.reasons, snapshot);
    // The lists only ever grow at the end, so what a failed file added is past the old count.
    for (const [reason, places] of Object.entries(this.skippedRows))
      places.splice(snapshot[reason] ?? 0);
  }

  /** Counts `count` rows skipped for `reason`; `place` names the row where the parser knows it. */
  skip(reason: string, count = 1, place?: RowPlace): void {
    this.reasons[reason] = (this.reasons[reason] ?? 0) + count;
    if (!place) return;
    const places = (this.skippedRows[reason] ??= []);
    if (places.length < ROWS_NAMED) places.push(place);
  }

  /** Call once per row; true about every 16 ms of work, when the parser should yield. */
  timeToYield(): boolean {
    if (++this.rowsSinceCheck < ROWS_PER_CLOCK_CHECK) return false;
    this.rowsSinceCheck = 0;
    const now = performance.now();
    if (now - this.lastYield < YIELD_INTERVAL_MS) return false;
    this.lastYield = now;
    return true;
  }

  /** Adds a paper, or counts why it was skipped. Returns whether it was added. */
  add(candidate: CandidatePaper, source: string, row?: number): boolean {
    const place = row === undefined ? undefined : { source, row };
    // Cut before normalising so a megabyte-long "abstract" costs no more than a long one.
    const rawAbstract = candidate.abstract ?? '';
    let abstract = normalizeText(
      rawAbstract.length > RAW_ABSTRACT_CHARS
        ? rawAbstract.slice(0, RAW_ABSTRACT_CHARS)
        : rawAbstract,
    );
    if (isPlaceholder(abstract)) {
      this.skip(SKIP.missingAbstract, 1, place);
      return false;
    }
    if (abstract.length > MAX_ABSTRACT_CHARS || rawAbstract.length > RAW_ABSTRACT_CHARS) {
      abstract = abstract.slice(0, MAX_ABSTRACT_CHARS);
      this.truncatedAbstracts++;
    }
    let title = normalizeText(candidate.title ?? '');
    if (isPlaceholder(title)) {
      title = firstSentence(abstract);
      this.derivedTitles++;
    }
    if (title.length > MAX_TITLE_CHARS) {
      title = `${title.slice(0, MAX_TITLE_CHARS - 1)}…`;
      this.truncatedTitles++;
    }
    const contentKey = `${title.toLowerCase()}\n${abstract.toLowerCase()}`;
    if (this.contents.has(contentKey)) {
      this.skip(SKIP.duplicate, 1, place);
      return false;
    }
    const ownId = normalizeText(candidate.id ?? '');
    const id = ownId || hashText64(`${title}\n${abstract}`);
    if (this.ids.has(id)) {
      this.skip(SKIP.duplicateId, 1, place);
      return false;
    }
    this.contents.add(contentKey);
    this.ids.add(id);
    const paper: Paper = { id, title, abstract, source };
    const authors = candidate.authors?.map(normalizeText).filter((name) => name.length > 0);
    if (authors && authors.length > 0) paper.authors = authors;
    if (candidate.year !== undefined && Number.isInteger(candidate.year))
      paper.year = candidate.year;
    if (paper.year !== undefined && candidate.month !== undefined) paper.month = candidate.month;
    const url = candidate.url?.trim();
    if (url) paper.url = url;
    const categories = candidate.categories
      ?.map(normalizeText)
      .filter((category) => category.length > 0);
    if (categories && categories.length > 0) paper.categories = [...new Set(categories)];
    const note = normalizeText(candidate.note?.slice(0, MAX_NOTE_CHARS * 4) ?? '');
    if (note) {
      paper.note = note.slice(0, MAX_NOTE_CHARS);
      if (note.length > MAX_NOTE_CHARS) this.truncatedNotes++;
    }
    this.papers.push(paper);
    return true;
  }

  /** Skip counts as "3 missing abstract (rows 4, 9 and 12 of list.csv), 2 duplicate". */
  describeSkipped(reasons: Record<string, number> = this.reasons): string {
    return Object.entries(reasons)
      .sort((a, b) => b[1] - a[1])
      .map(([reason, count]) => {
        const places = (this.skippedRows[reason] ?? []).slice(0, count);
        const where =
          places.length === 0
            ? ''
            : ` (${places.length < count ? 'first: ' : ''}${describeRows(places)})`;
        return `${count.toLocaleString('en')} ${reason}${where}`;
      })
      .join(', ');
  }

  /** Warnings a reader should see about what was changed or dropped. */
  summaryWarnings(): string[] {
    const warnings: string[] = [];
    const skipped = this.skippedCount;
    if (skipped > 0) {
      warnings.push(
        `${plural(skipped, 'row was', 'rows were')} skipped: ${this.describeSkipped()}.`,
      );
    }
    if (this.derivedTitles > 0) {
      warnings.push(
        `${plural(this.derivedTitles, 'paper has', 'papers have')} no title; the first sentence of the abstract stands in.`,
      );
    }
    if (this.truncatedAbstracts > 0) {
      warnings.push(
        `${plural(this.truncatedAbstracts, 'abstract was', 'abstracts were')} longer than ${MAX_ABSTRACT_CHARS.toLocaleString('en')} characters and cut to that length.`,
      );
    }
    if (this.truncatedTitles > 0) {
      warnings.push(
        `${plural(this.truncatedTitles, 'title was', 'titles were')} longer than ${MAX_TITLE_CHARS} characters and cut.`,
      );
    }
    if (this.truncatedNotes > 0) {
      warnings.push(
        `${plural(this.truncatedNotes, 'note was', 'notes were')} longer than ${MAX_NOTE_CHARS.toLocaleString('en')} characters and cut.`,
      );
    }
    return warnings;
  }
}

export function plural(count: number, singular: string, pluralForm: string): string {
  return `${count.toLocaleString('en')} ${count === 1 ? singular : pluralForm}`;
}
