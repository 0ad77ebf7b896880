import type { Finding, Range, RelatedLocation, Severity } from '../../findings';
import { FILE_START } from '../../findings';
import { divergence, type RevisionGraph } from './graph';
import type { AlembicEnvSpec } from './envSpec';
import type { Revision, Unresolved } from './revision';
import type { RevisionSource } from './revisionFile';

export const MERGE_COMMAND = 'codenav.migrations.createMerge';

/** From the start of `a` to the end of `b`. */
function span(a: Range, b: Range): Range {
  return { start: a.start, end: b.end };
}

/** A revision id the missing one was probably meant to be: a prefix of it, or the same length with at most two characters changed. */
function closest(name: string, ids: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestScore = 3;
  for (const id of ids) {
    if (id === name) continue;
    let score = 3;
    if (name.length >= 4 && (id.startsWith(name) || name.startsWith(id))) score = 0;
    else if (id.length === name.length) {
      score = 0;
      for (let i = 0; i < id.length && score < 3; i++) if (id[i] !== name[i]) score++;
    }
    if (score < bestScore) {
      best = id;
      bestScore = score;
    }
  }
  return best;
}

export function fileProblemFindings(sources: readonly RevisionSource[], unresolved: readonly Unresolved[]): Finding[] {
  const out: Finding[] = [];
  for (const s of sources) {
    if (s.unreadable) out.push({ rule: 'migration/unreadable', severity: 'error', file: s.file, range: s.unreadable.range, message: s.unreadable.message });
  }
  for (const u of unresolved) {
    out.push({
      rule: 'migration/unresolved',
      severity: 'warning',
      file: u.file,
      range: u.range,
      message: `${u.field}: ${u.text} cannot be resolved statically (only string literals and simple module constants are read)${u.field === 'revision' ? '; the file is left out of the graph' : ''}`,
    });
  }
  return out;
}

export function integrityFindings(spec: AlembicEnvSpec, g: RevisionGraph): Finding[] {
  const out: Finding[] = [];
  const root = spec.versions[0];
  for (const [id, revs] of g.duplicates) {
    for (const r of revs.slice(1)) {
      out.push({
        rule: 'migration/duplicate-revision',
        severity: 'error',
        file: r.file,
        range: r.idRange,
        message: `revision "${id}" is already declared by ${revs[0].file}; Alembic keeps one of them at random and reports the other as a phantom head`,
        related: revs.filter((x) => x !== r).map((x) => ({ file: x.file, range: x.idRange, message: `revision ${id} is also declared here` })),
      });
    }
  }
  for (const c of g.labelConflicts) {
    out.push({
      rule: 'migration/duplicate-branch-label',
      severity: 'error',
      file: c.rev.file,
      range: c.rev.labels.range ?? c.rev.idRange,
      message: `branch label "${c.label}" is already used by revision ${c.owner.id}${c.ownerKind === 'id' ? ' as its id' : ''}; Alembic refuses to load the history`,
      related: [{ file: c.owner.file, range: c.ownerKind === 'id' ? c.owner.idRange : (c.owner.labels.range ?? c.owner.idRange), message: `"${c.label}" is declared here` }],
    });
  }
  for (const d of g.dangling) {
    const assignment = d.field === 'down_revision' ? d.rev.down.range : d.rev.dependsOn.range;
    const guess = closest(d.ref.id, g.byId.keys());
    const related: RelatedLocation[] = guess ? [{ file: g.byId.get(guess)!.file, range: g.byId.get(guess)!.idRange, message: `did you mean ${guess}?` }] : [];
    out.push({
      rule: 'migration/dangling-revision',
      severity: 'error',
      file: d.rev.file,
      range: assignment ? span(assignment, d.ref.range) : d.ref.range,
      message: `${d.field} names "${d.ref.id}", which no revision in ${root} declares (Alembic fails with KeyError: '${d.ref.id}')${guess ? `; did you mean "${guess}"?` : ''}`,
      related,
    });
  }
  for (const cycle of g.cycles) {
    const members = cycle.map((id) => g.byId.get(id)!);
    const viaDown = cycle.every((id) => (g.parents.get(id) ?? []).some((p) => cycle.includes(p)));
    const path = [...cycle, cycle[0]].join(' → ');
    for (const r of members) {
      const range = (viaDown ? r.down.range : (r.dependsOn.range ?? r.down.range)) ?? r.idRange;
      out.push({
        rule: 'migration/cycle',
        severity: 'error',
        file: r.file,
        range,
        message: `${viaDown ? 'revisions' : 'dependencies'} form a cycle: ${path}; Alembic refuses to load the history (${viaDown ? 'CycleDetected' : 'DependencyCycleDetected'})`,
        related: members.filter((m) => m !== r).map((m) => ({ file: m.file, range: m.down.range ?? m.idRange, message: `${m.id} is part of the cycle` })),
      });
    }
  }
  return out;
}

