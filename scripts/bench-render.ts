/**
 * Render benchmark: saves synthetic maps of 100,000 and 1,000,000 papers as bundles, opens each in
 * headless Chromium through the explorer harness, and measures the time from handing the map to the view
 * to its first frame, then requestAnimationFrame deltas while the camera pans programmatically. The
 * baseline, measured in the same run, is the same points drawn by a bare deck.gl ScatterplotLayer
 * (no labels, hulls or panels); the ratio is the explorer's cost over it.
 *
 *   npm run bench:render            # both sizes
 *   BENCH_SIZES=100000 npm run bench:render
 *   BENCH_FRAMES=120 npm run bench:render   # pan frames per run (default 40 at 100k, 15 at 1M)
 *
 * At 100,000 papers it also brushes the date facet every frame (a new year range each frame: crossfilter
 * counts, faded papers, legend counts) and reports the frame times, against the same loop re-sending an
 * unchanged range (the frame's cost without the brush).
 *
 * Ends with one JSON line: first_frame_ms_100k, frame_ms_p50_100k, first_frame_ms_1m, frame_ms_p50_1m,
 * brush_update_ms_p95_100k (frame deltas while brushing), brush_main_thread_ms_p95_100k (the page's
 * main thread per brushed frame), and the baseline figures and ratios.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createServer } from 'vite';
import { bundleToJson } from '../src/pipeline/bundle.ts';
import { syntheticMap } from '../src/view/synthetic/synthetic-map.ts';
import { launchChromium } from './bench-support.ts';

const PORT = Number(process.env.BENCH_PORT ?? 5202);
const SIZES = (process.env.BENCH_SIZES ?? '100000,1000000').split(',').map(Number);

interface RunFigures {
  firstFrameMs: number;
  loadMs: number;
  frameP50: number;
  frameP95: number;
  frames: number;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function measure(
  page: Page,
  bundlePath: string,
  baseline: boolean,
  frames: number,
): Promise<RunFigures> {
  await page.goto(
    `http://localhost:${PORT}/e2e/harness/explorer.html?bundle=/@fs${bundlePath}${baseline ? '&baseline=1' : ''}`,
    // Leaving a page that drew a million points can take longer than Playwright's default 30 s.
    { timeout: 300_000 },
  );
  await page.waitForFunction('window.__atlas?.firstFrameAt !== undefined', null, {
    timeout: 300_000,
  });
  if (!baseline) await page.waitForSelector('atlas-explorer[settled]', { timeout: 300_000 });
  const timing = await page.evaluate(() => {
    const record = (
      window as unknown as { __atlas: { firstFrameAt: number; shownAt: number; loadMs: number } }
    ).__atlas;
    return { firstFrameMs: record.firstFrameAt - record.shownAt, loadMs: record.loadMs };
  });
  const deltas = await frameDeltas(
    page,
    frames,
    `const record = window.__atlas;
    const explorer = document.querySelector('atlas-explorer');
    const start = ${baseline} ? { x: 0, y: 0, zoom: 4 } : explorer.view;`,
    // A slow circle: every frame moves the camera, so every frame redraws every point.
    `const camera = { x: start.x + 3 * Math.cos(t / 10), y: start.y + 3 * Math.sin(t / 10), zoom: start.zoom };
    if (${baseline}) record.setBaselineView(camera);
    else explorer.setView(camera);`,
  );
  return {
    ...timing,
    frameP50: percentile(deltas, 50),
    frameP95: percentile(deltas, 95),
    frames: deltas.length,
  };
}

interface BrushFigures {
  /** requestAnimationFrame deltas. */
  frames: number[];
  /**
   * The page's main thread busy per frame: a long animation frame's duration (scripts, style, layout,
   * paint), or 50 ms (the bound under which none is reported) for a frame without one.
   */
  mainThread: number[];
  /** The longest animation frame from opening the filters to the end of the brushing (ms). */
  longestTask: number;
}

/**
 * Frame times while the date facet is brushed every frame: each animation frame sends the facet panel a
 * new year range (`moving`) or the same one again (the baseline), so the deltas include the crossfilter,
 * the highlight, the panel's counts and the deck's redraw. On a software renderer a frame also waits
 * for the GPU process to draw the last one, so the main thread's own share is reported beside it, from
 * the Long Animation Frames API.
 */
async function measureBrush(page: Page, frames: number, moving: boolean): Promise<BrushFigures> {
  await page.evaluate(`window.__longFrames = [];
    window.__longFrameObserver?.disconnect();
    window.__longFrameObserver = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longFrames.push([entry.startTime, entry.duration]);
    });
    window.__longFrameObserver.observe({ type: 'long-animation-frame' });`);
  await page
    .locator('atlas-explorer')
    .getByRole('tab', { name: /^Filters/ })
    .click();
  await page.locator('atlas-explorer atlas-facets svg.histogram').waitFor();
  const brushStart = (await page.evaluate('performance.now()')) as number;
  const deltas = await frameDeltas(
    page,
    frames,
    `const facets = document.querySelector('atlas-explorer').shadowRoot.querySelector('atlas-facets');
    const first = facets.index.facets.find((f) => f.field === 'time').firstKey;`,
    `const from = first + (${moving} ? t % 10 : 0);
    facets.dispatchEvent(new CustomEvent('facet-change', {
      detail: { field: 'time', filter: { field: 'time', from, to: from + 5 } },
      bubbles: true,
      composed: true,
    }));`,
  );
  const long = (await page.evaluate('window.__longFrames')) as [number, number][];
  const during = long.filter(([start]) => start >= brushStart).map(([, duration]) => duration);
  const mainThread = [
    ...during,
    ...Array<number>(Math.max(0, deltas.length - during.length)).fill(50),
  ];
  const longestTask = Math.max(0, ...long.map(([, duration]) => duration));
  return { frames: deltas, mainThread, longestTask };
}

