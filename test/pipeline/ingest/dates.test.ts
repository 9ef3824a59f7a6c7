import { describe, expect, it } from 'vitest';
import { toMonth, toYear } from '../../../src/pipeline/ingest/fields.ts';
import { parseCorpus } from '../../../src/pipeline/ingest/index.ts';

describe('dates', () => {
  it('reads the month of ISO-style dates and none of a bare year', () => {
    expect(toMonth('2025-03-18')).toBe(3);
    expect(toMonth('2025-3')).toBe(3);
    expect(toMonth('2024/11/02T10:00:00Z')).toBe(11);
    expect(toMonth('2025')).toBeUndefined();
    expect(toMonth('2025-13-01')).toBeUndefined();
    expect(toMonth(2025)).toBeUndefined();
    expect(toYear('2025-03-18')).toBe(2025);
  });

  it('keeps the month of a CSV date column', async () => {
    const csv = [
      'title,abstract,date',
      '"A paper","An abstract long enough to be kept as an abstract of a paper.",2024-07-09',
      '"B paper","Another abstract long enough to be kept as an abstract of a paper.",2023',
    ].join('\n');
    const { papers } = await parseCorpus({
      name: 'dated.csv',
      bytes: new TextEncoder().encode(csv),
    });
    expect(papers.map((p) => [p.year, p.month])).toEqual([
      [2024, 7],
      [2023, undefined],
    ]);
  });
});
