import { keyword, lastSegment, positional, type Arg, type Expr } from '../parsing/expr';

/**
 * A static string that may still name constants (of this file or an imported
 * one). The per-file scan produces these; the link phase resolves them.
 */
export type Sym =
  /** Literal text; `{…}` are placeholders. In f-strings/template literals (`expr`) they are expressions that may resolve to constants. */
  | { kind: 'text'; text: string; expr: boolean }
  | { kind: 'ref'; path: string }
  | { kind: 'unknown'; text: string };

/** A TTL as written: seconds, an explicit "none", or an expression to evaluate once names are resolved. */
export type TtlSym = { kind: 'seconds'; value: number } | { kind: 'none' } | { kind: 'expr'; text: string; scale: number };

function exprText(e: Expr): string {
  switch (e.kind) {
    case 'str':
      return JSON.stringify(e.value);
    case 'num':
      return e.text;
    case 'ref':
      return e.path;
    case 'other':
      return e.text;
    case 'call':
      return `${e.callee}(…)`;
    default:
      return e.kind;
  }
}

/** `self.X` / `cls.X` / `this.X` as `Class.X`, so class constants resolve like module ones. */
export function qualifyRef(path: string, className?: string): string {
  if (!className) return path;
  return path.replace(/^(self|cls|this)\./, `${className}.`);
}

export function toSym(e: Expr | undefined, className?: string): Sym | undefined {
  if (!e) return undefined;
  switch (e.kind) {
    case 'str':
      return { kind: 'text', text: e.template ? e.value.replace(/\{(self|cls|this)\./g, `{${className ?? '$1'}.`) : e.value, expr: !!e.template };
    case 'num':
      return { kind: 'text', text: e.text, expr: false };
    case 'ref':
      return { kind: 'ref', path: qualifyRef(e.path, className) };
    case 'call':
      if ((e.callee === 'str' || e.callee === 'String') && e.args.length === 1) return toSym(e.args[0].value, className);
      return { kind: 'unknown', text: exprText(e) };
    default:
      return { kind: 'unknown', text: exprText(e) };
  }
}

const TIMEDELTA_UNITS: Record<string, number> = { weeks: 604800, days: 86400, hours: 3600, minutes: 60, seconds: 1, milliseconds: 0.001 };

/** A TTL expression, `scale` seconds per unit (0.001 for milliseconds). */
export function toTtlSym(e: Expr | undefined, scale = 1, className?: string): TtlSym | undefined {
  if (!e) return undefined;
  switch (e.kind) {
    case 'num':
      return { kind: 'seconds', value: e.value * scale };
    case 'none':
      return { kind: 'none' };
    case 'ref':
      return { kind: 'expr', text: qualifyRef(e.path, className), scale };
    case 'other':
      return { kind: 'expr', text: e.text.replace(/\b(self|cls|this)\./g, className ? `${className}.` : '$1.'), scale };
    case 'call': {
      if (lastSegment(e.callee) !== 'timedelta') return { kind: 'expr', text: exprText(e), scale };
      const parts: string[] = [];
      const first = positional(e.args, 0);
      if (first) parts.push(`(${argText(first)}) * 86400`);
      for (const a of e.args) if (a.name && TIMEDELTA_UNITS[a.name] !== undefined) parts.push(`(${argText(a.value)}) * ${TIMEDELTA_UNITS[a.name]}`);
      return parts.length ? { kind: 'expr', text: parts.join(' + '), scale: 1 } : { kind: 'expr', text: exprText(e), scale };
    }
    default:
      return { kind: 'expr', text: exprText(e), scale };
  }
}

function argText(e: Expr): string {
  return e.kind === 'num' ? e.text : e.kind === 'ref' ? e.path : e.kind === 'other' ? e.text : 'NaN';
}

/** The first of several keyword names that is present. */
export function firstKeyword(args: readonly Arg[], names: readonly string[]): { name: string; value: Expr } | undefined {
  for (const n of names) {
    const v = keyword(args, n);
    if (v) return { name: n, value: v };
  }
  return undefined;
}

// ---------------------------------------------------------------- arithmetic

type Lookup = (name: string) => number | undefined;

/**
 * Evaluates a small arithmetic expression (`60 * 5`, `2 * HOUR`, `(1 + 2) * 60`):
 * numbers, dotted names (looked up), `+ - * / // %` and parentheses. Anything else
 * gives undefined. A recursive-descent reader over a token list.
 */
export function evaluateArithmetic(text: string, lookup: Lookup): number | undefined {
  const tokens = text.match(/\d[\d_]*(?:\.\d+)?(?:e[+-]?\d+)?|[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*|\/\/|\*\*|[-+*/%()]|\S/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const expr = (): number | undefined => {
    let v = term();
    while (v !== undefined && (peek() === '+' || peek() === '-')) {
      const op = tokens[i++];
      const r = term();
      v = r === undefined ? undefined : op === '+' ? v + r : v - r;
    }
    return v;
  };
  const term = (): number | undefined => {
    let v = unary();
    while (v !== undefined && ['*', '/', '//', '%'].includes(peek() ?? '')) {
      const op = tokens[i++];
      const r = unary();
      if (r === undefined || (op !== '*' && r === 0)) return undefined;
      v = op === '*' ? v * r : op === '/' ? v / r : op === '//' ? Math.floor(v / r) : v % r;
    }
    return v;
  };
  const unary = (): number | undefined => {
    if (peek() === '-') {
      i++;
      const v = unary();
      return v === undefined ? undefined : -v;
    }
    if (peek() === '+') i++;
    return atom();
  };
  const atom = (): number | undefined => {
    const t = tokens[i++];
    if (t === undefined) return undefined;
    if (t === '(') {
      const v = expr();
      return tokens[i++] === ')' ? v : undefined;
    }
    if (/^\d/.test(t)) return Number(t.replace(/_/g, ''));
    if (/^[A-Za-z_$]/.test(t)) return lookup(t);
    return undefined;
  };
  const v = expr();
  return i === tokens.length && v !== undefined && Number.isFinite(v) ? v : undefined;
}

/** Placeholder expressions of an f-string / template literal: `{CacheTag.CONTACT}:{id}` → CacheTag.CONTACT, id. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]);
}
