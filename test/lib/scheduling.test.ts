import { describe, expect, it } from 'vitest';
import { isCancelled } from '../../src/lib/errors.ts';
import { createYielder, nextTask, rateAndEta } from '../../src/lib/scheduling.ts';

describe('the cooperative scheduler', () => {
  it('resolves nextTask in a later task, after queued timers, and rejects once cancelled', async () => {
    const order: string[] = [];
    setTimeout(() => order.push('timer'), 0);
    await nextTask();
    order.push('after');
    expect(order).toEqual(['timer', 'after']);
    const controller = new AbortController();
    const pending = nextTask(controller.signal);
    controller.abort();
    await expect(pending).rejects.toSatisfy(isCancelled);
  });

  it('yields only once a slice is used up, and checks cancellation every time', async () => {
    const controller = new AbortController();
    const pause = createYielder(controller.signal, 40);
    let timerRan = false;
    setTimeout(() => (timerRan = true), 0);
    await pause();
    expect(timerRan).toBe(false);
    const until = performance.now() + 45;
    while (performance.now() < until) {
      // work through a slice
    }
    await pause();
    expect(timerRan).toBe(true);
    controller.abort();
    await expect(pause()).rejects.toSatisfy(isCancelled);
  });

  it('reports items per second and seconds left, not counting work done before the clock', () => {
    const startedAt = performance.now() - 2000;
    const figures = rateAndEta(100, 300, startedAt);
    const cached = rateAndEta(100, 300, startedAt, 60);
    const seconds = (performance.now() - startedAt) / 1000;
    // At least two seconds have passed, and at most `seconds`, however loaded the machine is.
    expect(figures.rate).toBeLessThanOrEqual(50);
    expect(figures.rate).toBeGreaterThanOrEqual(100 / seconds);
    expect(figures.etaSeconds).toBeCloseTo(200 / figures.rate);
    expect(cached.rate / figures.rate).toBeGreaterThan(0.39);
    expect(cached.rate / figures.rate).toBeLessThanOrEqual(0.4);
    expect(rateAndEta(0, 300, performance.now())).toEqual({ rate: 0 });
  });
});
