import {
  parquetMetadata,
  parquetReadObjects,
  parquetSchema,
  type Compressors,
  type FileMetaData,
} from 'hyparquet';
import {
  decompressGzip,
  decompressLz4,
  decompressLz4Raw,
  decompressZstd,
} from 'hyparquet-compressors';
import { AtlasError, throwIfCancelled } from '../../lib/errors.ts';
import type { PaperCollector } from './collect.ts';
import type { FileReporter } from './progress.ts';
import { ABSTRACT_NAMES, candidateFrom, mapFields, type PaperField } from './fields.ts';
import { SkippedRowLog } from './row-log.ts';

export interface ParquetContext {
  fileName: string;
  collector: PaperCollector;
  warnings: string[];
}

const MAGIC = [0x50, 0x41, 0x52, 0x31]; // "PAR1"

/**
 * Codecs beyond hyparquet's own (uncompressed, Snappy): pandas and pyarrow write Snappy by default,
 * Polars and DuckDB Zstandard, Spark Snappy or gzip. Brotli, which these rarely write, would add
 * 90 kB (minified) to the ingest worker; such a file is refused with a message naming the codec.
 */
const COMPRESSORS: Compressors = {
  GZIP: decompressGzip,
  ZSTD: (input, outputLength) => decompressZstd(input, new Uint8Array(outputLength)),
  LZ4: decompressLz4,
  LZ4_RAW: decompressLz4Raw,
};
const READABLE_CODECS = new Set(['UNCOMPRESSED', 'SNAPPY', ...Object.keys(COMPRESSORS)]);

/** Rows read at a time: bounds the row objects alive at once, and lets an abort in between. */
const ROWS_PER_BATCH = 8_192;

/** Parquet files begin (and end) with the bytes "PAR1". */
export function isParquet(bytes: Uint8Array): boolean {
  return MAGIC.every((byte, i) => bytes[i] === byte);
}

function corrupt(fileName: string, cause: unknown): AtlasError {
  const reason = cause instanceof Error ? cause.message.replace(/^parquet /, '') : String(cause);
  return new AtlasError(
    'parse',
    'parquet-corrupt',
    `${fileName} is a Parquet file that cannot be read: ${reason}.`,
    {
      hint: 'It may be cut off: download or copy it again, or save the table again (e.g. with pandas: df.to_parquet(path)).',
      cause,
    },
  );
}

/** The file's metadata and its top-level column names, or an AtlasError saying why they cannot be read. */
function readMetadata(
  bytes: Uint8Array,
  fileName: string,
): { metadata: FileMetaData; columnNames: string[]; codecs: Set<string> } {
  const footer = bytes.subarray(bytes.length - 4);
  if (bytes.length < 12 || !isParquet(footer)) {
    throw new AtlasError(
      'parse',
      'parquet-truncated',
      `${fileName} starts like a Parquet file but does not end like one: it was probably not fully downloaded.`,
      { hint: 'Download or copy the file again.' },
    );
  }
  let metadata: FileMetaData;
  let columnNames: unknown[];
  let codecs: Set<string>;
  try {
    metadata = parquetMetadata(bytes);
    columnNames = parquetSchema(metadata).children.map((child) => child.element.name);
    codecs = new Set(
      metadata.row_groups.flatMap((group) =>
        group.columns.map((column) => column.meta_data?.codec ?? 'UNCOMPRESSED'),
      ),
    );
  } catch (error) {
    throw corrupt(fileName, error);
  }
  if (!columnNames.every((name): name is string => typeof name === 'string')) {
    throw corrupt(fileName, new Error('its schema has columns without names'));
  }
  return { metadata, columnNames, codecs };
}

/** The number of rows, when the file's total agrees with its row groups' (a damaged footer may not). */
function checkedRowCount(metadata: FileMetaData, fileName: string): number {
  const total = Number(metadata.num_rows);
  let sum = 0;
  for (const group of metadata.row_groups) sum += Number(group.num_rows);
  if (!Number.isSafeInteger(total) || total < 0 || total !== sum) {
    throw corrupt(
      fileName,
      new Error(`it claims ${metadata.num_rows} rows but its row groups hold ${sum}`),
    );
  }
  return total;
}

/**
 * Hugging Face `datasets` writes its features into the file's metadata (key "huggingface"); a
 * ClassLabel column stores numbers whose names are listed there, and the map shows the names.
 */
