import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createGunzip } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseCorpus } from '../../../src/pipeline/ingest/index.ts';
import { abstractAbout, textFile } from './helpers.ts';

/** The shared 115k-paper file lies beside every checkout as ../shared (see shared/README.md). */
const sharedArxiv = fileURLToPath(
  new URL('../../../../shared/corpus/arxiv-2025-2026.jsonl.gz', import.meta.url),
);

async function firstLines(path: string, count: number): Promise<string[]> {
  const stream = createReadStream(path).pipe(createGunzip());
  const lines: string[] = [];
  const reader = createInterface({ input: stream, crlfDelay: Infinity });
  for await (const line of reader) {
    lines.push(line);
    if (lines.length === count) break;
  }
  reader.close();
  stream.destroy();
  return lines;
}

describe('the shared arXiv line format', () => {
  it('reads id, title, abstract, primary_category, categories and list_date (fixture in code)', async () => {
    const row = (id: string, topic: string) =>
      JSON.stringify({
        id,
        title: `On ${topic}`,
        abstract: abstractAbout(topic),
        primary_category: 'cs.CL',
        archive: 'cs',
        categories: ['cs.CL', 'cs.LG'],
        list_date: '2025-03-18',
        source_repo: 'someone/daily-arxiv',
        source_commit: 'b4c542b7d61bff39f8b999b45b43f62b2bb94f75',
        source_path: 'data/2025-03-18.jsonl',
      });
    const text = [
      row('2503.11677', 'vision'),
      row('2503.11685', 'hardware'),
      row('2503.11677', 'vision'),
    ];
    const result = await parseCorpus(textFile('arxiv.jsonl', text.join('\n')));
    expect(result.papers).toEqual([
      {
        id: '2503.11677',
        title: 'On vision',
        abstract: abstractAbout('vision'),
        year: 2025,
        month: 3,
        url: 'https://arxiv.org/abs/2503.11677',
        categories: ['cs.CL', 'cs.LG'],
        source: 'arxiv.jsonl',
      },
      expect.objectContaining({ id: '2503.11685' }),
    ]);
    expect(result.skipped).toEqual({ count: 1, reasons: { duplicate: 1 } });
  });

  it.skipIf(!existsSync(sharedArxiv))(
    'reads the first 2,000 lines of ../shared/corpus/arxiv-2025-2026.jsonl.gz, gzipped again',
    async () => {
      const lines = await firstLines(sharedArxiv, 2000);
      expect(lines).toHaveLength(2000);
      const bytes = gzipSync(Buffer.from(lines.join('\n')));
      const result = await parseCorpus({ name: 'arxiv-2025-2026.jsonl.gz', bytes });
      expect(result.format).toBe('jsonl');
      expect(result.papers).toHaveLength(2000);
      expect(result.skipped.count).toBe(0);
      expect(result.warnings).toEqual([]);
      expect(result.papers[0]).toMatchObject({
        id: '2503.11677',
        title:
          'Simulation of prosthetic vision with PRIMA system and enhancement of face representation',
        year: 2025,
        month: 3,
        url: 'https://arxiv.org/abs/2503.11677',
        categories: ['cs.HC', 'cs.CV'],
      });
      expect(result.papers[1]!.abstract).toContain('$tanh$');
      expect(result.papers.at(-1)).toMatchObject({ id: '2503.21208', categories: ['cs.CV'] });
    },
  );
});
