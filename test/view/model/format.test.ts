import { describe, expect, it } from 'vitest';
import {
  authorLine,
  formatDuration,
  safeHttpUrl,
  splitOnTerms,
} from '../../../src/view/model/format.ts';

describe('view formatting', () => {
  it('formats durations for the progress panel', () => {
    expect(formatDuration(15.5)).toBe('16 s');
    expect(formatDuration(185)).toBe('3 min 05 s');
    expect(formatDuration(3720)).toBe('1 h 02 min');
    expect(formatDuration(Number.NaN)).toBe('');
    expect(formatDuration(-1)).toBe('');
  });

  it('lets only http(s) URLs become links', () => {
    expect(safeHttpUrl('https://arxiv.org/abs/2401.00001')).toBe(
      'https://arxiv.org/abs/2401.00001',
    );
    expect(safeHttpUrl('javascript:alert(1)')).toBeNull();
    expect(safeHttpUrl(' JavaScript:alert(1)')).toBeNull();
    expect(safeHttpUrl('data:text/html,<script>1</script>')).toBeNull();
    expect(safeHttpUrl('/relative')).toBeNull();
    expect(safeHttpUrl(undefined)).toBeNull();
  });

  it('shortens long author lists', () => {
    expect(authorLine(['A', 'B', 'C', 'D'])).toBe('A, B, C et al.');
    expect(authorLine(['A', 'B'])).toBe('A, B');
    expect(authorLine(undefined)).toBe('');
  });

  it('splits text around search terms, case-insensitively, treating terms literally', () => {
    expect(splitOnTerms('Graph neural GRAPHS', ['graph'])).toEqual([
      '',
      'Graph',
      ' neural ',
      'GRAPH',
      'S',
    ]);
    expect(splitOnTerms('a+b (c)', ['+b', '(c)'])).toEqual(['a', '+b', ' ', '(c)', '']);
    expect(splitOnTerms('text', ['x'])).toEqual(['text']);
  });
});
