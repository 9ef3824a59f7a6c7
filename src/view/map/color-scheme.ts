/** Follows the reader's light or dark colour scheme, so the map's labels, rings and hulls match the page. */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class ColorSchemeController implements ReactiveController {
  dark = false;
  private readonly query =
    typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    this.dark = this.query?.matches ?? false;
    this.query?.addEventListener('change', this.onChange);
  }

  hostDisconnected(): void {
    this.query?.removeEventListener('change', this.onChange);
  }

  private readonly onChange = (event: MediaQueryListEvent) => {
    this.dark = event.matches;
    this.host.requestUpdate();
  };
}