/** `migration/multiple-heads`: error, or info when every head carries its own branch label or is declared expected. */
/** Whether several heads are intended: each carries its own branch label, or all are in expectedHeads. */
export function headStatus(spec: AlembicEnvSpec, g: RevisionGraph): { intentional: boolean; labelled: boolean; expected: string[]; unexpected: string[] } {
  const labelsOf = (h: string) => g.carried.get(h) ?? [];
  const ownLabel = (h: string) => labelsOf(h).find((l) => g.heads.every((o) => o === h || !labelsOf(o).includes(l)));
  const labelled = g.heads.length > 1 && g.heads.every((h) => ownLabel(h) !== undefined);
  const expected = spec.expectedHeads ?? [];
  const isExpected = (h: string) => expected.includes(h) || labelsOf(h).some((l) => expected.includes(l));
  const unexpected = expected.length ? g.heads.filter((h) => !isExpected(h)) : g.heads;
  return { intentional: g.heads.length > 1 && (labelled || unexpected.length === 0), labelled, expected, unexpected };
}

export function headFindings(spec: AlembicEnvSpec, g: RevisionGraph, configFile: string | undefined): Finding[] {
  if (g.heads.length < 2) return [];
  const root = spec.versions[0];
  const labelsOf = (h: string) => g.carried.get(h) ?? [];
  const { intentional, labelled, expected, unexpected } = headStatus(spec, g);
  const severity: Severity = intentional ? 'info' : 'error';
  const split = divergence(g, g.heads);
  const describe = (h: string) => {
    const labels = labelsOf(h);
    return labels.length ? `${h} (${labels.join(', ')})` : h;
  };
  const where = split.length
    ? `they diverged at ${split.join(', ')}`
    : 'they share no ancestor (separate bases)';
  const out: Finding[] = [];
  for (const h of g.heads) {
    const rev = g.byId.get(h)!;
    let message: string;
    if (labelled) message = `${g.heads.length} heads in ${root}, each on its own branch label: ${g.heads.map(describe).join(', ')} (intentional; upgrade with "heads" or "<label>@head")`;
    else if (expected.length && !unexpected.length) message = `${g.heads.length} heads in ${root}, as declared in ${configFile ?? '.codenav.yaml'} (expectedHeads): ${g.heads.join(', ')}`;
    else {
      const extra = expected.length ? `; not in expectedHeads: ${unexpected.join(', ')}` : '';
      message = `${g.heads.length} heads in ${root}: ${g.heads.map((x) => (x === h ? `${describe(x)} (this file)` : describe(x))).join(', ')}; ${where}${extra}. \`alembic upgrade head\` fails until they are merged`;
    }
    const related: RelatedLocation[] = g.heads
      .filter((o) => o !== h)
      .map((o) => ({ file: g.byId.get(o)!.file, range: g.byId.get(o)!.idRange, message: `head ${describe(o)}` }));
    for (const b of split) {
      const bp = g.byId.get(b)!;
      related.push({ file: bp.file, range: bp.idRange, message: `branch point ${b}: children ${(g.children.get(b) ?? []).join(', ')}` });
    }
    out.push({
      rule: 'migration/multiple-heads',
      severity,
      file: rev.file,
      range: rev.idRange,
      message,
      related,
      fixes: intentional ? undefined : [{ title: `Create merge migration for ${g.heads.length} heads…`, command: { id: MERGE_COMMAND, args: [root] }, preferred: true }],
    });
  }
  return out;
}

export function downgradeFindings(revisions: readonly Revision[], severity: Severity | 'off'): Finding[] {
  if (severity === 'off') return [];
  const out: Finding[] = [];
  for (const r of revisions) {
    if (r.source.unreadable) continue;
    const { upgrade, downgrade } = r.source;
    if (!downgrade) {
      out.push({ rule: 'migration/missing-downgrade', severity, file: r.file, range: upgrade?.nameRange ?? FILE_START, message: `revision ${r.id} has no downgrade() function` });
    } else if (downgrade.emptyBody && upgrade && !upgrade.emptyBody) {
      out.push({
        rule: 'migration/missing-downgrade',
        severity,
        file: r.file,
        range: span(downgrade.range, downgrade.nameRange),
        message: `downgrade() of revision ${r.id} is empty, but upgrade() changes the schema`,
      });
    }
  }
  return out;
}
