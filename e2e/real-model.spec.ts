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
