import type { Range } from '../findings';
import type { Expr } from '../parsing/expr';
import type { Assignment, PyImport } from '../parsing/facts';

/** A statically known Python value, as far as revision files need one. */
export type Value =
  | { t: 'none' }
  | { t: 'str'; v: string; range: Range }
  | { t: 'seq'; items: Value[] }
  | { t: 'unknown'; text: string; range: Range };

/** Looks a dotted name up in another module (across imports); undefined when it cannot. */
export type ExternalLookup = (ref: string, imports: readonly PyImport[], range: Range) => Promise<Value | undefined>;

/** The values of names found elsewhere, already looked up. */
export type Resolved = (ref: string) => Value | undefined;

const MAX_DEPTH = 6;

/** The last module-level assignment to a plain name. */
export function lastAssignment(assignments: readonly Assignment[], name: string): Assignment | undefined {
  for (let i = assignments.length - 1; i >= 0; i--) {
    const a = assignments[i];
    if (a.value && a.targets.length && a.targets.includes(name)) return a;
  }
  return undefined;
}

type Scope = { assignments: readonly Assignment[]; imports: readonly PyImport[] };

/** The module constant a plain name refers to, if the module assigns it. */
function local(e: Expr, scope: Scope): Expr | undefined {
  if (e.kind !== 'ref' || e.path.includes('.')) return undefined;
  const a = lastAssignment(scope.assignments, e.path);
  return a?.value && a.value !== e ? a.value : undefined;
}

/** Names an expression needs from other modules (dotted, or imported), after following the module's own constants. */
export function externalRefs(e: Expr, scope: Scope, depth = 0, out: Set<string> = new Set()): Set<string> {
  if (depth > MAX_DEPTH) return out;
  if (e.kind === 'seq') e.items.forEach((i) => externalRefs(i, scope, depth, out));
  else if (e.kind === 'ref') {
    const own = local(e, scope);
    if (own) externalRefs(own, scope, depth + 1, out);
    else out.add(e.path);
  }
  return out;
}

/** Looks every external name of some expressions up, so that `evaluate` can run without waiting. */
export async function resolveExternal(exprs: readonly Expr[], scope: Scope, external: ExternalLookup): Promise<Resolved> {
  const refs = new Set<string>();
  for (const e of exprs) externalRefs(e, scope, 0, refs);
  const found = new Map<string, Value | undefined>();
  for (const ref of refs) found.set(ref, await external(ref, scope.imports, exprs[0].range));
  return (ref) => found.get(ref);
}

/**
 * The value of an expression: literals directly, names through the module's
 * own constants, other names through `resolved` (see `resolveExternal`).
 */
export function evaluate(e: Expr, scope: Scope, resolved?: Resolved, depth = 0): Value {
  switch (e.kind) {
    case 'none':
      return { t: 'none' };
    case 'str':
      return e.template ? { t: 'unknown', text: `f-string "${e.value}"`, range: e.range } : { t: 'str', v: e.value, range: e.range };
    case 'seq':
      if (e.seq === 'set') return { t: 'unknown', text: 'a set (unordered)', range: e.range };
      return { t: 'seq', items: e.items.map((item) => evaluate(item, scope, resolved, depth)) };
    case 'ref': {
      const own = depth < MAX_DEPTH ? local(e, scope) : undefined;
      if (own) return withRange(evaluate(own, scope, resolved, depth + 1), e.range);
      const found = depth < MAX_DEPTH ? resolved?.(e.path) : undefined;
      return found ? withRange(found, e.range) : { t: 'unknown', text: e.path, range: e.range };
    }
    case 'num':
      return { t: 'unknown', text: e.text, range: e.range };
    default:
      return { t: 'unknown', text: 'text' in e ? e.text : e.kind === 'call' ? `${e.callee}(…)` : e.kind, range: e.range };
  }
}

/** A value read through a name is anchored where the name is written. */
function withRange(v: Value, range: Range): Value {
  if (v.t === 'str' || v.t === 'unknown') return { ...v, range };
  if (v.t === 'seq') return { t: 'seq', items: v.items.map((i) => withRange(i, range)) };
  return v;
}

/** Names from a value: `'a'` → [a], `('a', 'b')` → [a, b]; unknown parts are returned apart. */
export function stringsOf(v: Value): { items: { id: string; range: Range }[]; unknown: { text: string; range: Range }[]; empty: boolean } {
  const items: { id: string; range: Range }[] = [];
  const unknown: { text: string; range: Range }[] = [];
  const visit = (x: Value) => {
    if (x.t === 'str') items.push({ id: x.v, range: x.range });
    else if (x.t === 'seq') x.items.forEach(visit);
    else if (x.t === 'unknown') unknown.push({ text: x.text, range: x.range });
  };
  visit(v);
  const empty = v.t === 'none' || (v.t === 'str' && v.v === '') || (v.t === 'seq' && v.items.length === 0);
  return { items: empty ? [] : items, unknown, empty };
}
