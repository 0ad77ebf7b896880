import type { Analyzer } from '../analyzer';

/** JSON contract fields (../shared/design/CLI-CONTRACT.md); more may be added. */
export interface EnvironmentSummary {
  tool: 'alembic' | 'django';
  root: string;
  revisions: number;
  heads: string[];
  bases: string[];
  merges: string[];
}

export interface MigrationsData {
  environments: EnvironmentSummary[];
}

export const migrationsAnalyzer: Analyzer<MigrationsData> = {
  id: 'migrations',
  title: 'Migrations',
  async run() {
    return { findings: [], data: { environments: [] }, notice: 'migration analysis is not yet available' };
  },
};
