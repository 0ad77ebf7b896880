import * as path from 'node:path';
import { migrationsAnalyzer } from '../../../src/core/migrations';
import { Workspace } from '../../../src/core/workspace/workspace';
import { repoRoot, writeTree } from '../../support/tmp';

/** A minimal revision file in Alembic's default style. */
export function revisionPy(id: string, down: string | string[] | null, opts: { labels?: string; depends?: string; message?: string; date?: string; downgrade?: string; head?: string } = {}): string {
  const downText = down === null ? 'None' : Array.isArray(down) ? `(${down.map((d) => `'${d}'`).join(', ')})` : `'${down}'`;
  return [
    `"""${opts.message ?? `revision ${id}`}`,
    '',
    `Revision ID: ${id}`,
    `Revises: ${Array.isArray(down) ? down.join(', ') : (down ?? '')}`,
    `Create Date: ${opts.date ?? '2025-02-03 10:10:55.640021'}`,
    '',
    '"""',
    'from alembic import op',
    ...(opts.head ? [opts.head] : []),
    '',
    '# revision identifiers, used by Alembic.',
    `revision = '${id}'`,
    `down_revision = ${downText}`,
    `branch_labels = ${opts.labels ?? 'None'}`,
    `depends_on = ${opts.depends ?? 'None'}`,
    '',
    '',
    'def upgrade() -> None:',
    '    op.execute("SELECT 1")',
    '',
    '',
    'def downgrade() -> None:',
    `    ${opts.downgrade ?? 'op.execute("SELECT 0")'}`,
    '',
  ].join('\n');
}

export const INI = '[alembic]\nscript_location = %(here)s/migrations\n';

export async function analyseDir(root: string, files?: Record<string, string>, against?: string) {
  if (files) writeTree(root, files);
  const ws = await Workspace.open(root, { noGit: !against });
  const result = await migrationsAnalyzer.run(ws, { against });
  return { ws, ...result };
}

export function fixture(name: string): string {
  return path.join(repoRoot(), 'test', 'fixtures', 'migrations', name);
}

export function lines(findings: { rule: string; severity: string; file: string; range: { start: { line: number } } }[]): string[] {
  return findings.map((f) => `${f.rule} ${f.severity} ${f.file}:${f.range.start.line + 1}`).sort();
}
