/**
 * Benchmark page: `window.ortProfile(request)` runs the profiling worker once and returns its reply. The
 * worker stays alive: ONNX Runtime's threads may still be printing the profile.
 */
import type { OrtProfileReply, OrtProfileRequest } from './ort-profile.worker.ts';

type WorkerMessage = { ok: true; reply: OrtProfileReply } | { ok: false; message: string };

function ortProfile(request: OrtProfileRequest): Promise<OrtProfileReply> {
  const worker = new Worker(new URL('./ort-profile.worker.ts', import.meta.url), {
    type: 'module',
  });
  return new Promise<OrtProfileReply>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
      if (event.data.ok) resolve(event.data.reply);
      else reject(new Error(event.data.message));
    };
    worker.onerror = (event) => reject(new Error(`The profiling worker failed: ${event.message}`));
    worker.postMessage(request);
  });
}

declare global {
  interface Window {
    ortProfile: typeof ortProfile;
  }
}

window.ortProfile = ortProfile;
document.body.dataset['ready'] = 'true';
