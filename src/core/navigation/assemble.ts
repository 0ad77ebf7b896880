import type { DeprecationIndex } from './deprecations';
import { moduleNameOf } from './deprecations';
import { appEntries, deprecationRecords, groupBy, moduleEntries, packageRoutes, routeEntries, serviceEntries, type RawService } from './entries';
import type { NavigationMemo } from './memo';
import { planPackages, type PackagePlan } from './packages';
import { patchAssembly } from './patch';
import type { PyModuleIndex } from './pyModules';
import type { PyRoutesResult } from './pythonRoutes';
import type { TsRoute } from './tsRoutes';
import type { Workspace } from '../workspace/workspace';
import { cmpStr, type NavigationData, type PackageEntry, type RouteEntry } from './types';

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

export type Assembled = Omit<NavigationData, 'problems'>;

/** An assembly with what it read, and what `patchAssembly` needs to patch it. */
export interface Assembly {
  py: PyRoutesResult;
  ts: TsRoute[];
  deprecations: DeprecationIndex;
  index: PyModuleIndex;
  configured: string;
  raw: Map<string, RawService>;
  value: Assembled;
  plan: PackagePlan;
  /** Package dir → package name. */
  packageName: Map<string, string>;
  /** File → number of its route rows, and of its service rows. */
  routeCount: Map<string, number>;
  serviceCount: Map<string, number>;
}

/** Whether everything the assembly read but the routes and the service classes is the same as for `prev`. */
function patchable(a: AssemblyInput, prev: Assembly): boolean {
  return (
    prev.deprecations === a.deprecations &&
    prev.index === a.index &&
    prev.configured === a.configured.join('\n') &&
    prev.py.apps.length === a.py.apps.length &&
    prev.py.apps.every((x, i) => x.file === a.py.apps[i].file)
  );
}

/**
 * The index rows from the analysis results: routes, services, modules and
 * packages. Kept as a whole while its inputs are the same objects as last
 * run; patched where routes or services changed and nothing else did (patch.ts);
 * route rows are kept per route otherwise (entries.ts).
 */
export function assemble(input: AssemblyInput): Assembled {
  const { index, memo, raw, py, ts } = input;
  const prev = memo.assembly;
  if (prev && prev.py === py && prev.ts === ts && prev.raw === raw && patchable(input, prev)) return prev.value;

  const moduleName = (file: string) => moduleNameOf(index, file);
  const serviceId = (key: string) => {
    const r = raw.get(key);
    return r ? `${moduleName(r.file)}.${r.summary.name}` : undefined;
  };
  const routes = routeEntries(py, ts, serviceId, moduleName, { epoch: memo.epoch });
  const base = { py, ts, deprecations: input.deprecations, index, configured: input.configured.join('\n'), raw };
  const patched = prev && patchable(input, prev) ? patchAssembly(prev, { ...base, routes, moduleName }) : undefined;
  memo.assembly = patched ?? { ...base, ...build(input, routes, moduleName) };
  return memo.assembly.value;
}

/** Every row from scratch (rows of unchanged routes and services are still kept, see entries.ts). */
function build(input: AssemblyInput, routes: RouteEntry[], moduleName: (file: string) => string): Pick<Assembly, 'value' | 'plan' | 'packageName' | 'routeCount' | 'serviceCount'> {
  const { ws, index, memo, raw, py, ts, deprecations } = input;
  const services = serviceEntries(raw, deprecations, routes, moduleName);
  const routeCount = new Map<string, number>();
  for (const r of routes) routeCount.set(r.file, (routeCount.get(r.file) ?? 0) + 1);
  const serviceCount = new Map<string, number>();
  for (const s of services) serviceCount.set(s.file, (serviceCount.get(s.file) ?? 0) + 1);
  const interesting = new Set<string>([...routeCount.keys(), ...serviceCount.keys()]);
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
    const { routes: count, routePrefix } = packageRoutes(mods.map((x) => x.m.routes), routes);
    return {
      ...p,
      modules: mods.map((x) => x.i),
      services: mods.reduce((n, x) => n + x.m.services.length, 0),
      routes: count,
      routePrefix,
    };
  });
  packages.sort((a, b) => Number(b.configured) - Number(a.configured) || cmpStr(a.dir, b.dir));
  const value: Assembled = { services, routes, modules, packages, deprecations: deprecationRecords(deprecations, routes), apps: appEntries(py, ts) };
  return { value, plan, packageName, routeCount, serviceCount };
}
