import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { dropFile } from './drop.ts';
import { BUNDLED_PAPER_COUNT } from './bundled.ts';

const TOPICS = [
  ['large language models', 'instruction tuning', 'benchmark evaluation'],
  ['diffusion models', 'image generation', 'denoising score matching'],
  ['graph neural networks', 'message passing', 'molecular property prediction'],
  ['reinforcement learning', 'policy optimisation', 'reward models'],
  ['speech recognition', 'acoustic models', 'transformer encoders'],
];

/** A CSV of ten new papers, plus a copy of one already on the map, made here so no fixture is needed. */
function addedCsv(duplicateTitle: string): string {
  const rows = ['id,title,abstract'];
  for (let i = 0; i < 10; i++) {
    const [a, b, c] = TOPICS[i % TOPICS.length]!;
    rows.push(
      `grow-${i},"New results on ${a} ${i}","We study ${a} with ${b} and ${c}. Case ${i} shows how ${b} helps ${a}."`,
    );
  }
  rows.push(`copy-of-existing,"${duplicateTitle.replaceAll('"', '""')}","The same paper again."`);
  return rows.join('\n');
}

interface BundleJson {
  version: number;
  grownFrom?: number;
  docs: { id: string; title: string; x: number; y: number; cluster: number }[];
  vectors?: { dim: number };
}

test('papers added to the bundled map are placed and ringed without moving it, and the grown map downloads and reopens', async ({
  page,
}) => {
  await page.goto('/');
  const app = page.locator('atlas-app');
  const explorer = page.locator('atlas-explorer');
  await expect(app).toHaveAttribute('status', 'ready');
  await expect(app).toHaveAttribute('doc-count', String(BUNDLED_PAPER_COUNT));
  await expect(app).toHaveAttribute('added-count', '0');

  // The bundled map as the server sends it, to compare positions with after growing.
  const index = (await (await page.request.get('/corpus/index.json')).json()) as { map: string };
  const original = (await (await page.request.get(`/corpus/${index.map}`)).json()) as BundleJson;
  expect(original.docs).toHaveLength(BUNDLED_PAPER_COUNT);
  const existingTitle = original.docs[5]!.title;

  await dropFile(page, { name: 'this-week.csv', content: addedCsv(existingTitle) }, 'add');
  await expect(app).toHaveAttribute('doc-count', String(BUNDLED_PAPER_COUNT + 10), {
    timeout: 90_000,
  });
  await expect(app).toHaveAttribute('status', 'ready');
  await expect(app).toHaveAttribute('added-count', '10');
  await expect(explorer).toHaveAttribute('points', String(BUNDLED_PAPER_COUNT + 10));
  const notices = page.getByRole('list', { name: 'Notices' });
  await expect(notices).toContainText('Added 10 papers to the map, shown ringed');
  await expect(notices).toContainText('1 paper was left out as duplicates (1 already on');
  await expect(notices).toContainText(existingTitle);

  // The grown map downloads as a new bundle: the old papers exactly where they were.
  await page.locator('atlas-explorer details.menu summary').click();
  const download = page.waitForEvent('download');
  await explorer.getByRole('button', { name: 'Download map' }).click();
  const file = await download;
  const grown = JSON.parse(await readFile((await file.path())!, 'utf8')) as BundleJson;
  expect(grown.version).toBe(2);
  expect(grown.grownFrom).toBe(BUNDLED_PAPER_COUNT);
  expect(grown.docs).toHaveLength(BUNDLED_PAPER_COUNT + 10);
  expect(grown.vectors?.dim).toBe(original.vectors?.dim);
  for (let i = 0; i < BUNDLED_PAPER_COUNT; i++) {
    expect([grown.docs[i]!.id, grown.docs[i]!.x, grown.docs[i]!.y]).toEqual([
      original.docs[i]!.id,
      original.docs[i]!.x,
      original.docs[i]!.y,
    ]);
  }
  const added = grown.docs.slice(BUNDLED_PAPER_COUNT);
  expect(added.map((doc) => doc.id)).toEqual(Array.from({ length: 10 }, (_, i) => `grow-${i}`));
  for (const doc of added) {
    expect(Number.isFinite(doc.x) && Number.isFinite(doc.y)).toBe(true);
  }

  // Reopened (as a new map), it is the grown map, its added papers still ringed.
  await dropFile(page, { name: file.suggestedFilename(), content: JSON.stringify(grown) }, 'new');
  await expect(app).toHaveAttribute('status', 'ready');
  await expect(app).toHaveAttribute('doc-count', String(BUNDLED_PAPER_COUNT + 10));
  await expect(app).toHaveAttribute('added-count', '10');
  await explorer.locator('input[type=search]').fill('New results on diffusion models 1');
  await expect(explorer.locator('ol.search-results li').first()).toContainText(
    'New results on diffusion models 1',
  );
});

test('papers added to a map embedded lexically in the browser go through its own fitted model', async ({
  page,
}) => {
  await page.goto('/?embedder=lexical');
  const app = page.locator('atlas-app');
  await expect(app).toHaveAttribute('status', 'ready', { timeout: 90_000 });
  await expect(app).toHaveAttribute('embedder', /^lexical:tfidf-svd:/);
  await dropFile(
    page,
    { name: 'this-week.csv', content: addedCsv('A title no paper on the map has') },
    'add',
  );
  await expect(app).toHaveAttribute('doc-count', String(BUNDLED_PAPER_COUNT + 11), {
    timeout: 90_000,
  });
  await expect(app).toHaveAttribute('added-count', '11');
  await expect(app).toHaveAttribute('embedder', /^lexical:tfidf-svd:/);
  await expect(page.getByRole('list', { name: 'Notices' })).toContainText(
    'Added 11 papers to the map, shown ringed',
  );
  // Semantic search uses the same fitted model, so an added paper is found by its words.
  const explorer = page.locator('atlas-explorer');
  await explorer.getByRole('checkbox', { name: 'Semantic' }).check();
  await explorer.locator('input[type=search]').fill('denoising score matching image generation');
  await explorer.locator('input[type=search]').press('Enter');
  await expect(explorer.locator('ol.search-results li').first()).toContainText(
    'New results on diffusion models',
  );
});

test('a link with ?add= opens the map and adds the papers it names', async ({ page }) => {
  await page.route('**/shared/this-week.csv', (route) =>
    route.fulfill({
      body: addedCsv('Another title no paper on the map has'),
      contentType: 'text/csv',
    }),
  );
  await page.goto('/?add=%2Fshared%2Fthis-week.csv');
  const app = page.locator('atlas-app');
  await expect(app).toHaveAttribute('doc-count', String(BUNDLED_PAPER_COUNT + 11), {
    timeout: 90_000,
  });
  await expect(app).toHaveAttribute('status', 'ready');
  await expect(app).toHaveAttribute('added-count', '11');
});
