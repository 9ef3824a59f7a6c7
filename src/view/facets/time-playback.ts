import type { ReactiveControllerHost } from 'lit';
import type { AtlasMap } from '../../pipeline/atlas-map.ts';
import type { TimePlayback } from '../components/facet-shared.ts';
import * as explorer from '../model/explorer-state.ts';
import {
  facetOf,
  papersInTimeRange,
  timeSteps,
  type FacetCounts,
  type FacetIndex,
  type TimeStep,
} from '../model/facets.ts';
import { TimePlayer } from './time-player.ts';

/** The step the map shows while time plays: its window, its count, and the papers new in it. */
export interface PlayStep {
  from: number;
  to: number;
  count: number;
  isNew: Uint8Array;
}

/** What playing through time reads from the explorer and hands back to it. */
export interface PlaybackSource {
  map(): AtlasMap | null;
  /** The explorer's state, and how a step's time filter is applied to it. */
  state(): explorer.ExplorerState;
  apply(next: explorer.ExplorerState): void;
  facetIndex(map: AtlasMap): FacetIndex;
  facetCounts(map: AtlasMap, filters: explorer.ExplorerState['filters']): FacetCounts | null;
}

/**
 * Playing a corpus through time, one concern: the player's settings (window, speed, playing) and the
 * step it shows. Each step sets the explorer's time filter, as a brush would, and marks the papers new
 * in it; the clock itself is `TimePlayer`'s (a controller of the host, so it stops with it).
 */
export class TimePlaybackController {
  settings: TimePlayback = { playing: false, window: 6, speed: 1 };
  step: PlayStep | null = null;
  private readonly player: TimePlayer;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly source: PlaybackSource,
  ) {
    this.player = new TimePlayer(
      host,
      (step) => this.show(step),
      () => this.update({ ...this.settings, playing: false }, this.step),
    );
  }

  /** Stops playing and forgets the step, as a new map arrives. */
  reset(): void {
    this.player.pause();
    this.update({ ...this.settings, playing: false }, null);
  }

  /** Starts, restarts or pauses playing through time, as the facet panel asks. */
  set(playback: TimePlayback): void {
    const map = this.source.map();
    const time = map ? facetOf(this.source.facetIndex(map), 'time') : undefined;
    if (time?.field !== 'time') return;
    if (!playback.playing) {
      this.player.pause();
      this.update(playback, null);
      return;
    }
    const steps = timeSteps(time, playback.window);
    // Resume from the step shown, or from the start of the current time filter.
    const shown = this.step;
    const filter = this.source.state().filters.find((f) => f.field === 'time');
    const resumeAt = shown
      ? steps.findIndex((s) => s.filter.to === shown.to)
      : filter?.field === 'time'
        ? steps.findIndex((s) => s.filter.to >= filter.from + playback.window - 1)
        : 0;
    this.settings = playback;
    this.player.play(steps, playback.speed, Math.max(0, resumeAt));
    this.host.requestUpdate();
  }

  private show(step: TimeStep): void {
    const map = this.source.map();
    const time = map ? facetOf(this.source.facetIndex(map), 'time') : undefined;
    if (!map || time?.field !== 'time') return;
    const next = explorer.setFacetFilter(this.source.state(), 'time', step.filter);
    this.source.apply(next);
    const counts = this.source.facetCounts(map, next.filters);
    this.update(this.settings, {
      from: step.filter.from,
      to: step.filter.to,
      count: counts?.passCount ?? map.papers.length,
      isNew: papersInTimeRange(time, step.newFrom, step.filter.to),
    });
  }

  private update(settings: TimePlayback, step: PlayStep | null): void {
    this.settings = settings;
    this.step = step;
    this.host.requestUpdate();
  }
}
