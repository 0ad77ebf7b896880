import type { AnalyzerId, AnalyzerResult } from '../core/analyzer';
import type { CacheData } from '../core/cache';
import type { MigrationsData } from '../core/migrations';
import type { NavigationData } from '../core/navigation';
import type { Style } from './render';
import { cacheText } from './text/cache';
import { migrationsText } from './text/migrations';
import { servicesText } from './text/services';

/** The per-command overview printed above the findings in text mode. */
export function dataText(command: string, results: Partial<Record<AnalyzerId, AnalyzerResult>>, s: Style): string[] {
  switch (command) {
    case 'services':
      return results.navigation ? servicesText(results.navigation.data as NavigationData, s) : [];
    case 'migrations':
      return results.migrations ? migrationsText(results.migrations.data as MigrationsData, s) : [];
    case 'cache':
      return results.cache ? cacheText(results.cache.data as CacheData, s) : [];
    default:
      return [];
  }
}
