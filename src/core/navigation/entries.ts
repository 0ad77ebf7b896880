import type { Deprecated, DeprecationIndex } from './deprecations';
import type { RouteRecord } from './fastapi';
import type { SummaryService } from './pySummary';
import type { PyRoutesResult } from './pythonRoutes';
import { sameList } from './memo';
import type { TsRoute } from './tsRoutes';
import { cmpStr, type AppEntry, type DeprecationRecord, type MethodEntry, type ModuleEntry, type RouteEntry, type ServiceEntry } from './types';

/** The rows of the index (routes, services, modules, deprecations, apps) built from what the analysis found. */

export interface RawService {
  file: string;
  language: 'python' | 'typescript';
  summary: SummaryService;
  kind: ServiceEntry['kind'];
}

export function groupBy<T>(items: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of items) {
    const k = key(x);
    const list = out.get(k);
    if (list) list.push(x);
    else out.set(k, [x]);
  }
  return out;
}

/** Longest common run of leading path segments: `/api/v1/billing`; `/` when nothing is shared. */
export function commonRoutePrefix(prefixes: readonly string[]): string | null {
  if (prefixes.length === 0) return null;
  const unique = [...new Set(prefixes)];
  let segs = unique[0].split('/').filter(Boolean);
  for (const p of unique.slice(1)) {
    const other = p.split('/').filter(Boolean);
    let i = 0;
    while (i < segs.length && segs[i] === other[i]) i++;
    segs = segs.slice(0, i);
  }
  return '/' + segs.join('/');
}

interface EntryKey {
  /** Changes with the service index and the file set (service ids and module names depend on them). */
  epoch: number;
}

/** Route rows by route record and app, and by TypeScript route: records shared with the previous run keep their rows. */
const pyRows = new WeakMap<RouteRecord, { epoch: number; byApp: Map<string | null, RouteEntry[]> }>();
const tsRows = new WeakMap<TsRoute, { epoch: number; row: RouteEntry }>();

export function routeEntries(py: PyRoutesResult, ts: TsRoute[], serviceId: (key: string) => string | undefined, moduleName: (f: string) => string, key: EntryKey): RouteEntry[] {
  const out: RouteEntry[] = [];
  const chunks: [RouteRecord[], string | null][] = [...py.apps.map((a): [RouteRecord[], string | null] => [a.routes, a.name]), [py.orphans, null]];
  for (const [records, app] of chunks) {
    for (const r of records) {
      let memo = pyRows.get(r);
      if (!memo || memo.epoch !== key.epoch) pyRows.set(r, (memo = { epoch: key.epoch, byApp: new Map() }));
      let rows = memo.byApp.get(app);
      if (!rows) memo.byApp.set(app, (rows = pyRouteRows(r, app, serviceId, moduleName)));
      out.push(...rows);
    }
  }
  for (const r of ts) {
    let memo = tsRows.get(r);
    if (!memo || memo.epoch !== key.epoch) {
      memo = { epoch: key.epoch, row: { ...r, language: 'typescript', services: r.services.map(serviceId).filter((s): s is string => !!s), module: moduleName(r.file), package: null } };
      tsRows.set(r, memo);
    }
    out.push(memo.row);
  }
  return out;
}

function pyRouteRows(r: RouteRecord, app: string | null, serviceId: (key: string) => string | undefined, moduleName: (f: string) => string): RouteEntry[] {
  const services = r.services.map(serviceId).filter((s): s is string => !!s);
  const out: RouteEntry[] = [];
    for (const method of r.methods) {
      out.push({
        method,
        path: r.path,
        file: r.file,
        line: r.line,
        framework: 'fastapi',
        language: 'python',
        handler: r.handler,
        app,
        prefix: r.path.slice(0, r.path.length - r.ownPath.length),
        deprecated: r.deprecated,
        services,
        module: moduleName(r.file),
        package: null,
      });
    }
  return out;
}

const methodMemo = new WeakMap<SummaryService, { symbols: Map<string, Deprecated> | undefined; rows: MethodEntry[] }>();

