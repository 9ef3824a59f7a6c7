import type { Paper } from '../pipeline/types.ts';

/**
 * Papers and texts cross worker boundaries packed into a few long strings: one large string is copied
 * in one go, where structured cloning 100,000 small objects blocks the receiving thread for seconds.
 */
const SEPARATOR = '\u0000';

export interface PackedPapers {
  count: number;
  ids: string;
  titles: string;
  abstracts: string;
  /** Per paper, the optional fields as JSON, or an empty string when it has none. */
  extras: string;
}

function join(values: string[]): string {
  return values.map((value) => value.replaceAll(SEPARATOR, '')).join(SEPARATOR);
}

function split(packed: string, count: number): string[] {
  return count === 0 ? [] : packed.split(SEPARATOR);
}

/** Texts packed into one string, for a worker that needs all of them. */
export interface PackedTexts {
  packed: string;
  count: number;
}

export function packTexts(texts: string[]): PackedTexts {
  return { packed: join(texts), count: texts.length };
}

export function unpackTexts({ packed, count }: PackedTexts): string[] {
  return split(packed, count);
}

export function packPapers(papers: Paper[]): PackedPapers {
  return {
    count: papers.length,
    ids: join(papers.map((p) => p.id)),
    titles: join(papers.map((p) => p.title)),
    abstracts: join(papers.map((p) => p.abstract)),
    extras: join(
      papers.map(({ id: _id, title: _title, abstract: _abstract, ...extra }) =>
        Object.keys(extra).length ? JSON.stringify(extra) : '',
      ),
    ),
  };
}

/** Reads the packed values one after another, without splitting the whole string at once. */
class PackedReader {
  private position = 0;
  constructor(private readonly packed: string) {}

  next(): string {
    const end = this.packed.indexOf(SEPARATOR, this.position);
    const value = this.packed.slice(this.position, end < 0 ? undefined : end);
    this.position = end < 0 ? this.packed.length : end + 1;
    return value;
  }
}

/** Rebuilds the papers, `chunk` at a time, awaiting `pause()` between chunks so a page stays responsive. */
export async function unpackPapers(
  packed: PackedPapers,
  pause: () => Promise<void> = () => Promise.resolve(),
  chunk = 2000,
): Promise<Paper[]> {
  const { count } = packed;
  const ids = new PackedReader(packed.ids);
  const titles = new PackedReader(packed.titles);
  const abstracts = new PackedReader(packed.abstracts);
  const extras = new PackedReader(packed.extras);
  const papers: Paper[] = new Array(count);
  for (let start = 0; start < count; start += chunk) {
    const end = Math.min(count, start + chunk);
    for (let i = start; i < end; i++) {
      const extra = extras.next();
      papers[i] = {
        id: ids.next(),
        title: titles.next(),
        abstract: abstracts.next(),
        ...(extra ? (JSON.parse(extra) as Omit<Paper, 'id' | 'title' | 'abstract'>) : {}),
      };
    }
    if (end < count) await pause();
  }
  return papers;
}
