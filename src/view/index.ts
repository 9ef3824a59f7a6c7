/** The explorer view's public surface for the app. */
export { AtlasExplorer } from './atlas-explorer.ts';
export { AtlasProgress } from './components/atlas-progress.ts';
export { formatDuration } from './model/format.ts';
export { AtlasErrorBanner } from './components/atlas-error-banner.ts';
export { AtlasDropZone } from './components/atlas-drop-zone.ts';
export { atlasServicesContext, type AtlasServices, type AtlasViewEvents } from './services.ts';
export {
  applyShareState,
  decodeShareState,
  encodeShareState,
  type ColorBy,
  type ReadingItem,
  type ShareState,
  type ViewCamera,
} from './share/url-state.ts';
