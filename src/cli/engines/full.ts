import { ANALYZERS } from '../../core/analyzers';
import { renderCacheAudit, type CacheData } from '../../core/cache';
import { renderNavigationGuide, type NavigationData } from '../../core/navigation';
import { runTypegenOnce } from '../../core/typegen';
import { execute, type CliIO, type CliRequest } from '../execute';

/** Every command: all analyzers, the markdown reports and type generation. */
export function run(req: CliRequest, io: CliIO): Promise<number> {
  return execute(req, io, {
    analyzers: ANALYZERS,
    markdown: (command, results, opts) =>
      command === 'services' ? renderNavigationGuide(results.navigation?.data as NavigationData, opts) : renderCacheAudit(results.cache?.data as CacheData),
    typegen: runTypegenOnce,
  });
}
