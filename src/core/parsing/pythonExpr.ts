// Reading tree-sitter Python expressions into static `Expr` values.
import type { Node } from 'web-tree-sitter';
import type { Range } from '../findings';
import type { Arg, Expr } from './expr';

const MAX_EXPR_DEPTH = 12;

export function rangeOf(n: Node): Range {
  return {
    start: { line: n.startPosition.row, character: n.startPosition.column },
    end: { line: n.endPosition.row, character: n.endPosition.column },
  };
}

export function named(n: Node): Node[] {
  return n.namedChildren.filter((c): c is Node => c !== null);
}

export function argsOf(list: Node | null): Arg[] {
  if (!list || list.type !== 'argument_list') return [];
  const args: Arg[] = [];
  for (const a of named(list)) {
    if (a.type === 'comment') continue;
    if (a.type === 'keyword_argument') {
      const v = a.childForFieldName('value');
      args.push({ name: a.childForFieldName('name')?.text, value: v ? toExpr(v, 0) : other(a) });
    } else if (a.type === 'list_splat' || a.type === 'dictionary_splat') {
      args.push({ value: other(a), spread: true });
    } else args.push({ value: toExpr(a, 0) });
  }
  return args;
}

/** `a.b.c` for names and attribute chains; calls inside a chain become `f()`. */
export function dotted(n: Node): string {
  switch (n.type) {
    case 'identifier':
      return n.text;
    case 'attribute':
      return `${dotted(n.childForFieldName('object')!)}.${n.childForFieldName('attribute')!.text}`;
    case 'call':
      return `${dotted(n.childForFieldName('function')!)}()`;
    default:
      return n.text.replace(/\s+/g, '');
  }
}

function other(n: Node): Expr {
  return { kind: 'other', text: n.text.length > 200 ? n.text.slice(0, 200) + '…' : n.text, range: rangeOf(n) };
}

export function toExpr(n: Node, depth: number): Expr {
  const range = rangeOf(n);
  if (depth > MAX_EXPR_DEPTH) return other(n);
  switch (n.type) {
    case 'string':
    case 'concatenated_string': {
      const s = stringValue(n);
      return { kind: 'str', value: s.value, range, ...(s.template ? { template: true } : {}) };
    }
    case 'integer':
    case 'float': {
      const value = Number(n.text.replace(/_/g, ''));
      return Number.isNaN(value) ? other(n) : { kind: 'num', value, text: n.text, range };
    }
    case 'true':
    case 'false':
      return { kind: 'bool', value: n.type === 'true', range };
    case 'none':
      return { kind: 'none', range };
    case 'identifier':
    case 'attribute':
      return { kind: 'ref', path: dotted(n), range };
    case 'parenthesized_expression': {
      const inner = named(n).find((c) => c.type !== 'comment');
      return inner ? toExpr(inner, depth + 1) : other(n);
    }
    case 'tuple':
    case 'expression_list':
    case 'list':
    case 'set':
      return {
        kind: 'seq',
        seq: n.type === 'list' ? 'list' : n.type === 'set' ? 'set' : 'tuple',
        items: named(n).filter((c) => c.type !== 'comment').map((c) => toExpr(c, depth + 1)),
        range,
      };
    case 'dictionary':
      return {
        kind: 'dict',
        entries: named(n)
          .filter((p) => p.type === 'pair')
          .map((p) => ({ key: toExpr(p.childForFieldName('key')!, depth + 1), value: toExpr(p.childForFieldName('value')!, depth + 1) })),
        range,
      };
    case 'call':
      return { kind: 'call', callee: dotted(n.childForFieldName('function')!), args: argsOf(n.childForFieldName('arguments')), range };
    default:
      return other(n);
  }
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };

/** The value of a string literal; f-string interpolations are kept as `{expr}`. */
export function stringValue(n: Node): { value: string; template: boolean } {
  if (n.type === 'concatenated_string') {
    const parts = named(n).filter((c) => c.type === 'string').map(stringValue);
    return { value: parts.map((p) => p.value).join(''), template: parts.some((p) => p.template) };
  }
  const start = n.children.find((c) => c?.type === 'string_start')?.text ?? '';
  const prefix = start.replace(/['"]+$/, '').toLowerCase();
  const raw = prefix.includes('r');
  let value = '';
  let template = false;
  for (const c of named(n)) {
    if (c.type === 'string_content') {
      value += raw ? c.text : c.text.replace(/\\(.)/g, (_m, ch: string) => ESCAPES[ch] ?? `\\${ch}`);
    } else if (c.type === 'escape_sequence') {
      value += raw ? c.text : ESCAPES[c.text.slice(1)] ?? c.text;
    } else if (c.type === 'interpolation') {
      template = true;
      const expr = c.childForFieldName('expression');
      value += `{${expr ? expr.text : ''}}`;
    }
  }
  return { value, template };
}
