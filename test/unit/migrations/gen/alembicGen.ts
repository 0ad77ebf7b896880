import { Rng } from '../../../bench/gen/prng';

/** One generated revision: what the file declares. */
export interface GenRevision {
  id: string;
  down: string[];
  deps: string[];
  labels: string[];
  message: string;
}

export interface GenHistory {
  /** Root-relative path → content (alembic.ini files, env.py, revision files). */
  files: Record<string, string>;
  /** The ini files, each one environment, with the root-relative first version folder. */
  envs: { ini: string; root: string }[];
}

const WORDS = ['kilo', 'lima', 'mike', 'oscar', 'papa', 'quebec', 'romeo', 'sierra', 'tango', 'victor', 'whiskey', 'yankee', 'zulu'];
const LABELS = ['expand', 'contract', 'billing', 'booking', 'reports', 'audit', 'search', 'tenant'];

function ids(rng: Rng, taken: Set<string>): string {
  for (;;) {
    const r = rng.next();
    const id = r < 0.75 ? rng.hex(12) : r < 0.85 ? `${rng.pick(WORDS)}${rng.int(0, 99)}` : String(rng.int(0, 999)).padStart(3, '0');
    if (!taken.has(id)) {
      taken.add(id);
      return id;
    }
  }
}

/** Random revisions in topological order: linear runs, branches, merges of 2–3, labels, depends_on, several bases. */
export function generateRevisions(rng: Rng, count: number): GenRevision[] {
  const taken = new Set<string>();
  const revs: GenRevision[] = [];
  const tips: string[] = [];
  const labelsUsed = new Set<string>();
  const newRev = (down: string[]): GenRevision => {
    const r: GenRevision = { id: ids(rng, taken), down, deps: [], labels: [], message: `step ${revs.length} ${rng.pick(['add', 'drop', 'alter', 'backfill'])} ${rng.pick(['users', 'orders', 'invoices', 'slots'])}` };
    for (const d of down) {
      const at = tips.indexOf(d);
      if (at >= 0) tips.splice(at, 1);
    }
    tips.push(r.id);
    revs.push(r);
    return r;
  };
  const bases = rng.chance(0.15) ? rng.int(2, 3) : 1;
  for (let i = 0; i < bases; i++) newRev([]);
  while (revs.length < count) {
    const roll = rng.next();
    let r: GenRevision;
    if (roll < 0.55 && tips.length) r = newRev([rng.pick(tips)]);
    else if (roll < 0.72) r = newRev([rng.pick(revs).id]);
    else if (roll < 0.9 && revs.length >= 2) {
      const pool = tips.length >= 2 && rng.chance(0.7) ? tips : revs.map((x) => x.id);
      r = newRev(rng.sample(pool, Math.min(pool.length, rng.int(2, 3))));
    } else if (roll < 0.93) r = newRev([]);
    else r = newRev([rng.pick(revs).id]);
    if (rng.chance(0.15) && revs.length > 2) {
      const earlier = revs.slice(0, -1);
      r.deps = rng.sample(earlier, rng.int(1, 2)).map((x) => (x.labels.length && rng.chance(0.4) ? x.labels[0] : x.id));
    }
    if (rng.chance(0.1)) {
      const free = LABELS.filter((l) => !labelsUsed.has(l) && !taken.has(l));
      if (free.length) {
        const l = rng.pick(free);
        labelsUsed.add(l);
        r.labels.push(l);
      }
    }
  }
  return revs;
}

function q(rng: Rng, s: string): string {
  return rng.chance(0.5) ? `'${s}'` : `"${s}"`;
}

/** A Python value for a list field, in one of the spellings real histories use. */
function listValue(rng: Rng, items: string[], emptyForms: string[]): string {
  if (!items.length) return rng.pick(emptyForms);
  if (items.length === 1) {
    const r = rng.next();
    if (r < 0.6) return q(rng, items[0]);
    if (r < 0.8) return `(${q(rng, items[0])},)`;
    return `[${q(rng, items[0])}]`;
  }
  const r = rng.next();
  if (r < 0.4) return `(${items.map((i) => q(rng, i)).join(', ')})`;
  if (r < 0.7) return `(\n    ${items.map((i) => q(rng, i)).join(',\n    ')},\n)`;
  return `[\n    ${items.map((i) => q(rng, i)).join(', ')}\n]`;
}

