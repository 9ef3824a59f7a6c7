/**
 * Cache-first for large files fetched on first use (model weights, runtime files), downloading each
 * file once however many requests for it arrive together.
 *
 * Transformers.js asks for a model's files more than once while it loads (the weights twice at once on
 * a first visit). With a plain cache-first strategy both requests miss the cache, both download, and
 * both write the same entry: Chromium then fails one write (net::ERR_CACHE_WRITE_FAILURE) and aborts
 * the response the page is reading, so the model "could not be loaded" on a reader's first visit and
 * the map fell back to the lexical embedder. Here a request for a file already downloading waits for
 * that download to be stored and is answered from the cache.
 */
export class DownloadOnceCache {
  /** The downloads under way, by URL: each settles once its file is stored (or failed to be). */
  private readonly downloads = new Map<string, Promise<void>>();

  constructor(
    private readonly openCache: () => Promise<Cache>,
    private readonly download: (request: Request) => Promise<Response>,
  ) {}

  async respond(request: Request): Promise<Response> {
    // Only GET responses can be stored; anything else goes to the network as it is.
    if (request.method !== 'GET') return this.download(request);
    const cache = await this.openCache();
    const cached = await cache.match(request);
    if (cached) return cached;
    const underWay = this.downloads.get(request.url);
    if (underWay) {
      await underWay;
      // The download before this one failed to store its file: this request tries on its own.
      return (await cache.match(request)) ?? this.download(request);
    }
    const fetched = this.download(request);
    const stored = fetched.then(async (response) => {
      if (response.ok) await cache.put(request, response.clone());
    });
    const settled = stored.then(
      () => undefined,
      () => undefined,
    );
    this.downloads.set(request.url, settled);
    void settled.then(() => this.downloads.delete(request.url));
    return fetched;
  }
}
