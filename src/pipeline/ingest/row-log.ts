import { plural, type CandidatePaper, type PaperCollector } from './collect.ts';

/** Row numbers named per reason in a warning; the count covers the rest. */
const ROWS_NAMED = 5;

/**
 * Adds a parser's records to the collector and remembers, per reason, the first few record numbers
 * it dropped, so the reader's warning says which records to look at ("missing abstract: records 2,
 * 5"), not only how many.
 */
export class SkippedRowLog {
  private readonly rows = new Map<string, number[]>();
  private readonly counts = new Map<string, number>();
  /** The collector's skip counts as last seen, to tell which reason a dropped record went to. */
  private readonly seen: Record<string, number>;

  constructor(
    private readonly collector: PaperCollector,
    private readonly fileName: string,
    /** What one record is called in messages: "record", "row". */
    private readonly unit: string,
  ) {
    this.seen = { ...collector.reasons };
  }

  /** Adds record number `row` (1-based); when the collector drops it, notes why. */
  add(candidate: CandidatePaper, row: number): boolean {
    if (this.collector.add(candidate, this.fileName)) return true;
    const reasons = this.collector.reasons;
    const reason = Object.keys(reasons).find((key) => reasons[key] !== this.seen[key]);
    if (reason !== undefined) {
      this.seen[reason] = reasons[reason]!;
      this.note(reason, row);
    }
    return false;
  }

  /** Skips record number `row` for a reason of the parser's own. */
  skip(reason: string, row: number): void {
    this.collector.skip(reason);
    this.seen[reason] = this.collector.reasons[reason]!;
    this.note(reason, row);
  }

  /** One warning naming every reason with its first record numbers, or undefined when none was dropped. */
  warning(): string | undefined {
    if (this.counts.size === 0) return undefined;
    let total = 0;
    const parts: string[] = [];
    for (const [reason, count] of [...this.counts].sort((a, b) => b[1] - a[1])) {
      total += count;
      const rows = this.rows.get(reason) ?? [];
      const more = count > rows.length ? ', …' : '';
      parts.push(
        `${count.toLocaleString('en')} ${reason} (${rows.length === 1 ? this.unit : `${this.unit}s`} ${rows.join(', ')}${more})`,
      );
    }
    return `${this.fileName}: ${plural(total, `${this.unit} was`, `${this.unit}s were`)} skipped: ${parts.join('; ')}.`;
  }

  private note(reason: string, row: number): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
    let rows = this.rows.get(reason);
    if (!rows) this.rows.set(reason, (rows = []));
    if (rows.length < ROWS_NAMED) rows.push(row);
  }
}
