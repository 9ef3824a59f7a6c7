import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { TimeStep } from '../model/facets.ts';

/**
 * Plays a corpus through time: one concern, the clock. While playing it hands the host the next step
 * of a moving window every `1 / speed` seconds and stops after the last; what a step does to the view
 * (its filter, the papers it marks as new) is the host's state, not this controller's.
 */
export class TimePlayer implements ReactiveController {
  private timer: ReturnType<typeof setInterval> | undefined;
  private steps: readonly TimeStep[] = [];
  private at = -1;

  constructor(
    host: ReactiveControllerHost,
    private readonly onStep: (step: TimeStep, index: number) => void,
    private readonly onEnd: () => void,
  ) {
    host.addController(this);
  }

  get playing(): boolean {
    return this.timer !== undefined;
  }

  /** Starts (or restarts at a new speed) from `startAt`, showing that step at once. */
  play(steps: readonly TimeStep[], speed: number, startAt = 0): void {
    this.pause();
    if (steps.length === 0) return;
    this.steps = steps;
    this.at = Math.min(Math.max(0, startAt), steps.length - 1);
    this.onStep(steps[this.at]!, this.at);
    this.timer = setInterval(() => this.advance(), 1000 / speed);
  }

  /** The step shown last, to resume from. */
  get position(): number {
    return this.at;
  }

  pause(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  hostDisconnected(): void {
    this.pause();
  }

  private advance(): void {
    if (this.at + 1 >= this.steps.length) {
      this.pause();
      this.onEnd();
      return;
    }
    this.at++;
    this.onStep(this.steps[this.at]!, this.at);
  }
}
