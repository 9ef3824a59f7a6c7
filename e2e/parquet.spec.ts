import { expect, test } from '@playwright/test';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { dropFile } from './drop.ts';
import { BUNDLED_PAPER_COUNT, openBundledMap } from './bundled.ts';

const TOPICS = ['protein folding', 'galaxy clusters', 'dependency grammar', 'policy gradient'];

/** A Parquet table of `rows` papers (title, abstract), as pandas or `datasets` would write it. */
function parquetPapers(rows: number): Uint8Array {
  const text = (name: string) =>
    ({ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' }) as const;
  const index = Array.from({ length: rows }, (_, i) => i);
  const topic = (i: number) => TOPICS[i % TOPICS.length]!;
  return new Uint8Array(
    parquetWriteBuffer({
      schema: [{ name: 'root', num_children: 2 }, text('title'), text('abstract')],
      columnData: [
        { name: 'title', data: index.map((i) => `${topic(i)} study ${i}`) },
        {
          name: 'abstract',
          data: index.map(
            (i) => `We examine ${topic(i)} in case ${i}; results on ${topic(i)} improve.`,
          ),
        },
      ],
    }),
  );
}

/**
 * A four-row Parquet file with one damaged byte in its first data page header, on which hyparquet
 * 1.33 loops forever: the byte after `num_values` is swallowed into it, so the page header ends early,
 * its level lengths are missing, and the level decoder reads at offset NaN without ever advancing.
 */
function parquetThatHangsTheDecoder(): number[] {
  const bytes = parquetPapers(4);
  // The v2 data page header's start: struct field 8, then num_values = 4 and num_nulls = 0.
  const header = [0x5c, 0x15, 0x08, 0x15, 0x00];
  const at = bytes.findIndex((_, i) => header.every((byte, k) => bytes[i + k] === byte));
  expect(at, 'the data page header of the generated file').toBeGreaterThan(0);
  bytes[at + 2]! |= 0x80;
  return [...bytes];
}

function csvPapers(rows: number): string {
  const lines = ['id,title,abstract'];
  for (let i = 0; i < rows; i++) {
    lines.push(
      `c${i},"${TOPICS[i % 4]} note ${i}","A note on ${TOPICS[i % 4]}, case ${i}, with results."`,
    );
  }
  return lines.join('\n');
}

test('a dropped Parquet table is mapped in the browser', async ({ page }) => {
  await openBundledMap(page);
  await dropFile(page, { name: 'train.parquet', content: [...parquetPapers(60)] }, 'new');
  const app = page.locator('atlas-app');
  await expect(app).toHaveAttribute('doc-count', '60', { timeout: 90_000 });
  await expect(app).toHaveAttribute('status', 'ready');
  await expect(page.locator('atlas-explorer')).toHaveAttribute('points', '60');
});

test('a Parquet file that hangs its decoder is stopped and named; the file beside it is mapped', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await openBundledMap(page);
  await dropFile(
    page,
    [
      { name: 'damaged.parquet', content: parquetThatHangsTheDecoder() },
      { name: 'notes.csv', content: csvPapers(40), type: 'text/csv' },
    ],
    'new',
  );
  const app = page.locator('atlas-app');
  await expect(app).toHaveAttribute('doc-count', '40', { timeout: 90_000 });
  await expect(page.getByRole('list', { name: 'Notices' })).toContainText(
    /damaged\.parquet was not loaded: damaged\.parquet could not be read: its parser made no progress for 20 s/,
  );
});

test('a lone Parquet file that hangs its decoder gets a message, and the current map stays', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await openBundledMap(page);
  await dropFile(page, { name: 'damaged.parquet', content: parquetThatHangsTheDecoder() }, 'new');
  const app = page.locator('atlas-app');
  await expect(app).toHaveAttribute('status', 'error', { timeout: 60_000 });
  await expect(page.getByRole('alert')).toContainText(
    /damaged\.parquet could not be read: its parser made no progress/,
  );
  await expect(app).toHaveAttribute('doc-count', String(BUNDLED_PAPER_COUNT));
  await expect(page.locator('atlas-explorer')).toHaveAttribute(
    'points',
    String(BUNDLED_PAPER_COUNT),
  );
});
