import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Plugin } from 'vite';

/** Every file under `dir`, as paths relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory()
      ? filesUnder(path).map((file) => join(entry, file))
      : [entry];
  });
}

/**
 * Ships the models in `models/` (filled by `npm run models`, or `npm run models:test`) with a build, at
 * `<base>models/<id>/`, where the embedder looks first; the dev server serves the folder as it is.
 */
export function localModels(root = process.cwd()): Plugin {
  const modelsDir = join(root, 'models');
  return {
    name: 'abstract-atlas:local-models',
    apply: 'build',
    generateBundle() {
      if (!existsSync(modelsDir)) return;
      for (const file of filesUnder(modelsDir)) {
        if (file === 'README.md') continue;
        this.emitFile({
          type: 'asset',
          fileName: `models/${relative(modelsDir, join(modelsDir, file)).split(sep).join('/')}`,
          source: readFileSync(join(modelsDir, file)),
        });
      }
    },
  };
}
