import type { MigrationsData } from '../../core/migrations';
import type { Style } from '../render';

export function migrationsText(data: MigrationsData, s: Style): string[] {
  return data.environments.map((e) => {
    const heads = e.heads.length === 1 ? s.green(`head ${e.heads[0]}`) : s.red(`${e.heads.length} heads: ${e.heads.join(', ')}`);
    return `${s.bold(e.root)} (${e.tool}): ${e.revisions} revisions, ${heads}`;
  });
}
