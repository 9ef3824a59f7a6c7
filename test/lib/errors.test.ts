import { describe, expect, it } from 'vitest';
import { AtlasError } from '../../src/lib/errors.ts';

describe('AtlasError.readerMessage', () => {
  it('reads as the message, then the hint as a sentence of its own', () => {
    const hint = 'Put the model files under /models/.';
    const fromCause = new AtlasError('embed', 'model-load-failed', 'It failed: Failed to fetch', {
      hint,
    });
    expect(fromCause.readerMessage).toBe(`It failed: Failed to fetch. ${hint}`);
    const sentence = new AtlasError('embed', 'x', 'It failed.', { hint });
    expect(sentence.readerMessage).toBe(`It failed. ${hint}`);
    expect(new AtlasError('embed', 'x', 'It failed').readerMessage).toBe('It failed');
  });
});
