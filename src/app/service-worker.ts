/// <reference types="vite-plugin-pwa/client" />
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { registerSW } from 'virtual:pwa-register';
import { shouldReloadForIsolation } from '../sw/cross-origin-isolation.ts';

/** Set for one reload, so a page that still is not isolated afterwards does not reload in a loop. */
const ISOLATION_RELOAD_KEY = 'abstract-atlas:isolation-reload';

/** How often an open page asks the server whether the site has changed. */
const UPDATE_CHECK_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Offers a waiting site update: "New version available — Reload". Reload hands control to the new
 * service worker, which reloads the page into the new version; Later hides the offer until the next
 * visit, when the update is offered again.
 */
@customElement('atlas-update-prompt')
export class AtlasUpdatePrompt extends LitElement {
  @property({ type: Boolean, reflect: true }) open = false;
  @property({ type: Boolean, reflect: true }) reloading = false;

  /** Called by Reload; set by `registerAtlasServiceWorker`. */
  applyUpdate: (() => Promise<void>) | undefined;

  override render() {
    if (!this.open) return nothing;
    return html`<div role="status">
      <span>New version available</span>
      <button class="reload" ?disabled=${this.reloading} @click=${this.reload}>
        ${this.reloading ? 'Reloading…' : 'Reload'}
      </button>
      <button class="later" ?disabled=${this.reloading} @click=${this.dismiss}>Later</button>
    </div>`;
  }

  private async reload(): Promise<void> {
    this.reloading = true;
    try {
      await this.applyUpdate?.();
    } catch (error) {
      this.reloading = false;
      console.error('Abstract Atlas could not switch to the new version.', error);
    }
  }

  private dismiss(): void {
    this.open = false;
  }

  static override styles = css`
    :host {
      position: fixed;
      inset: auto 1rem 1rem auto;
      z-index: 1000;
    }
    :host(:not([open])) {
      display: none;
    }
    div {
      display: flex;
      gap: 0.75rem;
      align-items: center;
      padding: 0.75rem 1rem;
      border-radius: 0.5rem;
      background: Canvas;
      color: CanvasText;
      border: 1px solid color-mix(in srgb, CanvasText 25%, transparent);
      box-shadow: 0 0.25rem 1rem rgb(0 0 0 / 0.2);
      font: inherit;
    }
    button {
      font: inherit;
      cursor: pointer;
    }
  `;
}

declare global {
  interface HTMLElementTagNameMap {
    'atlas-update-prompt': AtlasUpdatePrompt;
  }
}

export interface ServiceWorkerOptions {
  /** Where the update offer is shown; default `document.body`. */
  container?: HTMLElement;
}

function reloadIntoIsolationIfNeeded(): void {
  const reload = shouldReloadForIsolation({
    crossOriginIsolated: window.crossOriginIsolated,
    controlled: navigator.serviceWorker.controller !== null,
    alreadyReloaded: sessionStorage.getItem(ISOLATION_RELOAD_KEY) !== null,
  });
  if (reload) {
    sessionStorage.setItem(ISOLATION_RELOAD_KEY, String(Date.now()));
    window.location.reload();
  } else if (window.crossOriginIsolated) {
    sessionStorage.removeItem(ISOLATION_RELOAD_KEY);
  }
}

/**
 * Registers the service worker (built sites only; the dev server has none) and wires its life cycle
 * to the page: the page reloads once into cross-origin isolation when the first install takes control
 * on a host that cannot send COOP/COEP headers, and a site update is offered with
 * `<atlas-update-prompt>` instead of waiting for every tab to close. Returns the prompt element.
 */
export function registerAtlasServiceWorker(options: ServiceWorkerOptions = {}): AtlasUpdatePrompt {
  const prompt = document.createElement('atlas-update-prompt');
  (options.container ?? document.body).append(prompt);
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return prompt;

  navigator.serviceWorker.addEventListener('controllerchange', reloadIntoIsolationIfNeeded);
  reloadIntoIsolationIfNeeded();

  const updateServiceWorker = registerSW({
    immediate: true,
    onNeedRefresh: () => {
      prompt.open = true;
    },
    onRegisteredSW: (_url, registration) => {
      if (!registration) return;
      setInterval(() => {
        if (navigator.onLine) void registration.update();
      }, UPDATE_CHECK_INTERVAL_MS);
    },
    onRegisterError: (error: unknown) => {
      console.error(
        'Abstract Atlas could not install its service worker, so it will not work offline. ' +
          'Serve the site over https (or http://localhost) and allow site data for it.',
        error,
      );
    },
  });
  prompt.applyUpdate = () => updateServiceWorker(true);
  return prompt;
}
