import type { Range } from '../findings';
import type { Arg, Expr } from '../parsing/expr';
import type { PyClass, PyFacts, PyFunction } from '../parsing/facts';

/** Module and function bodies as one ordered list of the statements the interpreter runs. */
function cmp(a: Range['start'], b: Range['start']): number {
  return a.line - b.line || a.character - b.character;
}

function before(a: Range, b: Range): number {
  return cmp(a.start, b.start);
}

function contains(outer: Range, inner: Range): boolean {
  return cmp(outer.start, inner.start) <= 0 && cmp(inner.end, outer.end) <= 0;
}

export type Stmt =
  | { at: Range; kind: 'import'; index: number }
  | { at: Range; kind: 'assign'; targets: string[]; value?: Expr }
  | { at: Range; kind: 'call'; callee: string; args: Arg[] }
  | { at: Range; kind: 'def'; fn: PyFunction }
  | { at: Range; kind: 'class'; cls: PyClass }
  | { at: Range; kind: 'return'; value: Expr };

/** Statement lists by facts object: facts are shared while a file's content is unchanged. */
const moduleStatementMemo = new WeakMap<PyFacts, Stmt[]>();
const functionStatementMemo = new WeakMap<PyFunction, Stmt[]>();

export function moduleStatements(f: PyFacts): Stmt[] {
  let stmts = moduleStatementMemo.get(f);
  if (!stmts) moduleStatementMemo.set(f, (stmts = computeModuleStatements(f)));
  return stmts;
}

export function functionStatements(fn: PyFunction): Stmt[] {
  let stmts = functionStatementMemo.get(fn);
  if (!stmts) functionStatementMemo.set(fn, (stmts = computeFunctionStatements(fn)));
  return stmts;
}

function computeModuleStatements(f: PyFacts): Stmt[] {
  const out: Stmt[] = [];
  f.imports.forEach((imp, index) => out.push({ at: imp.range, kind: 'import', index }));
  for (const a of f.assignments) out.push({ at: a.range, kind: 'assign', targets: a.targets, value: a.value });
  const outerCalls = f.calls.filter((c) => !f.calls.some((o) => o !== c && contains(o.range, c.range)));
  for (const c of outerCalls) out.push({ at: c.range, kind: 'call', callee: c.callee, args: c.args });
  for (const fn of f.functions) out.push({ at: fn.range, kind: 'def', fn });
  for (const cls of f.classes) out.push({ at: cls.range, kind: 'class', cls });
  return out.sort((a, b) => before(a.at, b.at));
}

function computeFunctionStatements(fn: PyFunction): Stmt[] {
  const out: Stmt[] = [];
  const holders: Range[] = [];
  for (const a of fn.assignments) {
    out.push({ at: a.range, kind: 'assign', targets: a.targets, value: a.value });
    holders.push(a.range);
  }
  for (const r of fn.returns ?? []) {
    out.push({ at: r.range, kind: 'return', value: r.value });
    holders.push(r.range);
  }
  for (const c of fn.calls) {
    if (holders.some((h) => contains(h, c.range))) continue;
    if (fn.calls.some((o) => o !== c && contains(o.range, c.range))) continue;
    out.push({ at: c.range, kind: 'call', callee: c.callee, args: c.args });
  }
  for (const n of fn.nested) out.push({ at: n.range, kind: 'def', fn: n });
  return out.sort((a, b) => before(a.at, b.at));
}

