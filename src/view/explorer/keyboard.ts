/**
 * The explorer's keys, as intents: `/` focuses the search, Escape undoes the most recent narrowing, the
 * arrow keys walk through the selected paper's neighbours and back.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface KeyIntents {
  /** Whether the explorer has a map to act on. */
  active(): boolean;
  searchInput(): HTMLInputElement | undefined;
  /** `fromSearch`: the key was pressed in the search box. */
  escape(fromSearch: boolean): void;
  /** One step of the walk; false where it cannot go on. */
  walk(direction: 'forward' | 'back'): boolean;
}

export class ExplorerKeysController implements ReactiveController {
  constructor(
    host: ReactiveControllerHost,
    private readonly intents: KeyIntents,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('keydown', this.onKeyDown);
  }

  hostDisconnected(): void {
    window.removeEventListener('keydown', this.onKeyDown);
  }

  private readonly onKeyDown = (event: KeyboardEvent) => {
    if (!this.intents.active()) return;
    const target = event.composedPath()[0];
    const search = this.intents.searchInput();
    const typing =
      target instanceof HTMLInputElement ||
      target instanceof HTMLTextAreaElement ||
      target instanceof HTMLSelectElement;
    if (event.key === '/' && !typing) {
      event.preventDefault();
      search?.focus();
      search?.select();
    } else if (event.key === 'Escape') {
      this.intents.escape(target !== undefined && target === search);
    } else if (!typing && event.key.startsWith('Arrow')) {
      const forward = event.key === 'ArrowRight' || event.key === 'ArrowDown';
      if (this.intents.walk(forward ? 'forward' : 'back')) event.preventDefault();
    }
  };
}
