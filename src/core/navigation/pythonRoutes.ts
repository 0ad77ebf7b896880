import type { Workspace } from '../workspace/workspace';
import { FastApiInterpreter, type RouteRecord } from './fastapi';
import type { PyModuleIndex } from './pyModules';
import type { ModuleState } from './pyValues';
import type { NavigationMemo } from './scan';
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
  isService(file: string, className: string): boolean;
  /** A fingerprint of the service index, so that links are recomputed when services change. */
  servicesSignature: string;
}

/** Epochs are unique across workspaces, since facts (and so handler memos) are shared between them. */
let epochs = 0;

/**
 * Modules that must run again: those whose file changed (or whose facts were
 * missing), those that import one of them, and those entangled with one (a
 * module that added routes to a router another module made).
 */
function invalidated(interp: FastApiInterpreter, ws: Workspace): Set<string> {
  const states = interp.executedModules();
  const out = new Set(states.filter((s) => !s.hash || ws.hash(s.file) !== s.hash).map((s) => s.file));
  if (out.size === 0) return out;
  const links = new Map<string, Set<string>>();
  const link = (a: string, b: string) => {
    if (a === b) return;
    links.set(a, (links.get(a) ?? new Set()).add(b));
    links.set(b, (links.get(b) ?? new Set()).add(a));
  };
  for (const s of states) for (const d of s.deps) links.set(d, (links.get(d) ?? new Set()).add(s.file));
  // Being included only reads a router; adding routes to another module's router ties the two modules together.
  for (const o of interp.objects) for (const m of o.mutators) link(o.creator, m);
  const queue = [...out];
  while (queue.length) {
    for (const next of links.get(queue.pop()!) ?? []) {
      if (out.has(next)) continue;
      out.add(next);
      queue.push(next);
    }
  }
  return out;
}

/**
 * FastAPI routes of every app in the workspace, as FastAPI would register
 * them. The interpreter is kept between runs: after a save only the modules
 * that depend on the saved file run again.
 */
export async function pythonRoutes(input: PyRoutesInput): Promise<PyRoutesResult> {
  const { ws, memo } = input;
  const epochText = `${input.servicesSignature}\0${input.index.fileCount}`;
  if (memo.epochText !== epochText) {
    memo.epochText = epochText;
    memo.epoch = ++epochs;
  }
  const routeKey = input.routeFiles.join('\n');
  const missing = new Set<string>();
  const unparsed = new Set<string>();
  for (const f of input.routeFiles) {
    const h = ws.hash(f);
    if (!h || ws.cache.get(h)) continue;
    if (!(await ws.python(f))) unparsed.add(f);
  }
  const routeSet = new Set(input.routeFiles);
  const host = {
    index: input.index,
    epoch: memo.epoch,
    classSuffixes: input.classSuffixes,
    isService: input.isService,
    mayRoute: (file: string) => routeSet.has(file),
    facts: (file: string) => {
      const hash = ws.hash(file);
      const facts = hash ? ws.cache.get(hash) : undefined;
      if (facts?.language === 'python') return { facts, hash };
      if (unparsed.has(file)) return { hash };
      if (hash && !facts) missing.add(file);
      return {};
    },
  };
  const kept = memo.interpreter;
  let interp: FastApiInterpreter;
  if (kept && kept.index === input.index && kept.epoch === memo.epoch && kept.routeKey === routeKey) {
    interp = kept.interp;
    interp.host = host;
    const stale = invalidated(interp, ws);
    if (stale.size === 0 && kept.result) return kept.result;
    interp.forget(stale);
  } else interp = new FastApiInterpreter(host);
  const state: NonNullable<NavigationMemo['interpreter']> = { interp, index: input.index, epoch: memo.epoch, routeKey };
  memo.interpreter = state;

  // Synchronous over cached facts: a pass that met files not parsed yet parses them and runs again.
  interp.runAll(input.routeFiles);
  for (let pass = 0; missing.size && pass < 10; pass++) {
    for (const f of missing) if (!(await ws.python(f))) unparsed.add(f);
    missing.clear();
    interp.forget(invalidated(interp, ws));
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
  const result: PyRoutesResult = { apps, orphans, problems: problems.sort((a, b) => cmpStr(a.file, b.file) || a.line - b.line || cmpStr(a.message, b.message)) };
  if (!missing.size) state.result = result;
  return result;
}
