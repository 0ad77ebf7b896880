import { lastSegment } from '../parsing/expr';
import type { PyFunction } from '../parsing/facts';
import type { FunctionValue, Scope, Value } from './pyValues';

export interface ServiceLookup {
  evalRef(path: string, scope: Scope): Value;
  isService(file: string, className: string): boolean;
  /** Class names a service can have (`(?:Service|Repository|…)$`): only such names are resolved. */
  suffix: RegExp;
}

/**
 * `file#Class` of the services a route handler uses: classes named in its
 * parameter annotations (`Annotated[X, Depends(f)]` included), the services
 * its `Depends(...)` functions use (three levels deep), and classes it calls.
 */
export function handlerServices(fv: FunctionValue, lookup: ServiceLookup, depth = 0, seen = new Set<PyFunction>()): Set<string> {
  const out = new Set<string>();
  if (depth > 3 || seen.has(fv.fn)) return out;
  seen.add(fv.fn);
  const maybeService = (name: string) => lookup.suffix.test(lastSegment(name)) || lookup.suffix.test(name.split('.')[0]);
  const consider = (name: string) => {
    if (!maybeService(name)) return;
    let v = lookup.evalRef(name, fv.scope);
    if (v.kind !== 'class' && name.includes('.')) v = lookup.evalRef(name.split('.')[0], fv.scope);
    if (v.kind === 'class' && lookup.isService(v.file, v.cls.name)) out.add(`${v.file}#${v.cls.name}`);
  };
  const dependency = (name: string) => {
    const dep = lookup.evalRef(name, fv.scope);
    if (dep.kind === 'function') for (const s of handlerServices(dep, lookup, depth + 1, seen)) out.add(s);
    else if (dep.kind === 'class') consider(name);
  };
  for (const p of fv.fn.paramDetails ?? []) {
    for (const id of p.annotation?.match(/[A-Za-z_][\w.]*/g) ?? []) consider(id);
    for (const m of p.annotation?.matchAll(/Depends\(\s*([A-Za-z_][\w.]*)/g) ?? []) dependency(m[1]);
    const d = p.default;
    if (d?.kind === 'call' && lastSegment(d.callee) === 'Depends') {
      const target = d.args.find((a) => !a.name || a.name === 'dependency')?.value;
      if (target?.kind === 'ref') dependency(target.path);
    }
  }
  for (const c of fv.fn.calls) if (/^[A-Za-z_][\w.]*$/.test(c.callee)) consider(c.callee);
  return out;
}
