import { expect, test } from '@playwright/test';

const HARNESS = '/e2e/harness/knn.html';

test.describe('WebGPU exact kNN (SwiftShader)', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto(HARNESS);
    await expect(page.locator('#status')).toHaveText('Ready');
  });

  test('gives the same graph as the CPU search', async ({ page }) => {
    const k = 15;
    const run = await page.evaluate((k) => window.knnHarness.compare(300, 64, k, 128), k);
    expect(run.gpuIndices).toHaveLength(300 * k);
    expect(run.gpuIndices).toEqual(run.cpuIndices);
    const worst = run.gpuDistances.reduce(
      (most, distance, slot) => Math.max(most, Math.abs(distance - run.cpuDistances[slot]!)),
      0,
    );
    expect(worst).toBeLessThan(1e-5);
    // 300 rows in dispatches of 128: three tiles, each reported.
    expect(run.gpuProgress.map((p) => [p.done, p.total])).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    expect(run.gpuProgress[0]!.message).toBe('Finding nearest neighbours (WebGPU)');
    console.info(
      `kNN 300×64, k=${k}: WebGPU (${run.adapter}) ${run.gpuMilliseconds.toFixed(1)} ms, ` +
        `CPU ${run.cpuMilliseconds.toFixed(1)} ms`,
    );
  });

  test('handles a ragged dimension and the largest k the GPU list holds', async ({ page }) => {
    const run = await page.evaluate(() => window.knnHarness.compare(130, 37, 64, 64));
    expect(run.gpuIndices).toHaveLength(130 * 64);
    expect(run.gpuIndices).toEqual(run.cpuIndices);
    for (const [slot, distance] of run.gpuDistances.entries()) {
      expect(Math.abs(distance - run.cpuDistances[slot]!)).toBeLessThan(1e-5);
    }
    expect(run.gpuProgress.map((p) => p.done)).toEqual([1, 2, 3]);
  });

  test('the automatic choice does not take the software adapter; a forced one does', async ({
    page,
  }) => {
    const choice = await page.evaluate(() => window.knnHarness.autoChoice(300, 64, 15));
    expect(choice.autoDevice).toBe(false);
    expect(choice.messages.length).toBeGreaterThan(0);
    expect(
      choice.messages.every((message) => message === 'Finding nearest neighbours (exact)'),
    ).toBe(true);
    expect(choice.matchesCpu).toBe(true);
    expect(choice.forcedMessages).toEqual(['Finding nearest neighbours (WebGPU)']);
    expect(choice.forcedMatchesCpu).toBe(true);
  });
});
