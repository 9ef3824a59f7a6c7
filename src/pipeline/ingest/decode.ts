import { concatBytes } from '../../lib/bytes.ts';
import { AtlasError, throwIfCancelled } from '../../lib/errors.ts';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
  /** Whether the bytes were gzip-compressed. */
  gzipped: boolean;
  /** Whether a byte-order mark was found (and removed). */
  bom: boolean;
  /** Invalid UTF-8 sequences replaced by U+FFFD in text that is otherwise UTF-8. */
  replacedSequences?: number;
}

export interface DecodeOptions {
  /** Largest size of the decompressed bytes; larger gzip content is refused while it inflates. */
  maxBytes?: number;
  signal?: AbortSignal | undefined;
  /** Used in messages. */
  fileName?: string;
  /** Called after each inflated chunk, e.g. to report that a long gunzip is still going. */
  onChunk?: () => void;
}

/** File types people drop by mistake, known by their first bytes, with what to do instead. */
const BINARY_SIGNATURES: { bytes: number[]; kind: string; hint: string }[] = [
  { bytes: [0x89, 0x50, 0x4e, 0x47], kind: 'a PNG image', hint: 'Choose a text file.' },
  { bytes: [0xff, 0xd8, 0xff], kind: 'a JPEG image', hint: 'Choose a text file.' },
  { bytes: [0x47, 0x49, 0x46, 0x38], kind: 'a GIF image', hint: 'Choose a text file.' },
  {
    bytes: [0x25, 0x50, 0x44, 0x46],
    kind: 'a PDF document',
    hint: 'Export the titles and abstracts as CSV, JSON or BibTeX (e.g. from Zotero or the arXiv API).',
  },
  {
    bytes: [0x50, 0x4b, 0x03, 0x04],
    kind: 'a ZIP archive (or an Excel/Word file)',
    hint: 'Unzip it, or save spreadsheets as CSV.',
  },
  {
    bytes: [0x37, 0x7a, 0xbc, 0xaf],
    kind: 'a 7-Zip archive',
    hint: 'Extract it, or recompress with gzip.',
  },
  { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a], kind: 'an XZ archive', hint: 'Recompress with gzip.' },
  { bytes: [0x42, 0x5a, 0x68], kind: 'a bzip2 archive', hint: 'Recompress with gzip.' },
  { bytes: [0x28, 0xb5, 0x2f, 0xfd], kind: 'a Zstandard archive', hint: 'Recompress with gzip.' },
  {
    bytes: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65],
    kind: 'an SQLite database',
    hint: 'Export the table as CSV.',
  },
  {
    // Plain Parquet is read before text decoding; a gzip-compressed one ends up here.
    bytes: [0x50, 0x41, 0x52, 0x31],
    kind: 'a Parquet file',
    hint: 'Parquet is read as it is, not gzip-compressed: decompress it first.',
  },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], kind: 'a program (ELF)', hint: 'Choose a text file.' },
];

/** Windows-1252 differs from Latin-1 only in 0x80–0x9F; written out because Node's decoder treats both as Latin-1. */
const WINDOWS_1252_HIGH =
  '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F' +
  '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return signature.every((byte, i) => bytes[i] === byte);
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** A size for messages: "512 bytes", "2.0 KB", "200 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

async function gunzip(bytes: Uint8Array, options: DecodeOptions): Promise<Uint8Array> {
  const name = options.fileName ?? 'The file';
  const maxBytes = options.maxBytes ?? Infinity;
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream('gzip'));
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel();
        throw new AtlasError(
          'parse',
          'too-large',
          `${name} unpacks to more than ${formatBytes(maxBytes)}, the largest corpus this app reads.`,
          { hint: 'Split the corpus into smaller files, or keep fewer papers.' },
        );
      }
      chunks.push(value);
      options.onChunk?.();
      throwIfCancelled(options.signal);
    }
  } catch (error) {
    if (error instanceof AtlasError || (error instanceof Error && error.name === 'AbortError')) {
      throw error;
    }
    const message = error instanceof Error ? error.message : String(error);
    const truncated = /end|truncat|incomplete/i.test(message);
    throw new AtlasError(
      'parse',
      truncated ? 'gzip-truncated' : 'gzip-corrupt',
      truncated
        ? `${name} is a gzip file that ends early (cut off after ${formatBytes(total)} of text): it was probably not fully downloaded.`
        : `${name} looks like a gzip file but cannot be decompressed: ${message}`,
      {
        hint: 'Download or copy the file again, or decompress it yourself and load the plain file.',
        cause: error,
      },
    );
  }
  return concatBytes(chunks, total);
}

/** UTF-16 without a byte-order mark shows up as a zero byte beside most ASCII characters. */
function guessUtf16WithoutBom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const sample = Math.min(bytes.length, 8192) & ~1;
  if (sample < 4) return undefined;
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < sample; i += 2) {
    if (bytes[i] === 0) zeroEven++;
    if (bytes[i + 1] === 0) zeroOdd++;
  }
  const pairs = sample / 2;
  if (zeroOdd > pairs * 0.3 && zeroEven < pairs * 0.05) return 'utf-16le';
  if (zeroEven > pairs * 0.3 && zeroOdd < pairs * 0.05) return 'utf-16be';
  return undefined;
}

