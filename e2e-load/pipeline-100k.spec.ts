import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { expect, test, type Browser } from '@playwright/test';

/** 115,272 real arXiv abstracts (../shared, beside every checkout); the test maps the first 100,000. */
const ARXIV = fileURLToPath(
  new URL('../../shared/corpus/arxiv-2025-2026.jsonl.gz', import.meta.url),
);
const PAPERS = 100_000;
const LONG_TASK_LIMIT_MS = 200;

test.skip(!existsSync(ARXIV), `needs ${ARXIV}`);

interface Probe {
  longTasks: { start: number; duration: number }[];
  runStart: number;
  runEnd: number;
  /** When each phase of the run began: the app's status, `projecting` split into kNN and layout. */
  phases: { phase: string; at: number }[];
}

interface RunFigures {
  threads: number;
  seconds: number;
  pipeline_seconds: number;
  /** Seconds per stage: parse (load and parse), embed, kNN, layout, clusters, labels. */
  stages: Record<string, number>;
  main_thread_long_tasks: number;
  longest_main_thread_task_ms: number;
  main_thread_heap_mb: number;
}

const STAGE_OF_PHASE: Record<string, string> = {
  loading: 'parse',
  parsing: 'parse',
  embedding: 'embed',
  'projecting:knn': 'kNN',
  'projecting:layout': 'layout',
  clustering: 'clusters',
  labelling: 'labels',
};

/**
 * Drops the corpus on a fresh page at `query` and times the run. With `isolated`, the service worker
 * is allowed its one reload for cross-origin isolation (shared memory: the parallel mode); without,
 * service workers are blocked and the page is not isolated (one thread).
 */
async function runPipeline(
  browser: Browser,
  corpus: string,
  query: string,
  isolated: boolean,
): Promise<RunFigures> {
  const context = await browser.newContext({ serviceWorkers: isolated ? 'allow' : 'block' });
  const page = await context.newPage();
  // Long tasks are timed from the moment the app starts on the dropped file (status leaves `ready`) to
  // the moment its map is ready: the pipeline's run. Handing the file to the page (Playwright copies
  // it in) and the software-rendered frames of the finished map fall outside it.
  await page.addInitScript(() => {
    const probe: Probe = { longTasks: [], runStart: -1, runEnd: -1, phases: [] };
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        probe.longTasks.push({ start: entry.startTime, duration: entry.duration });
      }
    }).observe({ type: 'longtask', buffered: true });
    /** The progress panel's text, wherever it sits in the shadow trees. */
    const progressText = (root: Document | ShadowRoot): string | null => {
      const found = root.querySelector('atlas-progress');
      if (found) return found.shadowRoot?.textContent ?? '';
      for (const element of root.querySelectorAll('*')) {
        if (!element.shadowRoot) continue;
        const text = progressText(element.shadowRoot);
        if (text !== null) return text;
      }
      return null;
    };
    const watch = () => {
      const app = document.querySelector('atlas-app');
      if (!app) return void requestAnimationFrame(watch);
      let previous = app.getAttribute('status');
      const phaseNow = (status: string | null): string =>
        status === 'projecting'
          ? (progressText(document) ?? '').includes('Optimising the layout')
            ? 'projecting:layout'
            : 'projecting:knn'
          : String(status);
      const recordPhase = () => {
        if (probe.runStart < 0 || probe.runEnd >= 0) return;
        const phase = phaseNow(app.getAttribute('status'));
        if (probe.phases.at(-1)?.phase !== phase)
          probe.phases.push({ phase, at: performance.now() });
      };
      setInterval(recordPhase, 100);
      new MutationObserver(() => {
        const status = app.getAttribute('status');
        if (
          previous === 'ready' &&
          status !== 'ready' &&
          probe.runStart < 0 &&
          probe.runEnd === -2
        ) {
          probe.runStart = performance.now();
        }
        recordPhase();
        if (probe.runStart >= 0 && probe.runEnd < 0 && (status === 'ready' || status === 'error')) {
          probe.runEnd = performance.now();
        }
        previous = status;
      }).observe(app, { attributes: true, attributeFilter: ['status'] });
    };
    watch();
    Object.assign(window, { __probe: probe });
  });
  await page.goto(`./?embedder=lexical${query}`);
  if (isolated) {
    await expect
      .poll(() => page.evaluate(() => crossOriginIsolated).catch(() => false), { timeout: 60_000 })
      .toBe(true);
  }
  const app = page.locator('atlas-app');
  await expect(app).toHaveAttribute('status', 'ready', { timeout: 120_000 });
  const threads = await page.evaluate(() =>
    crossOriginIsolated
      ? Math.min(
          8,
          Math.max(
            1,
            navigator.hardwareConcurrency <= 2
              ? navigator.hardwareConcurrency
              : navigator.hardwareConcurrency - 1,
          ),
        )
      : 1,
  );
  // Arm the probe: the next time the status leaves `ready`, the run has started.
  await page.evaluate(() => ((window as unknown as { __probe: Probe }).__probe.runEnd = -2));

  const started = Date.now();
  await page.locator('atlas-drop-zone input[type=file]').setInputFiles(corpus);
  await expect(app).not.toHaveAttribute('status', 'ready');
  await expect
    .poll(() => app.getAttribute('status'), { timeout: 35 * 60_000, intervals: [1000] })
    .toMatch(/^(ready|error)$/);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(app).toHaveAttribute('doc-count', String(PAPERS));
  const seconds = (Date.now() - started) / 1000;

  const probe = await page.evaluate(() => (window as unknown as { __probe: Probe }).__probe);
  const during = probe.longTasks
    .filter((task) => task.start >= probe.runStart && task.start < probe.runEnd)
    .map((task) => task.duration);
  const memory = await page.evaluate(
    () =>
      (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ??
      0,
  );
  const stages: Record<string, number> = {};
  probe.phases.forEach(({ phase, at }, index) => {
    const end = probe.phases[index + 1]?.at ?? probe.runEnd;
    const stage = STAGE_OF_PHASE[phase] ?? phase;
    stages[stage] = Math.round(((stages[stage] ?? 0) * 1000 + (end - at)) / 10) / 100;
  });
  await context.close();
  expect(probe.runStart, 'the run was seen to start').toBeGreaterThan(0);
  return {
    threads,
    seconds,
    pipeline_seconds: Math.round(probe.runEnd - probe.runStart) / 1000,
    stages,
    main_thread_long_tasks: during.length,
    longest_main_thread_task_ms: Math.round(Math.max(0, ...during)),
    main_thread_heap_mb: Math.round(memory / 2 ** 20),
  };
}

