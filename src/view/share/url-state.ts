/**
 * The shareable view state and its URL form. A link carries what a reader needs to see the same map the
 * same way: the corpus, the selected paper, the search, the camera, the colouring and a reading list.
 * Links outlive app versions, so decoding never throws: anything unknown or malformed is dropped with a
 * warning and the rest still applies.
 */

export const SHARE_STATE_VERSION = 1;
export const COLOR_BY_VALUES = ['cluster', 'category', 'year', 'source'] as const;
export type ColorBy = (typeof COLOR_BY_VALUES)[number];

export interface ReadingItem {
  id: string;
  note: string;
}

export interface ViewCamera {
  x: number;
  y: number;
  zoom: number;
}

export interface ShareState {
  /** URL of the corpus (or bundle) the map was made from. */
  corpus?: string;
  /** Id of the selected paper. */
  selected?: string;
  search?: string;
  semantic?: boolean;
  view?: ViewCamera;
  colorBy?: ColorBy;
  reading?: ReadingItem[];
  /** Facet filters in their link form (`time:2024..2025`, `category:cs.CL|cs.LG`), read per map. */
  filters?: string[];
}

export interface DecodedShareState {
  state: ShareState;
  /** One plain sentence per value that was ignored. */
  warnings: string[];
}

/** The URL search parameters this module owns; others in a URL are left as they are. */
export const SHARE_PARAMS = {
  version: 'v',
  corpus: 'corpus',
  selected: 'paper',
  search: 'q',
  semantic: 'semantic',
  view: 'view',
  colorBy: 'color',
  reading: 'r',
  filters: 'f',
} as const;

const OWNED = new Set<string>(Object.values(SHARE_PARAMS));
const MAX_TEXT = 2000;
const MAX_READING = 200;
const MAX_FILTERS = 8;
/** Digits kept for camera coordinates: enough for sub-pixel placement, short in a link. */
const VIEW_DIGITS = 4;

/** Encodes the state into search parameters, writing only what is set. */
export function encodeShareState(state: ShareState): URLSearchParams {
  const params = new URLSearchParams();
  params.set(SHARE_PARAMS.version, String(SHARE_STATE_VERSION));
  if (state.corpus) params.set(SHARE_PARAMS.corpus, state.corpus);
  if (state.selected) params.set(SHARE_PARAMS.selected, state.selected);
  if (state.search) params.set(SHARE_PARAMS.search, state.search);
  if (state.semantic) params.set(SHARE_PARAMS.semantic, '1');
  if (state.view) {
    const { x, y, zoom } = state.view;
    params.set(SHARE_PARAMS.view, [x, y, zoom].map((v) => roundTo(v, VIEW_DIGITS)).join(','));
  }
  if (state.colorBy) params.set(SHARE_PARAMS.colorBy, state.colorBy);
  for (const item of state.reading ?? []) {
    params.append(
      SHARE_PARAMS.reading,
      item.note ? `${escapeId(item.id)}~${item.note}` : escapeId(item.id),
    );
  }
  for (const filter of state.filters ?? []) params.append(SHARE_PARAMS.filters, filter);
  return params;
}