function decodeUtf16(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): string {
  if (encoding === 'utf-16le') return new TextDecoder('utf-16le').decode(bytes);
  // Swapping to little-endian avoids depending on the runtime's optional UTF-16BE decoder.
  const swapped = new Uint8Array(bytes.length & ~1);
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    swapped[i] = bytes[i + 1]!;
    swapped[i + 1] = bytes[i]!;
  }
  return new TextDecoder('utf-16le').decode(swapped);
}

function decodeWindows1252(bytes: Uint8Array): string {
  const parts: string[] = [];
  const CHUNK = 8192;
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const end = Math.min(bytes.length, start + CHUNK);
    const codes = new Array<string>(end - start);
    for (let i = start; i < end; i++) {
      const byte = bytes[i]!;
      codes[i - start] =
        byte >= 0x80 && byte <= 0x9f ? WINDOWS_1252_HIGH[byte - 0x80]! : String.fromCharCode(byte);
    }
    parts.push(codes.join(''));
  }
  return parts.join('');
}

/** Text that is mostly control characters is a binary file read as text. */
function looksBinary(text: string): boolean {
  const sample = Math.min(text.length, 65_536);
  let control = 0;
  for (let i = 0; i < sample; i++) {
    const code = text.charCodeAt(i);
    if (code === 0) return true;
    if ((code < 32 && code !== 9 && code !== 10 && code !== 13 && code !== 12) || code === 0xfffd) {
      control++;
    }
  }
  return control > Math.max(8, sample * 0.02);
}

/**
 * Turns file bytes into text: gzip (magic 1f 8b) is decompressed first; then UTF-8 (BOM removed),
 * UTF-16 LE/BE by BOM or by its zero bytes, and Windows-1252 when the bytes are not valid UTF-8.
 * Known binary formats and other non-text bytes are refused with an AtlasError.
 */
export async function decodeBytes(
  input: Uint8Array,
  options: DecodeOptions = {},
): Promise<DecodedText> {
  const name = options.fileName ?? 'The file';
  const gzipped = isGzip(input);
  const bytes = gzipped ? await gunzip(input, options) : input;
  for (const signature of BINARY_SIGNATURES) {
    if (startsWith(bytes, signature.bytes)) {
      throw new AtlasError('parse', 'not-text', `${name} is ${signature.kind}, not a text file.`, {
        hint: `${signature.hint} Supported: CSV, TSV, JSON, JSONL, BibTeX, RIS, Parquet, plain text (text optionally gzip-compressed).`,
      });
    }
  }
  let decoded: DecodedText;
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) {
    decoded = { text: decodeUtf8Lenient(bytes.subarray(3)), encoding: 'utf-8', gzipped, bom: true };
  } else if (startsWith(bytes, [0xff, 0xfe])) {
    decoded = {
      text: decodeUtf16(bytes.subarray(2), 'utf-16le'),
      encoding: 'utf-16le',
      gzipped,
      bom: true,
    };
  } else if (startsWith(bytes, [0xfe, 0xff])) {
    decoded = {
      text: decodeUtf16(bytes.subarray(2), 'utf-16be'),
      encoding: 'utf-16be',
      gzipped,
      bom: true,
    };
  } else {
    const utf16 = guessUtf16WithoutBom(bytes);
    if (utf16) {
      decoded = { text: decodeUtf16(bytes, utf16), encoding: utf16, gzipped, bom: false };
    } else {
      try {
        const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
        decoded = { text, encoding: 'utf-8', gzipped, bom: false };
      } catch {
        decoded = decodeInvalidUtf8(bytes, gzipped);
      }
    }
  }
  if (looksBinary(decoded.text)) {
    throw new AtlasError(
      'parse',
      'not-text',
      `${name} does not contain text (it looks like binary data).`,
      {
        hint: 'Supported: CSV, TSV, JSON, JSONL, BibTeX, RIS, plain text (UTF-8, UTF-16 or Windows-1252; optionally gzip-compressed) and Parquet.',
      },
    );
  }
  return decoded;
}

/**
 * Bytes that are not valid UTF-8 are Windows-1252, unless they also hold valid multi-byte UTF-8
 * characters: then it is UTF-8 with a few damaged bytes, and re-reading it all as Windows-1252
 * would garble every accent to fix a handful.
 */
function decodeInvalidUtf8(bytes: Uint8Array, gzipped: boolean): DecodedText {
  const lenient = decodeUtf8Lenient(bytes);
  let replaced = 0;
  let validNonAscii = 0;
  for (let i = 0; i < lenient.length; i++) {
    const code = lenient.charCodeAt(i);
    if (code === 0xfffd) replaced++;
    else if (code > 0x7f) validNonAscii++;
  }
  if (validNonAscii > replaced) {
    return { text: lenient, encoding: 'utf-8', gzipped, bom: false, replacedSequences: replaced };
  }
  return { text: decodeWindows1252(bytes), encoding: 'windows-1252', gzipped, bom: false };
}

function decodeUtf8Lenient(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
}

/** The text of a file's bytes; see `decodeBytes` for the encodings understood. */
export async function decodeText(bytes: Uint8Array): Promise<string> {
  return (await decodeBytes(bytes)).text;
}
