import type { Workspace } from '../workspace/workspace';
import { FastApiInterpreter, type RouteRecord } from './fastapi';
import type { PyModuleIndex } from './pyModules';
import type { ModuleState } from './pyValues';
import { keep, sameList, type NavigationMemo } from './memo';
import { cmpStr, type NavigationProblem } from './types';

export interface PyRoutesResult {
  /** `name` is unique: apps named alike in two source roots get the root appended (`app.main:app [services/users]`). */
  apps: { name: string; root: string; file: string; line: number; routes: RouteRecord[] }[];
  /** Routes of routers no app includes, listed when the workspace has no FastAPI app at all. */
  orphans: RouteRecord[];
  problems: NavigationProblem[];
}

export interface PyRoutesInput {
  ws: Workspace;
  index: PyModuleIndex;
  memo: NavigationMemo;
  routeFiles: string[];
  classSuffixes: readonly string[];
  /** The service classes by `file#Class`: the same map while they are the same. */
  services: ReadonlyMap<string, unknown>;
  /** Content hash of a file as the scan saw it. */
  hashOf(file: string): string | undefined;
}

/** Epochs number the file sets (module indexes), unique across workspaces. */
let epochs = 0;

/**
 * Modules that must run again: those whose file changed (or whose facts were
 * missing), those that import one of them, and those entangled with one (a
 * module that added routes to a router another module made). `since` limits
 * the files looked at to those that can have changed.
 */
function invalidated(interp: FastApiInterpreter, hashOf: (file: string) => string | undefined, since?: readonly string[]): Set<string> {
  const states = since ? since.flatMap((f) => interp.moduleState(f) ?? []) : interp.executedModules();
  const changed = states.filter((s) => !s.hash || hashOf(s.file) !== s.hash);
  return changed.length ? interp.affected(changed.map((s) => s.file)) : new Set();
}

/** Service classes (`file#Class`) in one map and not the other. */
function serviceChanges(before: ReadonlyMap<string, unknown>, after: ReadonlyMap<string, unknown>): string[] {
  const out: string[] = [];
  for (const k of before.keys()) if (!after.has(k)) out.push(k);
  for (const k of after.keys()) if (!before.has(k)) out.push(k);
  return out;
}

const routeSets = new WeakMap<readonly string[], Set<string>>();

/**
 * FastAPI routes of every app in the workspace, as FastAPI would register
 * them. The interpreter is kept between runs: after a save only the modules
 * that depend on the saved file run again.
 */
export async function pythonRoutes(input: PyRoutesInput): Promise<PyRoutesResult> {
  const { ws, memo } = input;
  if (memo.epochIndex !== input.index) {
    memo.epochIndex = input.index;
    memo.epoch = ++epochs;
  }
  const missing = new Set<string>();
  const unparsed = new Set<string>();
  let routeSet = routeSets.get(input.routeFiles);
  if (!routeSet) routeSets.set(input.routeFiles, (routeSet = new Set(input.routeFiles)));
  const mayRoute = routeSet;
  const host = {
    index: input.index,
    classSuffixes: input.classSuffixes,
    isService: (file: string, name: string) => input.services.has(`${file}#${name}`),
    mayRoute: (file: string) => mayRoute.has(file),
    facts: (file: string) => {
      const hash = input.hashOf(file);
      const facts = hash ? ws.cache.get(hash) : undefined;
      if (facts?.language === 'python') return { facts, hash };
      if (unparsed.has(file)) return { hash };
      if (hash && !facts) missing.add(file);
      return {};
    },
  };
  const kept = memo.interpreter;
  const same = kept && kept.index === input.index && kept.routeFiles === input.routeFiles;
  // The files that can have changed since the kept interpreter ran: none, those of the one scan since, or any
  // (also after a run that left facts missing: those modules are looked at again).
  const since = !same || !kept.result ? undefined : kept.scanRun === memo.scanRun ? [] : kept.scanRun === memo.scanRun - 1 ? memo.touched : undefined;
  for (const f of since ?? input.routeFiles) {
    const h = input.hashOf(f);
    if (!h || !routeSet.has(f) || ws.cache.get(h)) continue;
    if (!(await ws.python(f))) unparsed.add(f);
  }
  let interp: FastApiInterpreter;
  if (same) {
    interp = kept.interp;
    interp.host = host;
    const stale = invalidated(interp, input.hashOf, since);
    if (kept.services !== input.services) {
      // Modules whose handlers looked up a class that became or stopped being a service (see `servicesOf`).
      const classes = serviceChanges(kept.services, input.services);
      for (const m of interp.affected(classes)) stale.add(m);
      for (const k of classes) stale.delete(k);
    }
    kept.scanRun = memo.scanRun;
    if (stale.size === 0 && kept.result) return kept.result;
    interp.forget(stale);
  } else interp = new FastApiInterpreter(host);
  const state: NonNullable<NavigationMemo['interpreter']> = { interp, index: input.index, services: input.services, routeFiles: input.routeFiles, scanRun: memo.scanRun, result: kept?.result };
  memo.interpreter = state;

  // Synchronous over cached facts: a pass that met files not parsed yet parses them and runs again.
  interp.runAll(input.routeFiles);
  for (let pass = 0; missing.size && pass < 10; pass++) {
    for (const f of missing) if (!(await ws.python(f))) unparsed.add(f);
    missing.clear();
    interp.forget(invalidated(interp, input.hashOf));
    interp.runAll(input.routeFiles);
  }

  const problems: NavigationProblem[] = [...interp.looseNotes, ...interp.executedModules().flatMap((s: ModuleState) => s.notes)];
  if (interp.budgetExceeded) problems.push({ file: '', line: 0, message: 'the FastAPI app structure is too large to follow completely; some routes may be missing' });
  const found = interp.apps();
  const apps = found.map((a) => {
    const root = input.index.sourceRoot(a.obj.file);
    const twin = found.some((b) => b !== a && b.name === a.name);
    return { name: twin ? `${a.name} [${root || '.'}]` : a.name, root, file: a.obj.file, line: a.obj.line, routes: a.obj.routes };
  });
  const orphans = apps.length ? [] : interp.orphanRouters().flatMap((r) => r.routes);
  const result = sameResult(state.result, { apps, orphans, problems: problems.sort((a, b) => cmpStr(a.file, b.file) || a.line - b.line || cmpStr(a.message, b.message)) });
  state.result = missing.size ? undefined : result;
  return result;
}

/** The previous result when the new one lists the same route records (kept by content, see `FastApiInterpreter`) and problems. */
function sameResult(prev: PyRoutesResult | undefined, next: PyRoutesResult): PyRoutesResult {
  if (!prev || !sameList(prev.orphans, next.orphans) || prev.apps.length !== next.apps.length || keep(prev.problems, next.problems) !== prev.problems) return next;
  const same = prev.apps.every((a, i) => {
    const b = next.apps[i];
    return a.name === b.name && a.root === b.root && a.file === b.file && a.line === b.line && sameList(a.routes, b.routes);
  });
  return same ? prev : next;
}