export function revisionFile(rng: Rng, r: GenRevision, allIds: string[], legacy: boolean): string {
  const annotated = rng.chance(0.4);
  const ann = (kind: 'rev' | 'list') => (!annotated ? '' : kind === 'rev' ? ': str' : rng.pick([': Union[str, None]', ': str | None', ': Union[str, Sequence[str], None]']));
  const wrongRevises = rng.chance(0.2) ? [rng.pick(allIds)] : r.down;
  const lines: string[] = [
    `"""${r.message}`,
    '',
    `Revision ID: ${r.id}`,
    `Revises: ${wrongRevises.join(', ')}`,
    `Create Date: 2025-0${rng.int(1, 9)}-1${rng.int(0, 9)} 1${rng.int(0, 9)}:${rng.int(10, 59)}:00.000000`,
    '',
    '"""',
  ];
  if (rng.chance(0.08)) lines.push('from typing import TYPE_CHECKING', '', 'if TYPE_CHECKING:', '    from typing import Any  # noqa: F401');
  lines.push('from typing import Sequence, Union', '', 'from alembic import op', 'import sqlalchemy as sa', '', '', '# revision identifiers, used by Alembic.');
  let down = listValue(rng, r.down, ['None', '()', '[]', "''", 'None']);
  if (r.down.length === 1 && rng.chance(0.1)) {
    lines.push(`PARENT = ${q(rng, r.down[0])}`);
    down = 'PARENT';
  }
  if (!legacy) lines.push(rng.chance(0.05) ? `revision = REV = ${q(rng, r.id)}` : `revision${ann('rev')} = ${q(rng, r.id)}`);
  if (rng.chance(0.1)) lines.push(`down_revision${ann('list')} = \\`, `    ${down}`);
  else lines.push(`down_revision${ann('list')} = ${down}`);
  const labels = r.labels.length ? (rng.chance(0.5) ? q(rng, r.labels[0]) : `(${q(rng, r.labels[0])},)`) : 'None';
  const deps = listValue(rng, r.deps, ['None']);
  if (rng.chance(0.1)) lines.push(`branch_labels${ann('list')} = ${labels}; depends_on${ann('list')} = ${deps}`);
  else lines.push(`branch_labels${ann('list')} = ${labels}`, `depends_on${ann('list')} = ${deps}`);
  lines.push('', '', 'def upgrade() -> None:', rng.chance(0.5) ? `    op.execute("SELECT '${r.id}'")` : '    pass', '', '', 'def downgrade() -> None:', '    pass', '');
  return lines.join('\n');
}

const SEPARATORS: { name?: string; join: string }[] = [{ name: 'os', join: ':' }, { name: 'space', join: ' ' }, { name: ';', join: ';' }, { join: ', ' }];

/** One or two environments in one workspace; the second shares the first one's base id. */
export function generateHistory(seed: number): GenHistory {
  const rng = new Rng(seed);
  const files: Record<string, string> = {};
  const envs: GenHistory['envs'] = [];
  const envCount = rng.chance(0.1) ? 2 : 1;
  let sharedBase: string | undefined;
  for (let e = 0; e < envCount; e++) {
    const name = e === 0 ? 'db' : 'other';
    const revs = generateRevisions(rng, rng.int(3, 40));
    if (sharedBase) {
      const old = revs[0].id;
      revs[0].id = sharedBase;
      for (const r of revs) {
        r.down = r.down.map((d) => (d === old ? sharedBase! : d));
        r.deps = r.deps.map((d) => (d === old ? sharedBase! : d));
      }
    }
    sharedBase ??= revs[0].id;
    const split = rng.chance(0.2);
    const sep = rng.pick(SEPARATORS);
    const dirs = split ? [`${name}/migrations/versions`, `${name}/extra_versions`] : [`${name}/migrations/versions`];
    const ini = [`[alembic]`, rng.chance(0.5) ? `script_location = %(here)s/${name}/migrations` : `script_location = ${name}/migrations`];
    if (split) {
      ini.push(`version_locations = ${dirs.map((d) => `%(here)s/${d}`).join(sep.join)}`);
      if (sep.name) ini.push(`version_path_separator = ${sep.name}`);
    }
    ini.push('file_template = %%(rev)s_%%(slug)s', '');
    files[`${name}.ini`] = ini.join('\n');
    files[`${name}/migrations/env.py`] = '# not run: the oracle only reads the revision map\n';
    const allIds = revs.map((r) => r.id);
    for (const r of revs) {
      const legacy = /^[a-f0-9]+$/.test(r.id) && rng.chance(0.05);
      const dir = rng.pick(dirs);
      const fileId = !legacy && rng.chance(0.05) ? rng.hex(12) : r.id;
      const base = legacy ? `${r.id}.py` : `${fileId}_${r.message.replace(/\W+/g, '_').toLowerCase()}.py`;
      files[`${dir}/${base}`] = revisionFile(rng, r, allIds, legacy);
    }
    envs.push({ ini: `${name}.ini`, root: dirs[0] });
  }
  return { files, envs };
}