test(`${PAPERS.toLocaleString('en')} abstracts go through the whole pipeline without blocking the page, on 1 thread and on all`, async ({
  browser,
}) => {
  test.setTimeout(70 * 60_000);
  const lines = gunzipSync(readFileSync(ARXIV)).toString('utf8').split('\n').slice(0, PAPERS);
  const corpus = join(tmpdir(), `arxiv-${PAPERS}.jsonl.gz`);
  writeFileSync(corpus, gzipSync(lines.join('\n')));

  const single = await runPipeline(browser, corpus, '&threads=1', false);
  console.log(`1 thread: ${JSON.stringify(single)}`);
  const parallel = await runPipeline(browser, corpus, '', true);
  console.log(`${parallel.threads} threads: ${JSON.stringify(parallel)}`);
  console.log(
    JSON.stringify({
      papers: PAPERS,
      workers: parallel.threads,
      seconds: parallel.seconds,
      seconds_1_worker: single.seconds,
      parallel_speedup: Math.round((single.seconds / parallel.seconds) * 100) / 100,
      pipeline_seconds: parallel.pipeline_seconds,
      stages: parallel.stages,
      stages_1_worker: single.stages,
      main_thread_long_tasks: parallel.main_thread_long_tasks,
      longest_main_thread_task_ms: Math.max(
        single.longest_main_thread_task_ms,
        parallel.longest_main_thread_task_ms,
      ),
      main_thread_heap_mb: parallel.main_thread_heap_mb,
    }),
  );
  for (const run of [single, parallel]) {
    expect(
      run.longest_main_thread_task_ms,
      `no main-thread task over ${LONG_TASK_LIMIT_MS} ms while the pipeline runs (${run.threads} threads)`,
    ).toBeLessThanOrEqual(LONG_TASK_LIMIT_MS);
  }
});
