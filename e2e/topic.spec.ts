import { expect, test } from '@playwright/test';

interface LabelHooks extends HTMLElement {
  labelsOnScreen(): { id: number; text: string; x: number; y: number }[];
  screenToLabel(x: number, y: number): number;
}

interface HarnessWindow {
  __atlas: {
    map: { clusters: { id: number; label: string; keywords: string[] }[] };
  };
}

test('clicking a cluster label opens its topic: label, keywords, size, central papers, select all', async ({
  page,
}) => {
  await page.goto('/e2e/harness/explorer.html?n=1200');
  const explorer = page.locator('atlas-explorer');
  await expect(explorer).toHaveAttribute('points', '1200');
  // The fitted view of a map of 1,000 papers or more names between 8 and 25 topics.
  const drawn = await page.evaluate(() =>
    (document.querySelector('atlas-explorer') as unknown as LabelHooks).labelsOnScreen(),
  );
  expect(drawn.length).toBeGreaterThanOrEqual(8);
  expect(drawn.length).toBeLessThanOrEqual(25);

  // A drawn label clear of the toolbar, legend and panel.
  const handle = await page.waitForFunction(() => {
    const element = document.querySelector('atlas-explorer') as unknown as LabelHooks;
    const panel = element.shadowRoot!.querySelector('aside')!.getBoundingClientRect();
    const label = element
      .labelsOnScreen()
      .find((l) => l.x > 300 && l.x < panel.left - 120 && l.y > 130 && l.y < innerHeight - 230);
    return label && element.screenToLabel(label.x, label.y) === label.id ? label : null;
  });
  const label = (await handle.jsonValue()) as { id: number; text: string; x: number; y: number };
  await page.mouse.click(label.x, label.y);

  const topic = page.locator('atlas-topic');
  await expect(explorer.locator('[role=tab][aria-selected=true]')).toHaveText('Topic');
  const expected = await page.evaluate(
    (id) => (window as unknown as HarnessWindow).__atlas.map.clusters.find((c) => c.id === id)!,
    label.id,
  );
  await expect(topic.locator('.topic-label')).toHaveText(expected.label);
  await expect(topic.locator('.keywords li')).toHaveText(expected.keywords);
  const sizeText = await topic.locator('.topic-size').innerText();
  const size = Number(/^([\d,]+) papers/u.exec(sizeText)![1]!.replace(/,/gu, ''));
  expect(size).toBeGreaterThan(0);
  await expect(topic.locator('.topic-central li')).toHaveCount(Math.min(5, size));

  // The button works from the keyboard: it selects every paper of the topic.
  await topic.locator('.topic-select-all').focus();
  await page.keyboard.press('Enter');
  await expect(explorer.locator('.selection-count')).toHaveText(
    `${size.toLocaleString('en-US')} selected`,
  );
  await expect(explorer).toHaveAttribute('highlighted', String(size));

  // Back on the topic's tab, Escape closes it.
  await explorer.getByRole('tab', { name: 'Topic' }).press('Enter');
  await expect(topic.locator('.topic-label')).toHaveText(expected.label);
  await page.keyboard.press('Escape');
  await expect(explorer.getByRole('tab', { name: 'Topic' })).toHaveCount(0);
});

test('the keyboard opens a topic from the clusters of a paper', async ({ page }) => {
  await page.goto('/e2e/harness/explorer.html');
  const explorer = page.locator('atlas-explorer');
  await expect(explorer).toHaveAttribute('points', /^[1-9]\d*$/);
  await explorer.locator('input[type=search]').fill('quantum');
  await explorer.locator('ol.search-results button.paper').first().press('Enter');
  const finest = explorer.locator('atlas-details .path button.chip').last();
  const name = (await finest.innerText()).trim();
  await finest.press('Enter');
  await expect(explorer.getByRole('tab', { name: 'Topic' })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await expect(page.locator('atlas-topic .topic-label')).toHaveText(name);
  await expect(page.locator('atlas-topic .topic-central li').first()).toBeVisible();
});
