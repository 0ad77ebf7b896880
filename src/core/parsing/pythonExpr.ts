// Reading tree-sitter Python expressions into static `Expr` values.
import type { Node } from 'web-tree-sitter';
import type { Range } from '../findings';
import type { Arg, Expr } from './expr';

const MAX_EXPR_DEPTH = 12;

export function rangeOf(n: Node): Range {
  // Each position getter is a call into the parser's memory: read each once.
  const start = n.startPosition;
  const end = n.endPosition;
  return { start: { line: start.row, character: start.column }, end: { line: end.row, character: end.column } };
}

export function named(n: Node): Node[] {
  return n.namedChildren.filter((c): c is Node => c !== null);
}

export function argsOf(list: Node | null): Arg[] {
  if (!list || list.type !== 'argument_list') return [];
  const args: Arg[] = [];
  for (const a of named(list)) {
    const type = a.type;
    if (type === 'comment') continue;
    if (type === 'keyword_argument') {
      const v = a.childForFieldName('value');
      args.push({ name: a.childForFieldName('name')?.text, value: v ? toExpr(v, 0) : other(a) });
    } else if (type === 'list_splat' || type === 'dictionary_splat') {
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

function other(n: Node, range = rangeOf(n)): Expr {
  const text = n.text;
  return { kind: 'other', text: text.length > 200 ? text.slice(0, 200) + '…' : text, range };
}

/**
 * Reads an expression. Each `type`, `text` or `endPosition` of a node is a call into the
 * parser's memory, so each is read once per node here and in `stringValue`.
 */
export function toExpr(n: Node, depth: number): Expr {
  const range = rangeOf(n);
  if (depth > MAX_EXPR_DEPTH) return other(n, range);
  const type = n.type;
  switch (type) {
    case 'string':
    case 'concatenated_string': {
      const s = stringOf(n, type);
      return { kind: 'str', value: s.value, range, ...(s.template ? { template: true } : {}) };
    }
    case 'integer':
    case 'float': {
      const text = n.text;
      const value = Number(text.replace(/_/g, ''));
      return Number.isNaN(value) ? other(n, range) : { kind: 'num', value, text, range };
    }
    case 'true':
    case 'false':
      return { kind: 'bool', value: type === 'true', range };
    case 'none':
      return { kind: 'none', range };
    case 'identifier':
    case 'attribute':
      return { kind: 'ref', path: dotted(n), range };
    case 'parenthesized_expression': {
      const inner = named(n).find((c) => c.type !== 'comment');
      return inner ? toExpr(inner, depth + 1) : other(n, range);
    }
    case 'tuple':
    case 'expression_list':
    case 'list':
    case 'set':
      return {
        kind: 'seq',
        seq: type === 'list' ? 'list' : type === 'set' ? 'set' : 'tuple',
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
      return other(n, range);
  }
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };

/** The value of a string literal; f-string interpolations are kept as `{expr}`. */
export function stringValue(n: Node): { value: string; template: boolean } {
  return stringOf(n, n.type);
}

/** `stringValue` for a node whose type is already known. */
function stringOf(n: Node, type: string): { value: string; template: boolean } {
  if (type === 'concatenated_string') {
    const parts = named(n)
      .filter((c) => c.type === 'string')
      .map((c) => stringOf(c, 'string'));
    return { value: parts.map((p) => p.value).join(''), template: parts.some((p) => p.template) };
  }
  // One pass over the children for their types; the parts below are the named ones among them.
  const kids = n.children.filter((c): c is Node => c !== null);
  const types = kids.map((c) => c.type);
  const startAt = types.indexOf('string_start');
  const prefix = startAt < 0 ? '' : kids[startAt].text.replace(/['"]+$/, '').toLowerCase();
  const raw = prefix.includes('r');
  let value = '';
  let template = false;
  for (let i = 0; i < kids.length; i++) {
    const c = kids[i];
    const t = types[i];
    if (t === 'string_content') {
      const text = c.text;
      value += raw ? text : text.replace(/\\(.)/g, (_m, ch: string) => ESCAPES[ch] ?? `\\${ch}`);
    } else if (t === 'escape_sequence') {
      const text = c.text;
      value += raw ? text : ESCAPES[text.slice(1)] ?? text;
    } else if (t === 'interpolation') {
      template = true;
      const expr = c.childForFieldName('expression');
      value += `{${expr ? expr.text : ''}}`;
    }
  }
  return { value, template };
}
