import type { Paper } from '../pipeline/types.ts';

/**
 * Papers and texts cross worker boundaries as UTF-8 bytes, values separated by a zero byte. The
 * buffers are transferred, not copied, and the page decodes them a chunk at a time: structured cloning
 * 100,000 small objects, or even a few 100-MB strings, blocks the receiving thread for seconds.
 * UTF-8 never uses the zero byte inside a multi-byte character, so it splits values safely.
 */
const SEPARATOR = '\u0000';
const SEPARATOR_BYTE = 0;

/** `count` strings as UTF-8, separated by zero bytes. */
export interface PackedStrings {
  bytes: Uint8Array;
  count: number;
}

/**
 * Encodes value after value into one growing buffer: joining 100,000 abstracts into one string first
 * and encoding that took twice as long (the joined string must be flattened, then copied again).
 */
function pack(values: string[]): PackedStrings {
  const encoder = new TextEncoder();
  let units = values.length;
  for (const value of values) units += value.length;
  // Room for mostly ASCII text; the buffer grows when the text needs more.
  let bytes = new Uint8Array(Math.ceil(units * 1.1) + 16);
  let used = 0;
  values.forEach((value, index) => {
    if (index > 0) {
      if (used === bytes.length) bytes = grownBytes(bytes, 1);
      bytes[used++] = SEPARATOR_BYTE;
    }
    let rest = value.includes(SEPARATOR) ? value.replaceAll(SEPARATOR, '') : value;
    for (;;) {
      const { read, written } = encoder.encodeInto(rest, bytes.subarray(used));
      used += written;
      if (read === rest.length) break;
      rest = rest.slice(read);
      bytes = grownBytes(bytes, 3 * rest.length);
    }
  });
  return { bytes: bytes.subarray(0, used), count: values.length };
}

/** A copy of `bytes` with at least `more` bytes of room beyond its length, and half as much again. */
function grownBytes(bytes: Uint8Array, more: number): Uint8Array<ArrayBuffer> {
  const grown = new Uint8Array(Math.ceil((bytes.length + more) * 1.5));
  grown.set(bytes);
  return grown;
}

function unpack({ bytes, count }: PackedStrings): string[] {
  return count === 0 ? [] : new TextDecoder().decode(bytes).split(SEPARATOR);
}

/** Texts packed together, for a worker that needs all of them. */
export type PackedTexts = PackedStrings;

export const packTexts = pack;
export const unpackTexts = unpack;

export interface PackedPapers {
  count: number;
  ids: PackedStrings;
  titles: PackedStrings;
  abstracts: PackedStrings;
  /** Per paper, the optional fields as JSON, or an empty string when it has none. */
  extras: PackedStrings;
}

export function packPapers(papers: Paper[]): PackedPapers {
  return {
    count: papers.length,
    ids: pack(papers.map((p) => p.id)),
    titles: pack(papers.map((p) => p.title)),
    abstracts: pack(papers.map((p) => p.abstract)),
    extras: pack(
      papers.map(({ id: _id, title: _title, abstract: _abstract, ...extra }) =>
        Object.keys(extra).length ? JSON.stringify(extra) : '',
      ),
    ),
  };
}

/** ". " in UTF-8: what `paperText` puts between a title and its abstract. */
const TITLE_END = [0x2e, 0x20];

/**
 * The papers' texts (`paperText`: title, ". ", abstract) packed as `packTexts` packs them, byte for
 * byte, spliced from the packed titles and abstracts: encoding 100,000 abstracts a second time took
 * about 1 s of a 100,000-paper parse in Chromium; copying their bytes takes a few milliseconds.
 */
export function packPaperTexts({ count, titles, abstracts }: PackedPapers): PackedTexts {
  const bytes = new Uint8Array(
    titles.bytes.length + abstracts.bytes.length + TITLE_END.length * count,
  );
  let used = 0;
  let title = 0;
  let abstract = 0;
  for (let i = 0; i < count; i++) {
    if (i > 0) bytes[used++] = SEPARATOR_BYTE;
    const titleEnd = valueEnd(titles.bytes, title);
    bytes.set(titles.bytes.subarray(title, titleEnd), used);
    used += titleEnd - title;
    bytes.set(TITLE_END, used);
    used += TITLE_END.length;
    const abstractEnd = valueEnd(abstracts.bytes, abstract);
    bytes.set(abstracts.bytes.subarray(abstract, abstractEnd), used);
    used += abstractEnd - abstract;
    title = titleEnd + 1;
    abstract = abstractEnd + 1;
  }
  return { bytes: bytes.subarray(0, used), count };
}

/** Where the packed value starting at `start` ends: its separator, or the end of the bytes. */
function valueEnd(bytes: Uint8Array, start: number): number {
  const separator = bytes.indexOf(SEPARATOR_BYTE, start);
  return separator < 0 ? bytes.length : separator;
}

/** The buffers behind packed values, to transfer them to another thread. */
export function packedBuffers(...packed: (PackedStrings | PackedPapers)[]): ArrayBuffer[] {
  return packed.flatMap((value) =>
    'bytes' in value
      ? [value.bytes.buffer as ArrayBuffer]
      : [value.ids, value.titles, value.abstracts, value.extras].map(
          (strings) => strings.bytes.buffer as ArrayBuffer,
        ),
  );
}

/** Decodes packed values a chunk at a time, without decoding the whole buffer at once. */
class PackedReader {
  private position = 0;
  private readonly decoder = new TextDecoder();
  constructor(private readonly packed: PackedStrings) {}

  next(count: number): string[] {
    const { bytes } = this.packed;
    let cursor = this.position;
    let valuesEnd = cursor;
    for (let i = 0; i < count; i++) {
      valuesEnd = valueEnd(bytes, cursor);
      cursor = valuesEnd + 1;
    }
    const values = this.decoder.decode(bytes.subarray(this.position, valuesEnd)).split(SEPARATOR);
    this.position = cursor;
    return values;
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
    const size = Math.min(count, start + chunk) - start;
    const [chunkIds, chunkTitles, chunkAbstracts, chunkExtras] = [
      ids,
      titles,
      abstracts,
      extras,
    ].map((reader) => reader.next(size)) as [string[], string[], string[], string[]];
    for (let i = 0; i < size; i++) {
      const extra = chunkExtras[i]!;
      papers[start + i] = {
        id: chunkIds[i]!,
        title: chunkTitles[i]!,
        abstract: chunkAbstracts[i]!,
        ...(extra ? (JSON.parse(extra) as Omit<Paper, 'id' | 'title' | 'abstract'>) : {}),
      };
    }
    if (start + size < count) await pause();
  }
  return papers;
}
