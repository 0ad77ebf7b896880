import type { Analyzer } from '../analyzer';

/** JSON contract fields (../shared/design/CLI-CONTRACT.md); more may be added. */
export interface CacheServiceSummary {
  name: string;
  file: string;
  reads: { name: string; line: number; key: string | null; ttl: number | null }[];
  writes: { name: string; line: number; invalidates: string[] }[];
}

export interface CacheData {
  services: CacheServiceSummary[];
}

export const cacheAnalyzer: Analyzer<CacheData> = {
  id: 'cache',
  title: 'Cache Coverage',
  async run() {
    return { findings: [], data: { services: [] }, notice: 'cache coverage is not yet available' };
  },
};

/** `codenav cache --format markdown`: the audit report. */
export function renderCacheAudit(_data: CacheData): string {
  return '# Cache audit\n\nCache coverage is not yet available.\n';
}