/** A service's method rows, kept while its summary and its file's deprecated symbols are the same objects. */
function methodRows(summary: SummaryService, symbols: Map<string, Deprecated> | undefined): MethodEntry[] {
  const hit = methodMemo.get(summary);
  if (hit && hit.symbols === symbols) return hit.rows;
  const rows = summary.methods.map((m) => {
    const md = symbols?.get(`${summary.name}.${m.name}`);
    return { name: m.name, line: m.line, deprecated: !!md, reason: md?.reason ?? null };
  });
  methodMemo.set(summary, { symbols, rows });
  return rows;
}

/** Items of `items` by a key, without intermediate objects. */
function indexBy<T, V>(items: readonly T[], each: (x: T, i: number, add: (key: string, v: V) => void) => void): Map<string, V[]> {
  const out = new Map<string, V[]>();
  const add = (key: string, v: V) => {
    const list = out.get(key);
    if (list) list.push(v);
    else out.set(key, [v]);
  };
  items.forEach((x, i) => each(x, i, add));
  return out;
}

/** Service rows by summary: kept while the summary, its deprecation, its module name and the routes using it are the same. */
const serviceRows = new WeakMap<SummaryService, { module: string; d: Deprecated | undefined; symbols: Map<string, Deprecated> | undefined; used: RouteEntry[]; row: ServiceEntry }>();

/** The row of one service, given the routes whose handlers use it (in route order). */
export function serviceRow(r: RawService, deps: DeprecationIndex, used: RouteEntry[], moduleName: (f: string) => string): ServiceEntry {
  const module = moduleName(r.file);
  const symbols = deps.symbols.get(r.file);
  const d: Deprecated | undefined = symbols?.get(r.summary.name) ?? deps.modules.get(r.file);
  const hit = serviceRows.get(r.summary);
  if (hit && hit.module === module && hit.d === d && hit.symbols === symbols && sameList(hit.used, used)) return hit.row;
  const row: ServiceEntry = {
    name: r.summary.name,
    module,
    file: r.file,
    line: r.summary.line,
    routePrefix: commonRoutePrefix(used.map((x) => x.prefix)),
    deprecated: !!d,
    replacement: d?.replacement ?? null,
    routePrefixes: [...new Set(used.map((x) => x.prefix || '/'))],
    id: `${module}.${r.summary.name}`,
    kind: r.kind,
    language: r.language,
    package: null,
    methods: methodRows(r.summary, symbols),
    routes: used.length,
    reason: d?.reason ?? null,
    removeBy: d?.removeBy ?? null,
    replacementFile: d?.replacementFile ?? null,
  };
  serviceRows.set(r.summary, { module, d, symbols, used, row });
  return row;
}

const sorted = new WeakMap<ReadonlyMap<string, RawService>, RawService[]>();

/** The services in row order (file, then line); kept per service map. */
export function sortedServices(raw: ReadonlyMap<string, RawService>): RawService[] {
  let list = sorted.get(raw);
  if (!list) sorted.set(raw, (list = [...raw.values()].sort((a, b) => cmpStr(a.file, b.file) || a.summary.line - b.summary.line)));
  return list;
}

export function serviceEntries(raw: Map<string, RawService>, deps: DeprecationIndex, routes: RouteEntry[], moduleName: (f: string) => string): ServiceEntry[] {
  const routesOf = indexBy<RouteEntry, RouteEntry>(routes, (r, _i, add) => {
    for (const id of r.services) add(id, r);
  });
  return sortedServices(raw).map((r) => serviceRow(r, deps, routesOf.get(`${moduleName(r.file)}.${r.summary.name}`) ?? [], moduleName));
}

const symbolRows = new WeakMap<Map<string, Deprecated>, ModuleEntry['deprecatedSymbols']>();

function deprecatedSymbolRows(symbols: Map<string, Deprecated> | undefined): ModuleEntry['deprecatedSymbols'] {
  if (!symbols) return [];
  let rows = symbolRows.get(symbols);
  if (!rows) {
    rows = [...symbols.values()].sort((a, b) => a.line - b.line).map((s) => ({ name: s.symbol ?? '', line: s.line, reason: s.reason, replacement: s.replacement }));
    symbolRows.set(symbols, rows);
  }
  return rows;
}

