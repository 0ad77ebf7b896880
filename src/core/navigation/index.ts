import type { Analyzer } from '../analyzer';

/** JSON contract fields (../shared/design/CLI-CONTRACT.md); more may be added. */
export interface ServiceEntry {
  name: string;
  module: string;
  file: string;
  /** 1-based. */
  line: number;
  routePrefix: string | null;
  deprecated: boolean;
  replacement: string | null;
}

export interface RouteEntry {
  method: string;
  path: string;
  file: string;
  /** 1-based. */
  line: number;
}

export interface NavigationData {
  services: ServiceEntry[];
  routes: RouteEntry[];
}

export const navigationAnalyzer: Analyzer<NavigationData> = {
  id: 'navigation',
  title: 'Services',
  async run() {
    return { findings: [], data: { services: [], routes: [] }, notice: 'service navigation is not yet available' };
  },
};

/** `codenav services --format markdown`: the navigation guide. */
export function renderNavigationGuide(_data: NavigationData, _options: { package?: string } = {}): string {
  return '# Navigation guide\n\nService navigation is not yet available.\n';
}
