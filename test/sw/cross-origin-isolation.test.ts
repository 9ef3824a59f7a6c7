import { describe, expect, it } from 'vitest';
import {
  CROSS_ORIGIN_ISOLATION_HEADERS,
  crossOriginIsolationPlugin,
  shouldReloadForIsolation,
  withCrossOriginIsolation,
} from '../../src/sw/cross-origin-isolation.ts';

describe('withCrossOriginIsolation', () => {
  it('adds COOP, COEP and CORP and keeps status, other headers and body', async () => {
    const original = new Response('<!doctype html><title>x</title>', {
      status: 200,
      statusText: 'OK',
      headers: { 'Content-Type': 'text/html', 'Cache-Control': 'no-cache' },
    });
    const isolated = withCrossOriginIsolation(original);
    expect(isolated.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
    expect(isolated.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
    expect(isolated.headers.get('Cross-Origin-Resource-Policy')).toBe('same-origin');
    expect(isolated.headers.get('Content-Type')).toBe('text/html');
    expect(isolated.headers.get('Cache-Control')).toBe('no-cache');
    expect(isolated.status).toBe(200);
    expect(isolated.statusText).toBe('OK');
    expect(await isolated.text()).toBe('<!doctype html><title>x</title>');
  });

  it('keeps error statuses, so a 404 stays a 404', () => {
    const isolated = withCrossOriginIsolation(new Response('missing', { status: 404 }));
    expect(isolated.status).toBe(404);
    expect(isolated.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
  });

  it('overrides a weaker policy the host sent', () => {
    const isolated = withCrossOriginIsolation(
      new Response('', { headers: { 'Cross-Origin-Embedder-Policy': 'unsafe-none' } }),
    );
    expect(isolated.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
  });

  it('returns a response that already carries the headers unchanged', () => {
    const already = new Response('', { headers: { ...CROSS_ORIGIN_ISOLATION_HEADERS } });
    expect(withCrossOriginIsolation(already)).toBe(already);
  });

  it('leaves network errors (status 0) as they are', () => {
    const failed = Response.error();
    expect(withCrossOriginIsolation(failed)).toBe(failed);
  });

  it('is applied by the Workbox plugin to what a strategy returns', async () => {
    const response = await crossOriginIsolationPlugin.handlerWillRespond!({
      request: new Request('http://localhost/abstract-atlas/'),
      response: new Response('ok'),
      event: new Event('fetch') as ExtendableEvent,
    });
    expect(response.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
  });
});

describe('shouldReloadForIsolation', () => {
  it('reloads once when a service worker controls a page that is not yet isolated', () => {
    expect(
      shouldReloadForIsolation({
        crossOriginIsolated: false,
        controlled: true,
        alreadyReloaded: false,
      }),
    ).toBe(true);
  });

  it('does not reload when the page is isolated, uncontrolled, or already reloaded for this', () => {
    expect(
      shouldReloadForIsolation({
        crossOriginIsolated: true,
        controlled: true,
        alreadyReloaded: false,
      }),
    ).toBe(false);
    expect(
      shouldReloadForIsolation({
        crossOriginIsolated: false,
        controlled: false,
        alreadyReloaded: false,
      }),
    ).toBe(false);
    expect(
      shouldReloadForIsolation({
        crossOriginIsolated: false,
        controlled: true,
        alreadyReloaded: true,
      }),
    ).toBe(false);
  });
});
