/**
 * The explorer's map as one piece: the deck (`AtlasMapController`: camera, picking, resizing), what it
 * draws of the clusters (`ClusterOverlay`: labels for the zoom, hulls) and the colour scheme. The
 * explorer hands it what to show with `show`; camera moves place labels without a Lit update.
 */
import type { ReactiveControllerHost } from 'lit';
import type { AtlasMap } from '../../pipeline/atlas-map.ts';
import type { Colouring } from '../model/colors.ts';
import type { ViewCamera } from '../share/url-state.ts';
import { ClusterOverlay } from './cluster-overlay.ts';
import { ColorSchemeController } from './color-scheme.ts';
import { AtlasMapController, type MapCallbacks, type MapProps } from './map-controller.ts';

export interface MapViewCallbacks extends MapCallbacks {
  /** Background work for the map (cluster hulls) is done. */
  onSettled(): void;
}

/** What the explorer decides about the papers; the rest comes from the map and the colouring. */
export type PaperEmphasis = Pick<MapProps, 'highlighted' | 'selected' | 'hovered'>;

export class MapViewController {
  readonly deck: AtlasMapController;
  readonly overlay: ClusterOverlay;
  private readonly scheme: ColorSchemeController;
  private container: HTMLDivElement | null = null;
  private added: { map: AtlasMap; positions: Float32Array } | null = null;

  constructor(host: ReactiveControllerHost, callbacks: MapViewCallbacks) {
    this.deck = new AtlasMapController(host, {
      ...callbacks,
      onViewChange: (camera, fitZoom) => {
        this.overlay.setZoom(camera.zoom, fitZoom, this.deck.worldInView);
        callbacks.onViewChange(camera, fitZoom);
      },
    });
    this.overlay = new ClusterOverlay(host, {
      onChange: () => this.container && this.deck.setProps(this.container, this.clusterProps()),
      onSettled: callbacks.onSettled,
    });
    this.scheme = new ColorSchemeController(host);
  }

  get dark(): boolean {
    return this.scheme.dark;
  }

  /** Shows `map` coloured by `colouring`; a new map starts at `camera` when given, else fitted. */
  show(
    container: HTMLDivElement,
    map: AtlasMap,
    colouring: Colouring,
    papers: PaperEmphasis,
    camera?: ViewCamera,
  ): void {
    this.container = container;
    this.overlay.setMap(map, colouring);
    this.deck.setProps(
      container,
      {
        positions: map.positions,
        added: this.addedPositions(map),
        colors: colouring.colors,
        dark: this.scheme.dark,
        ...papers,
        ...this.clusterProps(),
      },
      camera,
    );
  }

  /** The positions of the papers a grown map just added (one array per map, so redraws are skipped). */
  private addedPositions(map: AtlasMap): Float32Array | null {
    if (map.grownFrom === undefined) return null;
    if (this.added?.map !== map) {
      this.added = { map, positions: map.positions.subarray(2 * map.grownFrom) };
    }
    return this.added.positions;
  }

  private clusterProps(): Pick<MapProps, 'hulls' | 'labels'> {
    return { hulls: this.overlay.hulls, labels: this.overlay.labels };
  }
}
