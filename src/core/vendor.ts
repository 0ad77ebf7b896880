import type * as Yaml from 'yaml';
import type FastGlob from 'fast-glob';

/**
 * Libraries loaded on first use, so that activation and a CLI command pay only
 * for what the run needs: most runs never parse a config file or walk a folder
 * without git. The bundler puts each of them in its own file under dist/vendor/.
 */
function lazy<T>(load: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= load());
}

export const yaml = lazy(() => require('yaml') as typeof Yaml);
export const fastGlob = lazy(() => require('fast-glob') as typeof FastGlob);
