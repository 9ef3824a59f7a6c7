/**
 * Sends the explorer's shareable state out (`atlas-view-state-changed`) whenever it differs from what
 * was last sent: at once after an intent, and a moment after the camera stops, so a pan sends one.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { emit } from '../services.ts';
import { sameShareState, type ShareState } from './url-state.ts';

const VIEW_EMIT_DELAY_MS = 250;

export class ShareStateController implements ReactiveController {
  private lastSent: ShareState | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly host: ReactiveControllerHost & EventTarget,
    /** The state to share now, or null while there is nothing to share. */
    private readonly current: () => ShareState | null,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  send(): void {
    const state = this.current();
    if (!state || (this.lastSent && sameShareState(state, this.lastSent))) return;
    this.lastSent = state;
    emit(this.host, 'atlas-view-state-changed', state);
  }

  /** Sends once the camera has rested. */
  sendSoon(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.send(), VIEW_EMIT_DELAY_MS);
  }
}
