import type { ReactiveController } from 'lit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TimePlayer } from '../../../src/view/facets/time-player.ts';
import type { TimeStep } from '../../../src/view/model/facets.ts';

function steps(count: number): TimeStep[] {
  return Array.from({ length: count }, (_, i) => ({
    filter: { field: 'time', from: i, to: i + 2 },
    newFrom: i + 2,
  }));
}

function host() {
  const controllers: ReactiveController[] = [];
  return {
    controllers,
    addController: (c: ReactiveController) => controllers.push(c),
    removeController: () => undefined,
    requestUpdate: () => undefined,
    updateComplete: Promise.resolve(true),
  };
}

describe('time player', () => {
  afterEach(() => vi.useRealTimers());

  it('shows a step at once, one per tick at its speed, and ends after the last', () => {
    vi.useFakeTimers();
    const shown: number[] = [];
    const ended = vi.fn();
    const player = new TimePlayer(host(), (_step, i) => shown.push(i), ended);
    player.play(steps(4), 2, 1);
    expect(shown).toEqual([1]);
    vi.advanceTimersByTime(500);
    expect(shown).toEqual([1, 2]);
    vi.advanceTimersByTime(1000);
    expect(shown).toEqual([1, 2, 3]);
    expect(ended).toHaveBeenCalledOnce();
    expect(player.playing).toBe(false);
  });

  it('pauses, resumes where it was, and stops when the host goes away', () => {
    vi.useFakeTimers();
    const shown: number[] = [];
    const h = host();
    const player = new TimePlayer(
      h,
      (_step, i) => shown.push(i),
      () => undefined,
    );
    player.play(steps(10), 1);
    vi.advanceTimersByTime(2000);
    player.pause();
    vi.advanceTimersByTime(5000);
    expect(shown).toEqual([0, 1, 2]);
    player.play(steps(10), 4, player.position + 1);
    vi.advanceTimersByTime(250);
    expect(shown).toEqual([0, 1, 2, 3, 4]);
    h.controllers[0]!.hostDisconnected!();
    vi.advanceTimersByTime(5000);
    expect(shown).toHaveLength(5);
  });
});
