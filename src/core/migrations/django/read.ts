import type { Range } from '../../findings';
import type { Expr } from '../../parsing/expr';
import type { PyClass, PyFacts } from '../../parsing/facts';

export interface MigrationKey {
  app: string;
  name: string;
  range: Range;
}

/** One Django migration file as written. */
export interface DjangoMigration {
  app: string;
  name: string;
  file: string;
  /** The `class Migration` line. */
  classRange?: Range;
  dependencies: MigrationKey[];
  replaces: MigrationKey[];
  runBefore: MigrationKey[];
  /** Ranges of the `dependencies` / `replaces` assignments. */
  dependenciesRange?: Range;
  /** Why Django could not load it (no Migration class, syntax error). */
  unreadable?: string;
}

/** `[("app", "0001_x"), …]`; entries that are not two string literals (swappable_dependency …) are skipped. */
function keyList(e: Expr | undefined): MigrationKey[] {
  if (!e || e.kind !== 'seq') return [];
  const out: MigrationKey[] = [];
  for (const item of e.items) {
    if (item.kind === 'seq' && item.items.length === 2 && item.items[0].kind === 'str' && item.items[1].kind === 'str') {
      out.push({ app: item.items[0].value, name: item.items[1].value, range: item.range });
    }
  }
  return out;
}

function migrationClass(facts: PyFacts): PyClass | undefined {
  return [...facts.classes].reverse().find((c) => c.name === 'Migration');
}

export function readDjangoMigration(app: string, file: string, facts: PyFacts | undefined): DjangoMigration {
  const name = file.slice(file.lastIndexOf('/') + 1).replace(/\.py$/, '');
  const m: DjangoMigration = { app, name, file, dependencies: [], replaces: [], runBefore: [] };
  if (!facts) return { ...m, unreadable: 'the file cannot be parsed' };
  const cls = migrationClass(facts);
  if (!cls) return { ...m, unreadable: `no Migration class: Django fails with BadMigrationError ("Migration ${name} in app ${app} has no Migration class")` };
  m.classRange = cls.nameRange;
  const field = (n: string) => [...cls.assignments].reverse().find((a) => a.targets.includes(n));
  const deps = field('dependencies');
  m.dependencies = keyList(deps?.value);
  m.dependenciesRange = deps?.range;
  m.replaces = keyList(field('replaces')?.value);
  m.runBefore = keyList(field('run_before')?.value);
  if (facts.errors.length) m.unreadable = `syntax error at line ${facts.errors[0].start.line + 1}: Django cannot import this migration`;
  return m;
}

/** The app label from `apps.py` (`label = "…"` in an AppConfig class), else the folder name. */
export function appLabel(dirName: string, apps: PyFacts | undefined): string {
  for (const c of apps?.classes ?? []) {
    const label = [...c.assignments].reverse().find((a) => a.targets.includes('label'));
    if (label?.value?.kind === 'str' && c.bases.some((b) => b.endsWith('AppConfig'))) return label.value.value;
  }
  return dirName;
}
