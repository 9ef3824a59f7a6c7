import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, papersToCsv } from '../../../src/view/model/csv.ts';
import { syntheticMap } from '../../../src/view/synthetic/synthetic-map.ts';

describe('selection CSV export', () => {
  const map = syntheticMap({ count: 20, seed: 5, vectorDim: 0 });
  map.papers[1] = {
    ...map.papers[1]!,
    title: 'Commas, "quotes" and\nnew lines',
    abstract: '=HYPERLINK("http://evil.example")',
    authors: ['+Plus', '@At'],
  };

  it('quotes commas, quotes and line breaks so the rows parse back', () => {
    const csv = papersToCsv(map, [1, 2]);
    const parsed = Papa.parse<string[]>(csv, { skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data[0]).toEqual([...CSV_COLUMNS]);
    expect(parsed.data).toHaveLength(3);
    const row = parsed.data[1]!;
    expect(row[1]).toBe('Commas, "quotes" and\nnew lines');
    expect(row[0]).toBe(map.papers[1]!.id);
    expect(Number(row[8])).toBe(map.positions[2]);
  });

  it('neutralises spreadsheet formulas in text but keeps numbers', () => {
    const row = Papa.parse<string[]>(papersToCsv(map, [1]), { skipEmptyLines: true }).data[1]!;
    expect(row[10]).toBe(`'=HYPERLINK("http://evil.example")`);
    expect(row[2]).toBe(`'+Plus; @At`);
    map.positions[2] = -1.5;
    const again = Papa.parse<string[]>(papersToCsv(map, [1]), { skipEmptyLines: true }).data[1]!;
    expect(again[8]).toBe('-1.5');
  });

  it('writes the header alone for an empty selection', () => {
    const parsed = Papa.parse<string[]>(papersToCsv(map, []), { skipEmptyLines: true });
    expect(parsed.data).toEqual([[...CSV_COLUMNS]]);
  });
});
