/** Labelled samples of the real arXiv abstracts in `../shared/corpus/`, shared by the benchmarks. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createRandom } from '../src/lib/random.ts';

const CORPUS = resolve(import.meta.dirname, '../../shared/corpus/arxiv-2025-2026.jsonl.gz');

export interface Row {
  id: string;
  text: string;
  label: string;
}

/** `perCategory` papers from each of the `categories` largest primary categories, seeded. */
export function balancedSample(total: number, categories: number, seed: number): Row[] {
  const byCategory = new Map<string, Row[]>();
  for (const line of gunzipSync(readFileSync(CORPUS)).toString('utf8').split('\n')) {
    if (!line) continue;
    const paper = JSON.parse(line) as {
      id: string;
      title: string;
      abstract: string;
      primary_category: string;
    };
    const rows = byCategory.get(paper.primary_category) ?? [];
    rows.push({
      id: paper.id,
      text: `${paper.title}. ${paper.abstract}`,
      label: paper.primary_category,
    });
    byCategory.set(paper.primary_category, rows);
  }
  const perCategory = Math.ceil(total / categories);
  const chosen = [...byCategory.entries()]
    .filter(([, rows]) => rows.length >= perCategory)
    .sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))
    .slice(0, categories);
  if (chosen.length < categories) {
    throw new Error(
      `Only ${chosen.length} primary categories have ${perCategory} papers; ask for fewer papers or categories.`,
    );
  }
  const random = createRandom(seed);
  const sample: Row[] = [];
  for (const [, rows] of chosen) {
    const shuffled = [...rows];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    sample.push(...shuffled.slice(0, perCategory));
  }
  // Interleave the categories so no stage sees them in blocks.
  const order = sample.map((_, index) => index);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order.map((index) => sample[index]!);
}
