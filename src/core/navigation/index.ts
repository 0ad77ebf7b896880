import type { Analyzer } from '../analyzer';
import { buildNavigation } from './build';
import type { NavigationData } from './types';

export type { AppEntry, DeprecationRecord, MethodEntry, ModuleEntry, NavigationData, NavigationProblem, PackageEntry, RouteEntry, ServiceEntry } from './types';
export { renderNavigationGuide } from './guide';

export const navigationAnalyzer: Analyzer<NavigationData> = {
  id: 'navigation',
  title: 'Services',
  async run(ws, options = {}) {
    const { data, findings } = await buildNavigation(ws, options);
    const empty = data.services.length === 0 && data.routes.length === 0 && data.deprecations.length === 0;
    return { findings, data, ...(empty ? { notice: 'no services, routes or deprecations found' } : {}) };
  },
};
