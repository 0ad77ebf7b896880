import type { EnvironmentSummary, MigrationsData } from '../../core/migrations';
import type { Style } from '../render';

function headsText(e: EnvironmentSummary, s: Style): string {
  const word = e.tool === 'django' ? 'leaf' : 'head';
  const labelled = (id: string) => {
    const labels = e.history.find((r) => r.id === id)?.carried ?? [];
    return labels.length ? `${id} (${labels.join(', ')})` : id;
  };
  if (e.heads.length === 1) return s.green(`${word} ${labelled(e.heads[0])}`);
  if (e.heads.length === 0) return e.revisions ? s.red(`no ${word} (see the findings)`) : s.dim('empty');
  const text = `${e.heads.length} ${word === 'leaf' ? 'leaves' : 'heads'}: ${e.heads.map(labelled).join(', ')}`;
  return e.headsIntentional ? s.yellow(text) : s.red(text);
}

/** The migrations overview printed above the findings. */
export function migrationsText(data: MigrationsData, s: Style): string[] {
  const lines: string[] = [];
  for (const e of data.environments) {
    const unit = e.tool === 'django' ? 'migration' : 'revision';
    const where = e.config ? `${e.tool}, ${e.config}` : e.tool;
    lines.push(`${s.bold(e.name)} (${where}): ${e.revisions} ${unit}${e.revisions === 1 ? '' : 's'} in ${e.root}, ${headsText(e, s)}`);
    const details = [
      e.bases.length ? `base${e.bases.length > 1 ? 's' : ''} ${e.bases.join(', ')}` : '',
      e.merges.length ? `merge${e.merges.length > 1 ? 's' : ''} ${e.merges.join(', ')}` : '',
      e.branchPoints.length ? `branch point${e.branchPoints.length > 1 ? 's' : ''} ${e.branchPoints.join(', ')}` : '',
      Object.keys(e.branchLabels).length ? `labels ${Object.entries(e.branchLabels).map(([l, id]) => `${l}→${id}`).join(', ')}` : '',
    ].filter(Boolean);
    if (details.length) lines.push(s.dim(`  ${details.join(' · ')}`));
  }
  if (data.against) lines.push(data.against.error ? s.red(`against ${data.against.ref}: ${data.against.error}`) : s.dim(`compared with ${data.against.ref} (${data.against.commit?.slice(0, 12)})`));
  return lines;
}
