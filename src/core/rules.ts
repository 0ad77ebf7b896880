import type { Severity } from './findings';

export interface RuleInfo {
  id: string;
  description: string;
  defaultSeverity: Severity;
}

/** Every rule id the analyzers emit (../shared/design/CLI-CONTRACT.md). Stable: extend, never rename. */
export const RULES: readonly RuleInfo[] = [
  { id: 'config/invalid', description: 'The .codenav.yaml config file has a mistake.', defaultSeverity: 'error' },
  { id: 'migration/multiple-heads', description: 'A migration history has more than one head.', defaultSeverity: 'error' },
  { id: 'migration/dangling-revision', description: 'down_revision or depends_on names no revision.', defaultSeverity: 'error' },
  { id: 'migration/cycle', description: 'Revisions depend on each other in a cycle.', defaultSeverity: 'error' },
  { id: 'migration/duplicate-revision', description: 'Two migration files declare the same revision id.', defaultSeverity: 'error' },
  { id: 'migration/filename-revision-mismatch', description: 'The revision id in the file name differs from the declared revision.', defaultSeverity: 'warning' },
  { id: 'migration/naming', description: 'The migration file name does not follow the naming convention.', defaultSeverity: 'warning' },
  { id: 'migration/missing-downgrade', description: 'downgrade() is missing or empty.', defaultSeverity: 'warning' },
  { id: 'migration/create-date-mismatch', description: 'The date in the file name disagrees with the Create Date.', defaultSeverity: 'info' },
  { id: 'migration/unreadable', description: 'A file in a versions folder cannot be read as a revision.', defaultSeverity: 'error' },
  { id: 'migration/unresolved', description: 'A value in a revision file could not be resolved statically.', defaultSeverity: 'warning' },
  { id: 'migration/suppression', description: 'A codenav suppression comment is malformed or names an unknown rule.', defaultSeverity: 'warning' },
  { id: 'migration/new-head-against-base', description: 'Merging this branch would leave more than one head.', defaultSeverity: 'error' },
  { id: 'migration/against-unavailable', description: 'The git ref given to --against (or codenav.migrations.against) cannot be read.', defaultSeverity: 'error' },
  { id: 'migration/duplicate-branch-label', description: 'Two revisions declare the same branch label, or a label equals a revision id.', defaultSeverity: 'error' },
  { id: 'migration/environment', description: 'An Alembic environment setting (alembic.ini, pyproject.toml) cannot be used.', defaultSeverity: 'warning' },
  { id: 'deprecated/usage', description: 'Code imports or calls a deprecated module or symbol.', defaultSeverity: 'warning' },
  { id: 'cache/write-without-invalidation', description: 'A write invalidates none of the cached reads it affects.', defaultSeverity: 'warning' },
  { id: 'cache/never-invalidated', description: 'A cached read without TTL that no write invalidates.', defaultSeverity: 'warning' },
  { id: 'cache/orphan-invalidation', description: 'An invalidation pattern matches no cached key.', defaultSeverity: 'warning' },
  { id: 'cache/missing-ttl', description: 'A cached read has no TTL.', defaultSeverity: 'info' },
  { id: 'typegen/failed', description: 'Type generation failed.', defaultSeverity: 'error' },
  { id: 'typegen/contract-break', description: 'A change to the API types breaks code that uses them.', defaultSeverity: 'error' },
  { id: 'typegen/stale', description: 'The committed generated types (or OpenAPI document) differ from a fresh regeneration.', defaultSeverity: 'error' },
  { id: 'typegen/config', description: 'Type generation is configured or detected in a way that cannot run.', defaultSeverity: 'error' },
];

const byId = new Map(RULES.map((r) => [r.id, r]));

export function ruleInfo(id: string): RuleInfo | undefined {
  return byId.get(id);
}

export function isKnownRule(id: string): boolean {
  return byId.has(id);
}
