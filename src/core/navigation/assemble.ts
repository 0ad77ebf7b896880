import type { DeprecationIndex } from './deprecations';
import { moduleNameOf } from './deprecations';
import { appEntries, commonRoutePrefix, deprecationRecords, groupBy, moduleEntries, routeEntries, serviceEntries, type RawService } from './entries';
import { planPackages } from './packages';
import type { PyModuleIndex } from './pyModules';
import type { PyRoutesResult } from './pythonRoutes';
import type { NavigationMemo } from './scan';
import type { TsRoute } from './tsRoutes';
import type { Workspace } from '../workspace/workspace';
import { cmpStr, type NavigationData, type PackageEntry } from './types';

export interface AssemblyInput {
  ws: Workspace;
  index: PyModuleIndex;
  memo: NavigationMemo;
  raw: Map<string, RawService>;
  py: PyRoutesResult;
  ts: TsRoute[];
  deprecations: DeprecationIndex;
  configured: readonly string[];
}

type Assembled = Omit<NavigationData, 'problems'>;

/** What the assembly read, to tell whether the previous one still holds. */
function sameInputs(a: AssemblyInput, prev: NonNullable<NavigationMemo['assembly']>, summaries: unknown[]): boolean {
  return (
    prev.py === a.py &&
    prev.ts === a.ts &&
    prev.deprecations === a.deprecations &&
    prev.index === a.index &&
    prev.epoch === a.memo.epoch &&
    prev.configured === a.configured.join('\n') &&
    prev.summaries.length === summaries.length &&
    prev.summaries.every((s, i) => s === summaries[i])
  );
}

/**
 * The index rows from the analysis results: routes, services, modules and
 * packages. Kept as a whole while its inputs are the same objects as last
 * run; route rows are kept per route otherwise (entries.ts).
 */
export function assemble(input: AssemblyInput): Assembled {
  const { ws, index, memo, raw, py, ts, deprecations } = input;
  const summaries = [...raw.values()].map((r) => r.summary);
  const prev = memo.assembly;
  if (prev && sameInputs(input, prev, summaries)) return prev.value;

  const moduleName = (file: string) => moduleNameOf(index, file);
  const serviceId = (key: string) => {
    const r = raw.get(key);
    return r ? `${moduleName(r.file)}.${r.summary.name}` : undefined;
  };
  const routes = routeEntries(py, ts, serviceId, moduleName, { epoch: memo.epoch });
  const services = serviceEntries(raw, deprecations, routes, moduleName);
  const interesting = new Set<string>();
  for (const s of services) interesting.add(s.file);
  for (const r of routes) interesting.add(r.file);
  for (const f of deprecations.modules.keys()) interesting.add(f);
  for (const f of deprecations.symbols.keys()) interesting.add(f);
  const files = [...interesting].sort();
  const plan = planPackages({ ws, index, memo, configured: input.configured, files, appFiles: py.apps.map((a) => a.file) });
  const packageName = new Map(plan.packages.map((p) => [p.dir, p.name]));
  for (const s of services) s.package = packageName.get(plan.packageOf.get(s.file) ?? '') ?? null;
  for (const r of routes) r.package = packageName.get(plan.packageOf.get(r.file) ?? '') ?? null;
  const modules = moduleEntries(files, plan.packageOf, packageName, services, routes, deprecations, moduleName);
  const modulesOf = groupBy(modules.map((m, i) => ({ m, i })), (x) => plan.packageOf.get(x.m.file) ?? '');
  const packages: PackageEntry[] = plan.packages.map((p) => {
    const mods = modulesOf.get(p.dir) ?? [];
    const prefixes = new Set<string>();
    let count = 0;
    for (const x of mods) {
      count += x.m.routes.length;
      for (const ri of x.m.routes) prefixes.add(routes[ri].prefix);
    }
    return {
      ...p,
      modules: mods.map((x) => x.i),
      services: mods.reduce((n, x) => n + x.m.services.length, 0),
      routes: count,
      routePrefix: commonRoutePrefix([...prefixes]),
    };
  });
  packages.sort((a, b) => Number(b.configured) - Number(a.configured) || cmpStr(a.dir, b.dir));
  const value: Assembled = { services, routes, modules, packages, deprecations: deprecationRecords(deprecations, routes), apps: appEntries(py, ts) };
  memo.assembly = { py, ts, deprecations, index, epoch: memo.epoch, configured: input.configured.join('\n'), summaries, value };
  return value;
}
