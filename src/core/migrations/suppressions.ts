import type { Finding } from '../findings';
import type { Comment } from '../parsing/facts';
import { isKnownRule } from '../rules';

const DIRECTIVE = /^\s*codenav\s*:\s*ignore\b(.*)$/i;

export interface Suppression {
  file: string;
  rules: string[];
  reason: string;
}

/**
 * `# codenav: ignore migration/naming, migration/missing-downgrade -- reason`
 * anywhere in a migration file silences those rules for that file. The reason
 * is required; a directive without one, or naming a rule that does not exist
 * or is not a migration rule, is itself a `migration/suppression` finding and
 * silences nothing.
 */
export function readSuppressions(file: string, comments: readonly Comment[]): { suppressions: Suppression[]; findings: Finding[] } {
  const suppressions: Suppression[] = [];
  const findings: Finding[] = [];
  for (const c of comments) {
    const m = DIRECTIVE.exec(c.text);
    if (!m) continue;
    // An em dash (U+2014) counts as ` -- `; written as an escape so the CLI bundle stays ASCII.
    const [rulePart, ...reasonParts] = m[1].split(/\s--\s?|\s\u2014\s?/);
    const reason = reasonParts.join(' -- ').trim();
    const rules = rulePart.split(/[\s,]+/).filter(Boolean);
    const bad = (message: string) => findings.push({ rule: 'migration/suppression', severity: 'warning', file, range: c.range, message });
    if (!rules.length) {
      bad('a codenav suppression must name the rules it silences: `# codenav: ignore migration/naming -- reason`');
      continue;
    }
    if (!reason) {
      bad(`a codenav suppression needs a reason after " -- ": \`# codenav: ignore ${rules.join(', ')} -- why this is fine\`; nothing is silenced`);
      continue;
    }
    const valid: string[] = [];
    for (const r of rules) {
      if (!isKnownRule(r)) bad(`"${r}" is not a rule id, so this suppression silences nothing for it (migration rules look like migration/naming)`);
      else if (!r.startsWith('migration/') || r === 'migration/suppression') bad(`"${r}" cannot be suppressed in a migration file`);
      else valid.push(r);
    }
    if (valid.length) suppressions.push({ file, rules: valid, reason });
  }
  return { suppressions, findings };
}

/** Drops findings silenced by a suppression of their own file. */
export function applySuppressions(findings: readonly Finding[], suppressions: readonly Suppression[]): Finding[] {
  if (!suppressions.length) return [...findings];
  const byFile = new Map<string, Set<string>>();
  for (const s of suppressions) {
    const set = byFile.get(s.file) ?? new Set<string>();
    s.rules.forEach((r) => set.add(r));
    byFile.set(s.file, set);
  }
  return findings.filter((f) => !byFile.get(f.file)?.has(f.rule));
}