/** Module rows in package, then path order; the sorted row keys are kept per package plan. */
const sortedRows = new WeakMap<Map<string, string>, { files: string[]; rows: { file: string; dir: string; path: string }[] }>();

export function moduleEntries(
  files: string[],
  packageOf: Map<string, string>,
  packageName: Map<string, string>,
  services: ServiceEntry[],
  routes: RouteEntry[],
  deps: DeprecationIndex,
  moduleName: (f: string) => string,
): ModuleEntry[] {
  let sorted = sortedRows.get(packageOf);
  if (!sorted || !sameList(sorted.files, files)) {
    const rows = files.map((file) => {
      const dir = packageOf.get(file) ?? '';
      return { file, dir, path: dir && file.startsWith(dir + '/') ? file.slice(dir.length + 1) : file };
    });
    rows.sort((a, b) => cmpStr(a.dir, b.dir) || cmpStr(a.path, b.path));
    sortedRows.set(packageOf, (sorted = { files, rows }));
  }
  const servicesOf = indexBy<ServiceEntry, number>(services, (x, i, add) => add(x.file, i));
  const routesOf = indexBy<RouteEntry, number>(routes, (x, i, add) => add(x.file, i));
  return sorted.rows.map(({ file, dir, path }) => {
    const d = deps.modules.get(file);
    return {
      name: moduleName(file),
      file,
      language: file.endsWith('.py') ? ('python' as const) : ('typescript' as const),
      package: packageName.get(dir) ?? null,
      path,
      deprecated: !!d,
      replacement: d?.replacement ?? null,
      replacementFile: d?.replacementFile ?? null,
      reason: d?.reason ?? null,
      removeBy: d?.removeBy ?? null,
      services: servicesOf.get(file) ?? [],
      routes: routesOf.get(file) ?? [],
      deprecatedSymbols: deprecatedSymbolRows(deps.symbols.get(file)),
    };
  });
}

export function deprecationRecords(deps: DeprecationIndex, routes: RouteEntry[]): DeprecationRecord[] {
  const rec = (kind: DeprecationRecord['kind'], name: string, d: Deprecated): DeprecationRecord => ({
    kind,
    name,
    file: d.file,
    line: d.line,
    source: d.source,
    reason: d.reason,
    replacement: d.replacement,
    replacementFile: d.replacementFile,
    removeBy: d.removeBy,
  });
  const out: DeprecationRecord[] = [...deps.modules.values()].map((d) => rec('module', d.module, d));
  for (const m of deps.symbols.values()) for (const d of m.values()) out.push(rec('symbol', `${d.module}.${d.symbol}`, d));
  for (const r of routes) {
    if (r.deprecated) out.push({ kind: 'route', name: `${r.method} ${r.path}`, file: r.file, line: r.line, source: 'route', reason: null, replacement: null, replacementFile: null, removeBy: null });
  }
  return out.sort((a, b) => cmpStr(a.file, b.file) || a.line - b.line || cmpStr(a.name, b.name));
}

/** A package's route count and the common prefix of its routes, from its modules' route indexes. */
export function packageRoutes(moduleRoutes: readonly number[][], routes: readonly RouteEntry[]): { routes: number; routePrefix: string | null } {
  const prefixes = new Set<string>();
  let count = 0;
  for (const list of moduleRoutes) {
    count += list.length;
    for (const ri of list) prefixes.add(routes[ri].prefix);
  }
  return { routes: count, routePrefix: commonRoutePrefix([...prefixes]) };
}

export function appEntries(py: PyRoutesResult, ts: TsRoute[]): AppEntry[] {
  const out: AppEntry[] = py.apps.map((a) => ({ name: a.name, framework: 'fastapi', root: a.root, file: a.file, line: a.line, routes: a.routes.reduce((n, r) => n + r.methods.length, 0) }));
  const seen = new Map<string, AppEntry>();
  for (const r of ts) {
    if (!r.app) continue;
    const e = seen.get(r.app) ?? { name: r.app, framework: r.framework, root: r.app, file: r.file, line: r.line, routes: 0 };
    e.routes++;
    seen.set(r.app, e);
  }
  return [...out, ...[...seen.values()].sort((a, b) => cmpStr(a.name, b.name))];
}
