import { expect, test } from '@playwright/test';
import {
  MODEL_CARD_SENTENCES,
  MODEL_CARD_SIMILARITIES,
  MODEL_CARD_TOLERANCE,
  pairwiseSimilarities,
  REAL_MODEL_ID,
  realModelSkipReason,
} from '../scripts/real-model.ts';
import type { EmbedDtype } from '../src/pipeline/embed/models.ts';
import { openBundledMap } from './bundled.ts';
import { dropFile } from './drop.ts';

const skipReason = realModelSkipReason();
if (skipReason) console.warn(`\n${skipReason}\n`);

test.describe(`the genuine ${REAL_MODEL_ID} in Chromium (WASM, the embed worker)`, () => {
  test.skip(skipReason !== undefined, skipReason);

  for (const dtype of ['fp32', 'q8'] as EmbedDtype[]) {
    const tolerance = MODEL_CARD_TOLERANCE[dtype]!;
    test(`reproduces the model card's similarity matrix at ${dtype} within ${tolerance}`, async ({
      page,
    }) => {
      await page.goto('/e2e/harness/embed.html');
      await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
      await page.evaluate(() => window.embedHarness.clearCache());
      const run = await page.evaluate(
        ([texts, model, precision]) =>
          window.embedHarness.embed(texts, {
            embedder: 'neural',
            model,
            device: 'wasm',
            dtype: precision,
          }),
        [MODEL_CARD_SENTENCES, REAL_MODEL_ID, dtype] as const,
      );
      expect(run.info).toMatchObject({
        kind: 'neural',
        device: 'wasm',
        dtype,
        model: REAL_MODEL_ID,
      });
      const similarities = pairwiseSimilarities(run.vectors, run.dim);
      console.info(`${REAL_MODEL_ID} ${dtype} (Chromium WASM):`, similarities);
      for (const [pair, published] of Object.entries(MODEL_CARD_SIMILARITIES)) {
        const ours = similarities[pair as keyof typeof similarities];
        expect(Math.abs(ours - published), `pair ${pair}: ${ours.toFixed(4)}`).toBeLessThanOrEqual(
          tolerance,
        );
      }
    });
  }
});

/** The bundled corpus's papers on speculative decoding (their abstracts say so), by title. */
const SPECULATIVE_DECODING_PAPERS = [
  'LayerSkip: Enabling Early Exit Inference and Self-Speculative Decoding',
  'Direct Multi-Token Decoding',
  'Chimera: A Lossless Decoding Method',
  'Medusa: Simple LLM Inference Acceleration Framework',
  'Entropy Adaptive Decoding',
  'Parallel Decoding via Hidden Transfer',
];

test.describe(`the bundled map on the genuine ${REAL_MODEL_ID}`, () => {
  test.skip(skipReason !== undefined, skipReason);

  test('is neural, and semantic search for "speculative decoding" ranks those papers first', async ({
    page,
  }) => {
    await page.goto('/');
    const app = page.locator('atlas-app');
    await expect(app).toHaveAttribute('status', 'ready');
    await expect(app).toHaveAttribute('embedder', `neural:${REAL_MODEL_ID}:cpu:q8`);
    const explorer = page.locator('atlas-explorer');
    await explorer.getByLabel('Semantic').check();
    await explorer.locator('input[type=search]').fill('speculative decoding');
    await expect(explorer.locator('.search-status')).toContainText('nearest papers by meaning');
    const results = explorer.locator('ol.search-results li');
    await expect(results.first()).toBeVisible();
    // The one titled so first, then the others; the margins to the next paper are wide (0.39 against
    // 0.46 and more in fp32 with sentence-transformers), so q8 keeps this order.
    const top = (await results.allTextContents()).slice(0, 3);
    expect(top).toHaveLength(3);
    expect(top[0]).toContain(SPECULATIVE_DECODING_PAPERS[0]);
    for (const text of top) {
      expect(
        SPECULATIVE_DECODING_PAPERS.some((title) => text.includes(title)),
        `"${text.slice(0, 80)}" is not a speculative-decoding paper`,
      ).toBe(true);
    }
  });
});

const DROPPED_TOPICS = [
  ['protein folding', 'molecular dynamics', 'amino acid structure'],
  ['galaxy clusters', 'telescope surveys', 'dark matter halos'],
  ['syntax parsing', 'dependency grammar', 'treebank annotation'],
  ['reinforcement learning', 'policy gradients', 'reward shaping'],
];

test.describe(`a file mapped in the browser on the genuine ${REAL_MODEL_ID}`, () => {
  test.skip(skipReason !== undefined, skipReason);

  test('is labelled by meaning: the map worker has its label phrases embedded through the page', async ({
    page,
  }) => {
    // Watches the workers' questions to the page, as the RPC carries them.
    await page.addInitScript(() => {
      const asked: number[] = [];
      Object.assign(window, { phrasesAsked: asked });
      const PageWorker = window.Worker;
      window.Worker = class extends PageWorker {
        constructor(url: string | URL, options?: WorkerOptions) {
          super(url, options);
          this.addEventListener('message', (event: MessageEvent) => {
            const data = event.data as { kind?: string; question?: { phrases?: string[] } };
            if (data?.kind === 'ask') asked.push(data.question?.phrases?.length ?? -1);
          });
        }
      };
    });
    await openBundledMap(page);
    const rows = ['id,title,abstract'];
    for (let i = 0; i < 120; i++) {
      const [a, b, c] = DROPPED_TOPICS[i % DROPPED_TOPICS.length]!;
      rows.push(
        `t${i},"${a} study ${i}","We examine ${a} with ${b} and ${c}, case ${i}. Results on ${b} improve."`,
      );
    }
    await dropFile(page, { name: 'topics.csv', content: rows.join('\n'), type: 'text/csv' });
    const app = page.locator('atlas-app');
    await expect(app).toHaveAttribute('doc-count', '120', { timeout: 120_000 });
    await expect(app).toHaveAttribute('status', 'ready');
    await expect(app).toHaveAttribute('embedder', new RegExp(`^neural:${REAL_MODEL_ID}:`));
    // One question, for every candidate phrase of every cluster at once.
    const asked = await page.evaluate(
      () => (window as unknown as { phrasesAsked: number[] }).phrasesAsked,
    );
    expect(asked).toHaveLength(1);
    expect(asked[0]).toBeGreaterThan(10);
    const legend = page.getByRole('list', { name: 'Legend' }).getByRole('listitem');
    await expect(legend.first()).toBeVisible();
    const labels = await legend.allTextContents();
    expect(labels.length).toBeGreaterThanOrEqual(2);
    for (const label of labels) {
      expect(
        DROPPED_TOPICS.flat()
          .flatMap((phrase) => phrase.split(' '))
          .some((word) => label.includes(word)),
        `"${label}" names none of the topics`,
      ).toBe(true);
    }
  });
});
