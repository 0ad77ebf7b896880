import type { Range } from '../findings';

/**
 * A static reading of an expression, shared by the Python and TypeScript
 * extractors. Analyzers never see a syntax tree, only these values.
 */
export type Expr =
  | { kind: 'str'; value: string; range: Range; /** f-string / template literal: `{x}` placeholders kept in `value` */ template?: boolean }
  | { kind: 'num'; value: number; text: string; range: Range }
  | { kind: 'bool'; value: boolean; range: Range }
  | { kind: 'none'; range: Range }
  /** A name or dotted path: `x`, `cli.EXPAND_BRANCH`, `CacheTag.CONTACT`. */
  | { kind: 'ref'; path: string; range: Range }
  | { kind: 'seq'; seq: 'tuple' | 'list' | 'set' | 'array'; items: Expr[]; range: Range }
  | { kind: 'dict'; entries: { key: Expr; value: Expr }[]; range: Range }
  | { kind: 'call'; callee: string; args: Arg[]; range: Range }
  | { kind: 'other'; text: string; range: Range };

export interface Arg {
  /** Keyword name (`prefix=`), absent for positional arguments. */
  name?: string;
  value: Expr;
  /** `*args` / `**kwargs` / `...spread`. */
  spread?: boolean;
}

/** A call found anywhere in a body, with the dotted callee as written. */
export interface CallSite {
  callee: string;
  args: Arg[];
  range: Range;
}

export function positional(args: readonly Arg[], index: number): Expr | undefined {
  return args.filter((a) => !a.name && !a.spread)[index]?.value;
}

export function keyword(args: readonly Arg[], name: string): Expr | undefined {
  return args.find((a) => a.name === name)?.value;
}

export function strValue(e: Expr | undefined): string | undefined {
  return e?.kind === 'str' ? e.value : undefined;
}

export function numValue(e: Expr | undefined): number | undefined {
  return e?.kind === 'num' ? e.value : undefined;
}

/** String items of a string or a tuple/list of strings; undefined when anything is not a literal. */
export function strList(e: Expr | undefined): string[] | undefined {
  if (!e) return undefined;
  if (e.kind === 'str') return [e.value];
  if (e.kind === 'seq') {
    const out: string[] = [];
    for (const item of e.items) {
      if (item.kind !== 'str') return undefined;
      out.push(item.value);
    }
    return out;
  }
  return undefined;
}

/** The last segment of a dotted callee: `functools.lru_cache` -> `lru_cache`. */
export function lastSegment(path: string): string {
  const i = path.lastIndexOf('.');
  return i < 0 ? path : path.slice(i + 1);
}
