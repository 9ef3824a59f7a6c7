/**
 * The link form of facet filters (`f=time:2025-03..2025-08`, `f=category:cs.CL|cs.LG`) and the text of
 * time keys (`2025`, `2025-03`). Bad values are dropped with a warning, never thrown.
 */
import { VALUE_FACET_FIELDS, type FacetFilter, type ValueFacetField } from './facets.ts';

/** A time key read as text: `2025` or `2025-03`. */
export function timeKeyLabel(unit: 'year' | 'month', key: number): string {
  if (unit === 'year') return String(key);
  const year = Math.floor(key / 12);
  return `${year}-${String((key % 12) + 1).padStart(2, '0')}`;
}

/** The key of `2025` or `2025-03` in `unit`, or undefined when the text is neither. */
export function parseTimeKey(unit: 'year' | 'month', text: string): number | undefined {
  const match = /^(\d{4})(?:-(\d{1,2}))?$/.exec(text.trim());
  if (!match) return undefined;
  const year = Number(match[1]);
  if (unit === 'year') return year;
  const month = match[2] === undefined ? 1 : Number(match[2]);
  return month >= 1 && month <= 12 ? year * 12 + month - 1 : undefined;
}

/** Link form of the filters: one `field:…` value each, values joined by `|` (escaped within). */
export function encodeFacetFilters(
  filters: readonly FacetFilter[],
  unit: 'year' | 'month',
): string[] {
  return filters.map((filter) => {
    if (filter.field === 'time') {
      return `time:${timeKeyLabel(unit, filter.from)}..${timeKeyLabel(unit, filter.to)}`;
    }
    return `${filter.field}:${filter.values.map(escapeValue).join('|')}`;
  });
}

/**
 * Filters from their link form. Time ranges are read in the unit of the map's time facet (a link
 * made on a monthly map still opens on a yearly one, at whole years). Bad values are dropped with a
 * warning, never thrown.
 */
export function decodeFacetFilters(
  values: readonly string[],
  unit: 'year' | 'month' = 'year',
): { filters: FacetFilter[]; warnings: string[] } {
  const filters: FacetFilter[] = [];
  const warnings: string[] = [];
  for (const value of values) {
    const cut = value.indexOf(':');
    const field = cut < 0 ? '' : value.slice(0, cut);
    const body = cut < 0 ? '' : value.slice(cut + 1);
    if (field === 'time') {
      const [fromText = '', toText = fromText] = body.split('..');
      const from = parseTimeKey(unit, fromText);
      const toMonthEnd = unit === 'month' && /^\d{4}$/.test(toText.trim());
      const to = toMonthEnd
        ? parseTimeKey(unit, `${toText.trim()}-12`)
        : parseTimeKey(unit, toText);
      if (from === undefined || to === undefined || from > to) {
        warnings.push(`Ignored filter "${clip(value)}": a time range reads like 2024..2025.`);
      } else filters.push({ field: 'time', from, to });
    } else if ((VALUE_FACET_FIELDS as readonly string[]).includes(field)) {
      const chosen = splitValues(body).filter(Boolean);
      if (chosen.length === 0) warnings.push(`Ignored filter "${clip(value)}": it names no value.`);
      else filters.push({ field: field as ValueFacetField, values: chosen });
    } else {
      warnings.push(
        `Ignored filter "${clip(value)}": filters are time, ${VALUE_FACET_FIELDS.join(', ')}.`,
      );
    }
  }
  return { filters, warnings };
}

function escapeValue(value: string): string {
  return value.replace(/%/g, '%25').replace(/\|/g, '%7C');
}

function splitValues(body: string): string[] {
  return body.split('|').map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  });
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