/** Reads the state from search parameters (or a query string), ignoring bad values with warnings. */
export function decodeShareState(input: URLSearchParams | string): DecodedShareState {
  const params = typeof input === 'string' ? new URLSearchParams(input) : input;
  const state: ShareState = {};
  const warnings: string[] = [];
  const version = params.get(SHARE_PARAMS.version);
  if (version !== null && version !== String(SHARE_STATE_VERSION)) {
    warnings.push(
      `The link uses state version "${version}"; this app reads version ${SHARE_STATE_VERSION}, so some settings may be lost.`,
    );
  }

  const corpus = params.get(SHARE_PARAMS.corpus);
  if (corpus !== null) {
    if (isHttpUrlOrPath(corpus)) state.corpus = corpus;
    else
      warnings.push(
        `Ignored corpus "${clip(corpus)}": only http(s) URLs and site paths can be loaded.`,
      );
  }

  const selected = params.get(SHARE_PARAMS.selected);
  if (selected !== null) {
    if (selected && selected.length <= MAX_TEXT) state.selected = selected;
    else warnings.push('Ignored an empty or overlong selected paper id.');
  }

  const search = params.get(SHARE_PARAMS.search);
  if (search !== null) {
    if (search.length <= MAX_TEXT) {
      if (search.trim()) state.search = search;
    } else warnings.push(`Ignored a search longer than ${MAX_TEXT} characters.`);
  }

  const semantic = params.get(SHARE_PARAMS.semantic);
  if (semantic !== null) {
    if (semantic === '1' || semantic === 'true') state.semantic = true;
    else if (semantic === '0' || semantic === 'false') state.semantic = false;
    else warnings.push(`Ignored semantic="${clip(semantic)}": use 1 or 0.`);
  }

  const view = params.get(SHARE_PARAMS.view);
  if (view !== null) {
    const parts = view.split(',').map((part) => (part.trim() === '' ? NaN : Number(part)));
    const [x, y, zoom] = parts;
    if (
      parts.length === 3 &&
      x !== undefined &&
      y !== undefined &&
      zoom !== undefined &&
      parts.every(Number.isFinite) &&
      Math.abs(zoom) <= 40
    ) {
      state.view = { x, y, zoom };
    } else {
      warnings.push(
        `Ignored view="${clip(view)}": it needs three numbers "x,y,zoom" with |zoom| ≤ 40.`,
      );
    }
  }

  const colorBy = params.get(SHARE_PARAMS.colorBy);
  if (colorBy !== null) {
    if ((COLOR_BY_VALUES as readonly string[]).includes(colorBy))
      state.colorBy = colorBy as ColorBy;
    else
      warnings.push(`Ignored color="${clip(colorBy)}": use one of ${COLOR_BY_VALUES.join(', ')}.`);
  }

  const readingValues = params.getAll(SHARE_PARAMS.reading);
  if (readingValues.length > 0) {
    const reading: ReadingItem[] = [];
    const seen = new Set<string>();
    for (const value of readingValues) {
      const item = parseReadingItem(value);
      if (!item) warnings.push(`Ignored reading-list entry "${clip(value)}": it has no paper id.`);
      else if (seen.has(item.id))
        warnings.push(`Ignored a repeated reading-list entry "${clip(item.id)}".`);
      else if (reading.length >= MAX_READING) {
        warnings.push(`Ignored reading-list entries past the first ${MAX_READING}.`);
        break;
      } else {
        seen.add(item.id);
        reading.push(item);
      }
    }
    state.reading = reading;
  }

  const filters = params.getAll(SHARE_PARAMS.filters);
  if (filters.length > 0) {
    const kept = filters.filter((filter) => filter.length <= MAX_TEXT).slice(0, MAX_FILTERS);
    if (kept.length < filters.length)
      warnings.push(
        `Ignored filters past the first ${MAX_FILTERS} or longer than ${MAX_TEXT} characters.`,
      );
    state.filters = kept;
  }
  return { state, warnings };
}

/**
 * A URL with the state written into its search parameters: parameters this module owns are replaced,
 * any others (and the path and hash) are kept.
 */
export function applyShareState(url: string | URL, state: ShareState): URL {
  const result = new URL(url.toString());
  for (const key of [...result.searchParams.keys()]) {
    if (OWNED.has(key)) result.searchParams.delete(key);
  }
  for (const [key, value] of encodeShareState(state)) result.searchParams.append(key, value);
  return result;
}

/** Whether two states would give the same link. */
export function sameShareState(a: ShareState, b: ShareState): boolean {
  return encodeShareState(a).toString() === encodeShareState(b).toString();
}

/** Ids may hold any character; `%` and `~` are escaped so the first raw `~` separates id and note. */
function escapeId(id: string): string {
  return id.replace(/%/g, '%25').replace(/~/g, '%7E');
}

function parseReadingItem(value: string): ReadingItem | null {
  const cut = value.indexOf('~');
  const rawId = cut < 0 ? value : value.slice(0, cut);
  const note = cut < 0 ? '' : value.slice(cut + 1, cut + 1 + MAX_TEXT);
  let id: string;
  try {
    id = decodeURIComponent(rawId);
  } catch {
    id = rawId;
  }
  return id ? { id, note } : null;
}

function isHttpUrlOrPath(value: string): boolean {
  if (value.startsWith('/') && !value.startsWith('//')) return true;
  if (/^\.{0,2}\/?[\w.-]/.test(value) && !/^[a-z][a-z\d+.-]*:/i.test(value)) return true;
  try {
    const protocol = new URL(value).protocol;
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

function roundTo(value: number, digits: number): string {
  return String(Number(value.toFixed(digits)));
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
