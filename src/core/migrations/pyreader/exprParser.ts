import type { Arg, Expr } from '../../parsing/expr';
import type { LineIndex, Tok } from './tokens';

/** A position in a statement's tokens. */
export interface Cursor {
  toks: Tok[];
  pos: number;
  src: string;
  idx: LineIndex;
}

const CLOSE: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

export function sliceText(src: string, toks: Tok[]): string {
  return toks.length ? src.slice(toks[0].start, toks[toks.length - 1].end) : '';
}

function other(c: Cursor, from: number, to: number): Expr {
  const text = c.src.slice(c.toks[from].start, c.toks[to - 1].end);
  return { kind: 'other', text: text.length > 200 ? text.slice(0, 200) + '…' : text, range: c.idx.range(c.toks[from].start, c.toks[to - 1].end) };
}

/** Advances over one expression of any shape: to the next `,`, `:` or closing bracket at this level. */
function skipExpr(c: Cursor): void {
  let depth = 0;
  while (c.pos < c.toks.length) {
    const t = c.toks[c.pos];
    if (t.kind === 'op') {
      if (t.text in CLOSE) depth++;
      else if (')]}'.includes(t.text)) {
        if (depth === 0) return;
        depth--;
      } else if (depth === 0 && (t.text === ',' || t.text === ':')) return;
    }
    c.pos++;
  }
}

function atEnd(c: Cursor): boolean {
  const t = c.toks[c.pos];
  return !t || (t.kind === 'op' && (t.text === ',' || t.text === ':' || ')]}'.includes(t.text)));
}

/**
 * Parses a static value: literals, names, dotted refs, tuples/lists/sets/dicts
 * and calls, the shapes the tree-sitter facts give as `Expr`. Anything else
 * (operators, subscripts, comprehensions) becomes `other` with its text.
 * `list` parses a bare comma list (`a, b`) as a tuple.
 */
export function parseExpression(c: Cursor, list = false): Expr {
  const start = c.pos;
  const first = parseOne(c);
  if (!list || c.toks[c.pos]?.text !== ',') return first;
  const items = [first];
  while (c.toks[c.pos]?.text === ',') {
    c.pos++;
    if (c.pos >= c.toks.length) break;
    items.push(parseOne(c));
  }
  return { kind: 'seq', seq: 'tuple', items, range: c.idx.range(c.toks[start].start, c.toks[c.pos - 1].end) };
}

function parseOne(c: Cursor): Expr {
  const start = c.pos;
  const e = primary(c);
  if (e && atEnd(c)) return e;
  c.pos = start;
  skipExpr(c);
  if (c.pos === start) c.pos++;
  return other(c, start, c.pos);
}

function primary(c: Cursor): Expr | undefined {
  const t = c.toks[c.pos];
  if (!t) return undefined;
  const range = (from: number, to: number) => c.idx.range(from, to);
  if (t.kind === 'string') {
    let value = '';
    let template = false;
    let end = t.end;
    while (c.toks[c.pos]?.kind === 'string') {
      const s = c.toks[c.pos++];
      value += s.value ?? '';
      template ||= !!s.template;
      end = s.end;
    }
    return { kind: 'str', value, range: range(t.start, end), ...(template ? { template: true } : {}) };
  }
  if (t.kind === 'number') {
    c.pos++;
    const value = Number(t.text.replace(/_/g, ''));
    return Number.isNaN(value) ? undefined : { kind: 'num', value, text: t.text, range: range(t.start, t.end) };
  }
  if (t.kind === 'name') {
    if (t.text === 'None' || t.text === 'True' || t.text === 'False') {
      c.pos++;
      return t.text === 'None' ? { kind: 'none', range: range(t.start, t.end) } : { kind: 'bool', value: t.text === 'True', range: range(t.start, t.end) };
    }
    if (['not', 'lambda', 'await', 'yield'].includes(t.text)) return undefined;
    let path = t.text;
    let end = t.end;
    c.pos++;
    while (c.toks[c.pos]?.text === '.' && c.toks[c.pos + 1]?.kind === 'name') {
      path += '.' + c.toks[c.pos + 1].text;
      end = c.toks[c.pos + 1].end;
      c.pos += 2;
    }
    if (c.toks[c.pos]?.text === '(') {
      c.pos++;
      const args = callArgs(c);
      if (!args) return undefined;
      return { kind: 'call', callee: path, args, range: range(t.start, c.toks[c.pos - 1].end) };
    }
    return { kind: 'ref', path, range: range(t.start, end) };
  }
  if (t.kind === 'op' && t.text in CLOSE) return bracket(c);
  return undefined;
}

/** After the opening bracket at c.pos. */
function bracket(c: Cursor): Expr | undefined {
  const open = c.toks[c.pos++];
  const close = CLOSE[open.text];
  const items: Expr[] = [];
  const entries: { key: Expr; value: Expr }[] = [];
  let trailingComma = false;
  while (c.toks[c.pos] && c.toks[c.pos].text !== close) {
    if (c.toks[c.pos].text === '*' || c.toks[c.pos].text === '**') return undefined;
    const e = parseOne(c);
    if (open.text === '{' && c.toks[c.pos]?.text === ':') {
      c.pos++;
      entries.push({ key: e, value: parseOne(c) });
    } else items.push(e);
    trailingComma = false;
    if (c.toks[c.pos]?.text === ',') {
      c.pos++;
      trailingComma = true;
    } else if (c.toks[c.pos]?.text !== close) return undefined;
  }
  const end = c.toks[c.pos];
  if (!end) return undefined;
  c.pos++;
  const range = c.idx.range(open.start, end.end);
  if (open.text === '(' && items.length === 1 && !trailingComma) return items[0];
  if (open.text === '{' && (entries.length || !items.length)) {
    if (items.length) return undefined;
    return { kind: 'dict', entries, range };
  }
  return { kind: 'seq', seq: open.text === '(' ? 'tuple' : open.text === '[' ? 'list' : 'set', items, range };
}

/** Arguments after `(`; leaves c.pos after `)`. */
function callArgs(c: Cursor): Arg[] | undefined {
  const args: Arg[] = [];
  while (c.toks[c.pos] && c.toks[c.pos].text !== ')') {
    const t = c.toks[c.pos];
    if (t.text === '*' || t.text === '**') {
      const start = c.pos;
      c.pos++;
      skipExpr(c);
      args.push({ value: other(c, start, c.pos), spread: true });
    } else if (t.kind === 'name' && c.toks[c.pos + 1]?.text === '=') {
      c.pos += 2;
      args.push({ name: t.text, value: parseOne(c) });
    } else args.push({ value: parseOne(c) });
    if (c.toks[c.pos]?.text === ',') c.pos++;
    else if (c.toks[c.pos]?.text !== ')') return undefined;
  }
  if (!c.toks[c.pos]) return undefined;
  c.pos++;
  return args;
}
