import { describe, expect, it } from 'vitest';
import {
  applyShareState,
  decodeShareState,
  encodeShareState,
  type ShareState,
} from '../../../src/view/share/url-state.ts';

describe('url-state', () => {
  it('round-trips every field through a URL', () => {
    const state: ShareState = {
      corpus: 'https://example.org/corpus.txt?x=1&y=2',
      selected: 'arXiv:2401.00001~v2',
      search: 'graph neural & networks',
      semantic: true,
      view: { x: 1.25, y: -3.5, zoom: 4.125 },
      colorBy: 'year',
      reading: [
        { id: 'a%b~c', note: 'read first ~ then think, 100%' },
        { id: 'hep-th/9901001', note: '' },
      ],
      filters: ['time:2024-03..2025-01', 'category:cs.CL|a%7Cb'],
    };
    const url = applyShareState('https://atlas.example/app/?lang=en#top', state);
    expect(url.searchParams.get('lang')).toBe('en');
    expect(url.hash).toBe('#top');
    const decoded = decodeShareState(new URL(url.toString()).search);
    expect(decoded.warnings).toEqual([]);
    expect(decoded.state).toEqual(state);
  });

  it('writes only what is set, compactly', () => {
    expect(encodeShareState({}).toString()).toBe('v=1');
    const params = encodeShareState({ view: { x: 1 / 3, y: 2, zoom: 1.23456789 } });
    expect(params.get('view')).toBe('0.3333,2,1.2346');
  });

  it('replaces its own parameters and keeps others', () => {
    const url = applyShareState('https://a.example/?q=old&paper=x&keep=1', { search: 'new' });
    expect(url.searchParams.get('q')).toBe('new');
    expect(url.searchParams.has('paper')).toBe(false);
    expect(url.searchParams.get('keep')).toBe('1');
  });

  it('ignores bad values with warnings and keeps the good ones', () => {
    const { state, warnings } = decodeShareState(
      'v=9&corpus=javascript:alert(1)&color=rainbow&view=1,2&semantic=maybe&r=&r=p1~note&r=p1&q=ok&paper=p2',
    );
    expect(state).toEqual({ search: 'ok', selected: 'p2', reading: [{ id: 'p1', note: 'note' }] });
    expect(warnings).toHaveLength(7);
    expect(warnings.join(' ')).toMatch(/version "9"/);
    expect(warnings.join(' ')).toMatch(/cluster, category, year, source/);
  });

  it('rejects non-finite and extreme views and accepts site paths as corpus', () => {
    expect(decodeShareState('view=1,NaN,2').state.view).toBeUndefined();
    expect(decodeShareState('view=1,2,99').state.view).toBeUndefined();
    expect(decodeShareState('view=,,').state.view).toBeUndefined();
    expect(decodeShareState('corpus=/corpus/a.txt').state.corpus).toBe('/corpus/a.txt');
    expect(decodeShareState('corpus=corpus/a.txt').state.corpus).toBe('corpus/a.txt');
    expect(decodeShareState('corpus=//evil.example/x').state.corpus).toBeUndefined();
    expect(decodeShareState('corpus=data:text/plain,hi').state.corpus).toBeUndefined();
  });

  it('never throws on arbitrary input', () => {
    for (const text of ['%', 'r=%E0%A4%A', 'view=%00', '&&&=&', 'r=~~~', 'semantic=']) {
      expect(() => decodeShareState(text)).not.toThrow();
    }
  });
});
