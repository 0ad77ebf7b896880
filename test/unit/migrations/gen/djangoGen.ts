import { Rng } from '../../../bench/gen/prng';

interface GenMigration {
  app: string;
  name: string;
  deps: [string, string][];
  replaces: [string, string][];
  runBefore: [string, string][];
}

export interface GenProject {
  files: Record<string, string>;
  apps: string[];
}

/**
 * A Django project of 1–3 apps: linear runs, branches (two leaves), merge
 * migrations, cross-app dependencies (`__first__` too), `run_before`, and
 * squashed migrations that replace a linear run (the originals kept or deleted).
 */
export function generateProject(seed: number, prefix: string): GenProject {
  const rng = new Rng(seed);
  const apps = Array.from({ length: rng.int(1, 3) }, (_, i) => `${prefix}_app${i + 1}`);
  const all: GenMigration[] = [];
  const files: Record<string, string> = {};
  for (const app of apps) {
    const mine: GenMigration[] = [];
    const leaves: string[] = [];
    const count = rng.int(2, 12);
    for (let i = 1; i <= count; i++) {
      const name = `${String(i).padStart(4, '0')}_${rng.pick(['initial', 'add_field', 'alter_index', 'backfill', 'rename'])}${i}`;
      const m: GenMigration = { app, name, deps: [], replaces: [], runBefore: [] };
      if (mine.length) {
        const roll = rng.next();
        if (roll < 0.65 && leaves.length) m.deps.push([app, rng.pick(leaves)]);
        else if (roll < 0.85 || leaves.length < 2) m.deps.push([app, rng.pick(mine).name]);
        else for (const l of rng.sample(leaves, Math.min(leaves.length, rng.int(2, 3)))) m.deps.push([app, l]);
      }
      const others = all.filter((o) => o.app !== app);
      if (others.length && rng.chance(0.25)) m.deps.push(rng.chance(0.3) ? [others[0].app, '__first__'] : pickOther(rng, others));
      for (const [a, n] of m.deps) {
        const at = a === app ? leaves.indexOf(n) : -1;
        if (at >= 0) leaves.splice(at, 1);
      }
      leaves.push(name);
      mine.push(m);
    }
    maybeSquash(rng, app, mine);
    all.push(...mine);
  }
  // run_before: an earlier app's migration must run before a later app's one it does not already follow.
  for (const m of all) {
    const later = all.filter((o) => o.app > m.app && !o.replaces.length);
    if (later.length && !m.replaces.length && rng.chance(0.08)) {
      const target = rng.pick(later);
      if (!ancestors(all, target).has(`${m.app}.${m.name}`) && !ancestors(all, m).has(`${target.app}.${target.name}`)) m.runBefore.push([target.app, target.name]);
    }
  }
  for (const app of apps) {
    files[`${app}/__init__.py`] = '';
    files[`${app}/migrations/__init__.py`] = '';
  }
  for (const m of all) if (!(m as GenMigration & { deleted?: boolean }).deleted) files[`${m.app}/migrations/${m.name}.py`] = migrationFile(rng, m);
  return { files, apps };
}

/** Everything a migration depends on, transitively (`__first__` as the app's first migration). */
function ancestors(all: GenMigration[], m: GenMigration): Set<string> {
  const seen = new Set<string>();
  const todo = [m];
  while (todo.length) {
    const cur = todo.pop()!;
    for (const [a, n] of cur.deps) {
      const dep = all.find((x) => x.app === a && (n === '__first__' ? x.name.startsWith('0001') : x.name === n));
      if (dep && !seen.has(`${dep.app}.${dep.name}`)) {
        seen.add(`${dep.app}.${dep.name}`);
        todo.push(dep);
      }
    }
  }
  return seen;
}

function pickOther(rng: Rng, others: GenMigration[]): [string, string] {
  const o = rng.pick(others);
  return [o.app, o.name];
}

/** Squashes a prefix run 0001..000k when it is linear and has no cross-app dependency. */
function maybeSquash(rng: Rng, app: string, mine: GenMigration[]): void {
  if (mine.length < 3 || !rng.chance(0.3)) return;
  let k = 1;
  while (k < mine.length && mine[k].deps.length === 1 && mine[k].deps[0][0] === app && mine[k].deps[0][1] === mine[k - 1].name) k++;
  if (k < 2 || mine.slice(0, k).some((m) => m.deps.some(([a]) => a !== app))) return;
  const run = mine.slice(0, rng.int(2, k));
  const squash: GenMigration = { app, name: `${run[0].name.slice(0, 4)}_squashed_${run[run.length - 1].name}`, deps: [], replaces: run.map((m) => [app, m.name]), runBefore: [] };
  if (rng.chance(0.5)) for (const m of run) (m as GenMigration & { deleted?: boolean }).deleted = true;
  mine.push(squash);
}

function migrationFile(rng: Rng, m: GenMigration): string {
  const tuple = ([a, n]: [string, string]) => (rng.chance(0.5) ? `('${a}', '${n}')` : `("${a}", "${n}")`);
  const list = (xs: [string, string][]) => (xs.length > 1 ? `[\n        ${xs.map(tuple).join(',\n        ')},\n    ]` : `[${xs.map(tuple).join(', ')}]`);
  const lines = ['from django.db import migrations', '', '', 'class Migration(migrations.Migration):'];
  if (m.name.startsWith('0001') && !m.replaces.length) lines.push('    initial = True', '');
  if (m.replaces.length) lines.push(`    replaces = ${list(m.replaces)}`, '');
  lines.push(`    dependencies = ${list(m.deps)}`, '');
  if (m.runBefore.length) lines.push(`    run_before = ${list(m.runBefore)}`, '');
  lines.push('    operations = []', '');
  return lines.join('\n');
}
