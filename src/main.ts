import './app/atlas-app.ts';
import { registerAtlasServiceWorker } from './app/service-worker.ts';

registerAtlasServiceWorker();
