/**
 * What the app gives the explorer (through `@lit/context`) and the events the explorer sends back.
 * The app provides `atlasServicesContext` on an ancestor of `<atlas-explorer>`; every service is optional.
 */
import { createContext } from '@lit/context';
import type { EmbedQuery } from './model/paper-search.ts';
import type { ShareState } from './share/url-state.ts';

export interface AtlasServices {
  /** Embeds a search query with the map's embedder, for semantic search. */
  embedQuery?(text: string, signal?: AbortSignal): Promise<Float32Array>;
}

export const atlasServicesContext = createContext<AtlasServices>(Symbol('atlas-services'));

/** The app's query embedder, bound to its service, while one is provided. */
export function queryEmbedderOf(services: AtlasServices | undefined): EmbedQuery | undefined {
  const embedQuery = services?.embedQuery;
  return embedQuery ? (text, signal) => embedQuery.call(services, text, signal) : undefined;
}

/** Events the view dispatches (bubbling and composed, so the app hears them from any depth). */
export interface AtlasViewEvents {
  /** Files dropped anywhere or picked with a button. */
  'atlas-file-selected': CustomEvent<File[]>;
  /** Files dropped on "Add to this map" or picked with "Add papers…": their papers join the open map. */
  'atlas-files-added': CustomEvent<File[]>;
  /** The shareable state changed (selection, search, camera, colouring, reading list). */
  'atlas-view-state-changed': CustomEvent<ShareState>;
  /** The reader asked to cancel the computation in progress. */
  'atlas-cancel': CustomEvent<void>;
  /** The reader asked to try the failed step again. */
  'atlas-retry': CustomEvent<void>;
}

declare global {
  interface HTMLElementEventMap {
    'atlas-file-selected': CustomEvent<File[]>;
    'atlas-files-added': CustomEvent<File[]>;
    'atlas-view-state-changed': CustomEvent<ShareState>;
    'atlas-cancel': CustomEvent<void>;
    'atlas-retry': CustomEvent<void>;
  }
}

export function emit<K extends keyof AtlasViewEvents>(
  from: EventTarget,
  type: K,
  detail: AtlasViewEvents[K]['detail'],
): void {
  from.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}