/**
 * requestAnimationFrame deltas over `frames` frames, running `perFrame` (page-side source, with the frame
 * number `t`) in each after `setup`. Passed as source text: tsx would otherwise wrap named functions in
 * a helper the page lacks.
 */
async function frameDeltas(
  page: Page,
  frames: number,
  setup: string,
  perFrame: string,
): Promise<number[]> {
  return (await page.evaluate(`(async () => {
    ${setup}
    const result = [];
    let last = 0;
    await new Promise((resolve) => {
      const step = (now) => {
        if (last > 0) result.push(now - last);
        last = now;
        const t = result.length;
        if (t >= ${frames}) return resolve();
        ${perFrame}
        requestAnimationFrame(step);
      };
      requestAnimationFrame(step);
    });
    return result;
  })()`)) as number[];
}

function label(n: number): string {
  return n >= 1_000_000 ? `${n / 1_000_000}m` : `${n / 1000}k`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-bench-render-'));
  // No HMR: edits to the tree during a run must not reload the page under measurement. The bundles are
  // served by the dev server itself from the temporary folder (a route would push them through the
  // DevTools protocol in one message).
  const server = await createServer({
    server: { port: PORT, strictPort: true, hmr: false, fs: { allow: [process.cwd(), dir] } },
    logLevel: 'error',
  });
  await server.listen();
  const browser = await launchChromium();
  const summary: Record<string, number> = {};
  try {
    for (const n of SIZES) {
      const started = performance.now();
      const map = syntheticMap({
        count: n,
        seed: 42,
        vectorDim: 0,
        abstractSentences: 1,
        hostileText: false,
      });
      const path = join(dir, `map-${n}.atlas.json`);
      writeFileSync(path, bundleToJson(map));
      const megabytes = statSync(path).size / 1e6;
      console.log(
        `\n${n.toLocaleString('en-US')} papers: bundle ${megabytes.toFixed(1)} MB, made in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
      const frames = Number(process.env.BENCH_FRAMES ?? (n >= 1_000_000 ? 15 : 40));
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      page.on('pageerror', (error) => console.error('page error:', error.message));
      if (process.env.BENCH_DEBUG)
        page.on('console', (message) => console.log('page:', message.text()));
      const base = await measure(page, path, true, frames);
      const explorer = await measure(page, path, false, frames);
      const brush = n === 100_000 ? await measureBrush(page, 60, true) : null;
      const still = n === 100_000 ? await measureBrush(page, 60, false) : null;
      await context.close();
      for (const [name, figures] of [
        ['baseline (bare ScatterplotLayer)', base],
        ['explorer', explorer],
      ] as const) {
        console.log(
          `  ${name.padEnd(34)} fetch+parse ${figures.loadMs.toFixed(0).padStart(6)} ms · first frame ${figures.firstFrameMs.toFixed(0).padStart(6)} ms · pan frame p50 ${figures.frameP50.toFixed(1).padStart(6)} ms, p95 ${figures.frameP95.toFixed(1).padStart(6)} ms (${figures.frames} frames)`,
        );
      }
      const ratioFirst = explorer.firstFrameMs / base.firstFrameMs;
      const ratioFrame = explorer.frameP50 / base.frameP50;
      console.log(
        `  ratio explorer / baseline: first frame ×${ratioFirst.toFixed(2)}, pan frame p50 ×${ratioFrame.toFixed(2)}`,
      );
      const key = label(n);
      if (brush && still) {
        const figure = (values: number[], p: number) => Number(percentile(values, p).toFixed(2));
        console.log(
          `  brushing the date facet every frame: p50 ${figure(brush.frames, 50)} ms, p95 ${figure(brush.frames, 95)} ms; unchanged range (baseline): p50 ${figure(still.frames, 50)} ms, p95 ${figure(still.frames, 95)} ms; a pan frame (the renderer's floor): p50 ${figure([explorer.frameP50], 50)} ms`,
        );
        const longFrames = brush.mainThread.filter((ms) => ms !== 50).length;
        console.log(
          `  main thread per brush frame: p50 ${figure(brush.mainThread, 50)} ms, p95 ${figure(brush.mainThread, 95)} ms (${longFrames} of ${brush.mainThread.length} frames over 50 ms, the rest counted as 50)`,
        );
        summary[`brush_update_ms_p95_${key}`] = figure(brush.frames, 95);
        summary[`brush_update_ms_p50_${key}`] = figure(brush.frames, 50);
        console.log(
          `  longest main-thread frame from opening the filters to the end of brushing: ${brush.longestTask.toFixed(0)} ms`,
        );
        summary[`brush_main_thread_ms_p95_${key}`] = figure(brush.mainThread, 95);
        summary[`longest_task_ms_filters_${key}`] = Math.round(brush.longestTask);
        summary[`baseline_brush_still_ms_p95_${key}`] = figure(still.frames, 95);
      }
      summary[`first_frame_ms_${key}`] = Math.round(explorer.firstFrameMs);
      summary[`frame_ms_p50_${key}`] = Number(explorer.frameP50.toFixed(2));
      summary[`frame_ms_p95_${key}`] = Number(explorer.frameP95.toFixed(2));
      summary[`baseline_first_frame_ms_${key}`] = Math.round(base.firstFrameMs);
      summary[`baseline_frame_ms_p50_${key}`] = Number(base.frameP50.toFixed(2));
      summary[`ratio_frame_p50_${key}`] = Number(ratioFrame.toFixed(3));
    }
  } finally {
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(JSON.stringify(summary));
}

await main();