function classLabelNames(metadata: FileMetaData): Map<string, string[]> {
  const names = new Map<string, string[]>();
  const entry = metadata.key_value_metadata?.find((item) => item.key === 'huggingface');
  if (!entry?.value) return names;
  try {
    const info = JSON.parse(entry.value) as { info?: { features?: Record<string, unknown> } };
    for (const [column, feature] of Object.entries(info.info?.features ?? {})) {
      const record = feature as { _type?: unknown; names?: unknown };
      if (
        record._type === 'ClassLabel' &&
        Array.isArray(record.names) &&
        record.names.every((name) => typeof name === 'string')
      ) {
        names.set(column, record.names as string[]);
      }
    }
  } catch {
    // Metadata that is not JSON only costs the label names; the numbers are still read.
  }
  return names;
}

/** A Parquet value as the field readers take it: numbers for 64-bit integers, ISO text for dates. */
function plainValue(value: unknown, labels: string[] | undefined): unknown {
  if (typeof value === 'bigint') value = Number(value);
  if (labels && typeof value === 'number') return labels[value] ?? value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (value instanceof Uint8Array) return undefined;
  if (Array.isArray(value)) return value.map((item) => plainValue(item, undefined));
  return value;
}

/**
 * Parquet (Hugging Face datasets, pandas, Polars, DuckDB exports): columns are found by name like
 * CSV headers (`title`, `abstract`/`summary`/`text`, `authors`, `categories`, `label`…); only those
 * columns are read, a batch of rows at a time. Lists become lists, 64-bit integers and dates become
 * numbers and years, and Hugging Face ClassLabel numbers become their names. Rows without an
 * abstract are skipped and named by number.
 */
export async function parseParquet(
  bytes: Uint8Array,
  context: ParquetContext,
  options: { signal?: AbortSignal | undefined; progress?: FileReporter } = {},
): Promise<void> {
  const { signal, progress } = options;
  const { fileName, collector, warnings } = context;
  const { metadata, columnNames, codecs } = readMetadata(bytes, fileName);
  const columns = mapFields(columnNames);
  if (columns.abstract === undefined) {
    throw new AtlasError(
      'parse',
      'missing-abstract-column',
      `${fileName} has no abstract column. Columns found: ${columnNames
        .slice(0, 20)
        .map((name) => `"${name}"`)
        .join(', ')}${columnNames.length > 20 ? ` and ${columnNames.length - 20} more` : ''}.`,
      { hint: `Name the column that holds the abstracts one of: ${ABSTRACT_NAMES} (any case).` },
    );
  }
  const unreadable = [...codecs].filter((codec) => !READABLE_CODECS.has(codec));
  if (unreadable.length > 0) {
    throw new AtlasError(
      'parse',
      'parquet-codec',
      `${fileName} is compressed with ${unreadable.join(', ')}, which this app cannot decompress.`,
      {
        hint: 'Save it again with Snappy, gzip or Zstandard compression (e.g. with pandas: df.to_parquet(path, compression="snappy")).',
      },
    );
  }
  if (columns.title === undefined) {
    warnings.push(
      `${fileName} has no title column; the first sentence of each abstract stands in as its title.`,
    );
  }

  const wanted = Object.entries(columns) as [PaperField, number][];
  const labels = classLabelNames(metadata);
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const log = new SkippedRowLog(collector, fileName, 'row');
  const rowCount = checkedRowCount(metadata, fileName);
  for (let start = 0; start < rowCount; start += ROWS_PER_BATCH) {
    throwIfCancelled(signal);
    progress?.report(start, rowCount, `Reading ${fileName}: ${rowCount.toLocaleString('en')} rows`);
    let rows: Record<string, unknown>[];
    try {
      rows = await parquetReadObjects({
        file: file as ArrayBuffer,
        metadata,
        columns: wanted.map(([, index]) => columnNames[index]!),
        rowStart: start,
        rowEnd: Math.min(rowCount, start + ROWS_PER_BATCH),
        compressors: COMPRESSORS,
      });
    } catch (error) {
      throw corrupt(fileName, error);
    }
    if (rows.length === 0)
      throw corrupt(fileName, new Error(`its data ends before row ${start + 1}`));
    rows.forEach((row, k) => {
      const get = (field: PaperField): unknown => {
        const index = columns[field];
        if (index === undefined) return undefined;
        const name = columnNames[index]!;
        return plainValue(row[name], labels.get(name));
      };
      log.add(candidateFrom(get), start + k + 1);
    });
    // A macrotask between batches lets the worker take in an abort message.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const skipped = log.warning();
  if (skipped) warnings.push(skipped);
}
