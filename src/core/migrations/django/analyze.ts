import type { Finding, RelatedLocation } from '../../findings';
import { FILE_START } from '../../findings';
import type { Workspace } from '../../workspace/workspace';
import { dirOf, isInDir, joinRel } from '../alembic/envSpec';
import { cycles, latestCommonAncestors } from '../graphAlgo';
import { applySuppressions, readSuppressions } from '../suppressions';
import type { EnvironmentSummary } from '../summary';
import { appLabel, readDjangoMigration, type DjangoMigration } from './read';

interface App {
  label: string;
  dir: string;
  config: string | null;
  migrations: DjangoMigration[];
}

const key = (app: string, name: string) => `${app}\0${name}`;

/** Django apps: a `migrations/` package (with `__init__.py`, no `env.py`) whose modules define `class Migration`. */
async function discoverApps(ws: Workspace): Promise<App[]> {
  const configured = new Map<string, string>();
  for (const e of ws.config.migrations?.environments ?? []) {
    if (e.tool !== 'django') continue;
    for (const v of e.versions ?? []) configured.set(v.replace(/\/+$/, ''), e.name ?? '');
  }
  const apps: App[] = [];
  for (const f of ws.files) {
    if (!f.path.endsWith('migrations/__init__.py') && !configured.has(dirOf(f.path))) continue;
    const dir = dirOf(f.path);
    if (apps.some((a) => a.dir === dir)) continue;
    if (ws.has(joinRel(dir, 'env.py'))) continue;
    const files = ws.files
      .map((x) => x.path)
      .filter((p) => p.endsWith('.py') && isInDir(p, dir, false) && !/^[_~]/.test(p.slice(dir.length + 1)));
    if (!configured.has(dir) && !files.some((p) => ws.grep(p, /class\s+Migration\s*\(/))) continue;
    const appDir = dirOf(dir);
    const appsPy = joinRel(appDir, 'apps.py');
    const label = configured.get(dir) || appLabel(appDir.slice(appDir.lastIndexOf('/') + 1), ws.has(appsPy) ? await ws.python(appsPy) : undefined);
    const migrations: DjangoMigration[] = [];
    for (const p of files) migrations.push(readDjangoMigration(label, p, await ws.python(p)));
    apps.push({ label, dir, config: ws.has(appsPy) ? appsPy : null, migrations });
  }
  return apps;
}

/**
 * Django's MigrationLoader graph, statically: dependencies (with
 * `__first__`/`__latest__`), `run_before`, and squashed migrations replacing
 * the ones they list (as with an empty database). Leaf nodes per app are the
 * heads; more than one is what `makemigrations --check` calls a conflict.
 */
export async function analyzeDjango(ws: Workspace): Promise<{ environments: EnvironmentSummary[]; findings: Finding[] }> {
  const apps = await discoverApps(ws);
  if (!apps.length) return { environments: [], findings: [] };
  const findings: Finding[] = [];
  const byKey = new Map<string, DjangoMigration>();
  for (const a of apps) {
    for (const m of a.migrations) {
      if (m.unreadable) findings.push({ rule: 'migration/unreadable', severity: 'error', file: m.file, range: m.classRange ?? FILE_START, message: m.unreadable });
      if (m.classRange) byKey.set(key(m.app, m.name), m);
    }
  }
  const labels = new Set(apps.map((a) => a.label));
  const edges: { child: string; parent: string; from: DjangoMigration; ref: { app: string; name: string; range: typeof FILE_START } }[] = [];
  const sameApp = (app: string) => [...byKey.values()].filter((m) => m.app === app);
  const rootsOf = (app: string) => sameApp(app).filter((m) => !m.dependencies.some((d) => d.app === app && d.name !== '__first__'));
  for (const m of byKey.values()) {
    for (const d of m.dependencies) {
      if (d.app === m.app) {
        if (d.name !== '__first__') edges.push({ child: key(m.app, m.name), parent: key(d.app, d.name), from: m, ref: d });
        continue;
      }
      if (!labels.has(d.app)) continue;
      let name: string | undefined = d.name;
      if (d.name === '__first__') name = rootsOf(d.app).map((x) => x.name).sort()[0];
      else if (d.name === '__latest__') name = undefined;
      if (name) edges.push({ child: key(m.app, m.name), parent: key(d.app, name), from: m, ref: d });
    }
    for (const r of m.runBefore) if (labels.has(r.app)) edges.push({ child: key(r.app, r.name), parent: key(m.app, m.name), from: m, ref: r });
  }
  // Squashed migrations replace the ones they list, with every edge moved onto them.
  const replacedBy = new Map<string, string>();
  for (const m of byKey.values()) for (const r of m.replaces) replacedBy.set(key(r.app, r.name), key(m.app, m.name));
  const live = new Map([...byKey].filter(([k]) => !replacedBy.has(k)));
  const parents = new Map<string, string[]>([...live.keys()].map((k) => [k, []]));
  for (const e of edges) {
    const replacement = replacedBy.get(e.child);
    const child = replacement && !replacedBy.has(replacement) ? replacement : e.child;
    const parent = replacedBy.get(e.parent) ?? e.parent;
    if (child === parent || !live.has(child)) continue;
    if (!live.has(parent)) {
      const [app, name] = parent.split('\0');
      findings.push({
        rule: 'migration/dangling-revision',
        severity: 'error',
        file: e.from.file,
        range: e.from.dependenciesRange ? { start: e.from.dependenciesRange.start, end: e.ref.range.end } : e.ref.range,
        message: `dependency ("${app}", "${name}") names no migration of app ${app}; Django fails with NodeNotFoundError`,
      });
      continue;
    }
    const list = parents.get(child)!;
    if (!list.includes(parent)) list.push(parent);
  }
  const children = new Map<string, string[]>([...live.keys()].map((k) => [k, []]));
  for (const [c, ps] of parents) for (const p of ps) children.get(p)!.push(c);
  for (const cycle of cycles([...live.keys()], parents)) {
    for (const k of cycle) {
      const m = live.get(k)!;
      findings.push({
        rule: 'migration/cycle',
        severity: 'error',
        file: m.file,
        range: m.dependenciesRange ?? m.classRange ?? FILE_START,
        message: `migrations form a cycle: ${[...cycle, cycle[0]].map((x) => x.replace('\0', '.')).join(' → ')}; Django fails with CircularDependencyError`,
      });
    }
  }
  const environments: EnvironmentSummary[] = [];
  for (const a of apps) {
    const mine = [...live.keys()].filter((k) => live.get(k)!.app === a.label);
    const appOf = (k: string) => k.slice(0, k.indexOf('\0'));
    const sameParents = (k: string) => (parents.get(k) ?? []).filter((p) => appOf(p) === a.label);
    const leaves = mine.filter((k) => !(children.get(k) ?? []).some((c) => appOf(c) === a.label));
    const roots = mine.filter((k) => !sameParents(k).length);
    const nameOf = (k: string) => k.slice(k.indexOf('\0') + 1);
    if (leaves.length > 1) findings.push(...leafFindings(a, leaves.map((k) => live.get(k)!), new Map(mine.map((k) => [k, sameParents(k)]))));
    environments.push({
      tool: 'django',
      name: a.label,
      root: a.dir,
      versions: [a.dir],
      config: a.config,
      scriptDir: dirOf(a.dir),
      revisions: mine.length,
      heads: leaves.map(nameOf).sort(),
      bases: roots.map(nameOf).sort(),
      merges: mine.filter((k) => sameParents(k).length > 1).map(nameOf),
      branchPoints: mine.filter((k) => (children.get(k) ?? []).filter((c) => appOf(c) === a.label).length > 1).map(nameOf),
      branchLabels: {},
      fileTemplate: null,
      history: mine.map((k) => {
        const m = live.get(k)!;
        return { id: m.name, file: m.file, line: (m.classRange?.start.line ?? 0) + 1, down: sameParents(k).map(nameOf), dependsOn: (parents.get(k) ?? []).filter((p) => appOf(p) !== a.label).map((p) => p.replace('\0', '.')), labels: [], carried: [] };
      }),
    });
  }
  const sup = await Promise.all(apps.flatMap((a) => a.migrations).map(async (m) => readSuppressions(m.file, (await ws.python(m.file))?.comments ?? [])));
  const kept = applySuppressions(findings, sup.flatMap((s) => s.suppressions));
  kept.push(...sup.flatMap((s) => s.findings));
  return { environments, findings: kept };
}

function leafFindings(app: App, leaves: DjangoMigration[], parents: Map<string, string[]>): Finding[] {
  const split = latestCommonAncestors(leaves.map((l) => key(l.app, l.name)), parents).map((k) => k.slice(k.indexOf('\0') + 1));
  return leaves.map((l) => {
    const related: RelatedLocation[] = leaves.filter((o) => o !== l).map((o) => ({ file: o.file, range: o.classRange ?? FILE_START, message: `leaf ${o.name}` }));
    return {
      rule: 'migration/multiple-heads',
      severity: 'error' as const,
      file: l.file,
      range: l.classRange ?? FILE_START,
      message: `app ${app.label} has ${leaves.length} leaf migrations: ${leaves.map((x) => x.name).join(', ')}${split.length ? `; they diverged at ${split.join(', ')}` : ''}. Django's makemigrations --check calls this a conflict: run \`python manage.py makemigrations --merge ${app.label}\``,
      related,
    };
  });
}
