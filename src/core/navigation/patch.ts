import type { Assembly } from './assemble';
import { appEntries, deprecationRecords, packageRoutes, serviceRow, sortedServices, type RawService } from './entries';
import { keep, sameList } from './memo';
import type { RouteEntry } from './types';

/** What changed since the previous assembly: the route rows and the service classes (nothing else it read). */
export interface Change extends Pick<Assembly, 'py' | 'ts' | 'raw' | 'deprecations'> {
  routes: RouteEntry[];
  moduleName(file: string): string;
}

/** Where two lists differ: items `[p, oldEnd)` of the old one became items `[p, newEnd)` of the new one. */
interface Stretch {
  p: number;
  oldEnd: number;
  newEnd: number;
  shift: number;
}

function stretch<T>(old: readonly T[], next: readonly T[], same: (a: T, b: T) => boolean): Stretch {
  let p = 0;
  while (p < old.length && p < next.length && same(old[p], next[p])) p++;
  let q = 0;
  while (q < old.length - p && q < next.length - p && same(old[old.length - 1 - q], next[next.length - 1 - q])) q++;
  return { p, oldEnd: old.length - q, newEnd: next.length - q, shift: next.length - old.length };
}

/** Rows per file after a stretch changed, or undefined when a file gains its first row or loses its last. */
function recount(counts: Map<string, number>, gone: string[], added: string[]): Map<string, number> | undefined {
  if (gone.length === 0 && added.length === 0) return counts;
  const out = new Map(counts);
  for (const f of gone) out.set(f, (out.get(f) ?? 0) - 1);
  for (const f of added) out.set(f, (out.get(f) ?? 0) + 1);
  for (const f of [...gone, ...added]) if ((counts.get(f) ?? 0) > 0 !== (out.get(f) ?? 0) > 0) return undefined;
  return out;
}

/** A module's row indexes after a stretch changed: earlier ones stay, later ones move, its rows in the stretch are looked up. */
function moved(list: number[], s: Stretch, touched: boolean, mine: (i: number) => boolean): number[] {
  if (!touched && (list.length === 0 || list[list.length - 1] < s.p || s.shift === 0)) return list;
  const out = list.filter((i) => i < s.p);
  if (touched) for (let i = s.p; i < s.newEnd; i++) if (mine(i)) out.push(i);
  for (const i of list) if (i >= s.oldEnd) out.push(i + s.shift);
  return sameList(out, list) ? list : out;
}

/** `prev` when `next` holds the same objects. */
function keepList<T>(prev: T[], next: T[]): T[] {
  return sameList(prev, next) ? prev : next;
}

/**
 * The previous assembly patched for a change of route rows and service
 * classes when nothing else it read changed (a route or a service added,
 * removed or edited): only the stretches of rows that differ are made again,
 * with the services their routes use; module and package rows are recounted,
 * and every row whose content is the same stays the same object. Undefined
 * when a file gains its first route or service or loses its last (the module
 * list changes): then a full assembly.
 */
export function patchAssembly(prev: Assembly, next: Change): Assembly | undefined {
  const before = prev.value;
  const { routes, moduleName } = next;
  const packageOf = (file: string) => prev.packageName.get(prev.plan.packageOf.get(file) ?? '') ?? null;

  const rs = stretch(before.routes, routes, (a, b) => a === b);
  const routesGone = before.routes.slice(rs.p, rs.oldEnd);
  const routesMade = routes.slice(rs.p, rs.newEnd);
  const routeCount = recount(prev.routeCount, routesGone.map((r) => r.file), routesMade.map((r) => r.file));
  const sortedBefore = sortedServices(prev.raw);
  const sorted = sortedServices(next.raw);
  const ss = stretch(sortedBefore, sorted, (a, b) => a.summary === b.summary && a.file === b.file);
  const servicesGone = sortedBefore.slice(ss.p, ss.oldEnd);
  const servicesMade = sorted.slice(ss.p, ss.newEnd);
  const serviceCount = recount(prev.serviceCount, servicesGone.map((r) => r.file), servicesMade.map((r) => r.file));
  if (!routeCount || !serviceCount) return undefined;
  for (const r of routesMade) r.package = packageOf(r.file);

  // Service rows: those in the stretch, and those used by a route in the route stretch.
  const idOf = (r: RawService) => `${moduleName(r.file)}.${r.summary.name}`;
  const ids = new Set<string>();
  for (const r of [...routesGone, ...routesMade]) for (const id of r.services) ids.add(id);
  const used = new Map<string, RouteEntry[]>([...ids, ...servicesMade.map(idOf)].map((id) => [id, []]));
  if (used.size) for (const r of routes) for (const id of r.services) used.get(id)?.push(r);
  const make = (raw: RawService) => {
    const row = serviceRow(raw, next.deprecations, used.get(idOf(raw)) ?? [], moduleName);
    row.package = packageOf(raw.file);
    return row;
  };
  const services = keepList(
    before.services,
    sorted.map((raw, j) => {
      if (j >= ss.p && j < ss.newEnd) return make(raw);
      const old = before.services[j < ss.p ? j : j - ss.shift];
      return ids.has(old.id) ? make(raw) : old;
    }),
  );

  const routeFiles = new Set([...routesGone, ...routesMade].map((r) => r.file));
  const serviceFiles = new Set([...servicesGone, ...servicesMade].map((r) => r.file));
  const modules = keepList(
    before.modules,
    before.modules.map((m) => {
      const r = moved(m.routes, rs, routeFiles.has(m.file), (i) => routes[i].file === m.file);
      const s = moved(m.services, ss, serviceFiles.has(m.file), (i) => sorted[i].file === m.file);
      return r === m.routes && s === m.services ? m : { ...m, routes: r, services: s };
    }),
  );
  // Only packages holding a file of a stretch can count other rows or prefixes.
  const packages = keepList(
    before.packages,
    before.packages.map((pkg) => {
      const mods = pkg.modules.map((i) => modules[i]);
      const routesTouched = mods.some((m) => routeFiles.has(m.file));
      if (!routesTouched && !mods.some((m) => serviceFiles.has(m.file))) return pkg;
      const counted = routesTouched ? packageRoutes(mods.map((m) => m.routes), routes) : { routes: pkg.routes, routePrefix: pkg.routePrefix };
      const serviceRows = mods.reduce((n, m) => n + m.services.length, 0);
      return counted.routes === pkg.routes && counted.routePrefix === pkg.routePrefix && serviceRows === pkg.services ? pkg : { ...pkg, services: serviceRows, ...counted };
    }),
  );
  const deprecations = [...routesGone, ...routesMade].some((r) => r.deprecated) ? keep(before.deprecations, deprecationRecords(next.deprecations, routes)) : before.deprecations;
  const value = {
    services,
    routes: routesGone.length || routesMade.length ? routes : before.routes,
    modules,
    packages,
    deprecations,
    apps: keep(before.apps, appEntries(next.py, next.ts)),
  };
  return { ...prev, py: next.py, ts: next.ts, raw: next.raw, routeCount, serviceCount, value };
}
