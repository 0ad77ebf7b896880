import type { Range } from '../../findings';
import type { Assignment, Comment, PyFacts, PyImport } from '../../parsing/facts';
import { parseExpression, sliceText, type Cursor } from './exprParser';
import { plainAssignmentAt, plainBodyFrom, plainDefAt, plainDocstringAt, plainImportsEnd } from './shapes';
import { indentWidth, Lexer, LineIndex, type Tok } from './tokens';

/** The module-level facts a revision file needs, whichever parser produced them. */
export interface ModuleOutline {
  docstring?: { value: string; line: number };
  comments: Comment[];
  imports: PyImport[];
  assignments: Assignment[];
  functions: { name: string; range: Range; nameRange: Range; emptyBody: boolean }[];
  errors: Range[];
  lineCount: number;
}

/** Statements that open a block the fast reader leaves to the full parser. */
const COMPOUND = new Set(['if', 'elif', 'else', 'try', 'except', 'finally', 'with', 'for', 'while', 'match', 'case']);

class Unsupported extends Error {}

/**
 * Reads the module level of a Python file with a tokenizer: docstring,
 * imports, assignments (annotated, chained, multi-line), top-level functions
 * and whether their body is empty, comments. Returns undefined for anything
 * it does not model (module-level `if`/`try` blocks, lambdas, token errors),
 * so the caller can fall back to the tree-sitter facts, which model all of it.
 *
 * With `focus`, a simple statement (an import, an assignment) whose text does
 * not match it is skimmed rather than read: the outline then holds only the
 * statements that mention the names the caller needs, plus the docstring,
 * functions and every comment. A skimmed statement is checked only for token
 * errors, as function bodies always are: a mistake in it that is still valid
 * tokens goes unnoticed.
 */
export function readOutline(src: string, focus?: RegExp): ModuleOutline | undefined {
  if (src.indexOf('\r') >= 0 && /\r(?!\n)/.test(src)) return undefined;
  const lx = new Lexer(src);
  const idx = new LineIndex(src);
  const out: ModuleOutline = { comments: [], imports: [], assignments: [], functions: [], errors: [], lineCount: src.length === 0 ? 0 : idx.lineCount };
  const state: ReadState = { first: true, decoratorStart: undefined };
  try {
    // The shapes revision files are written in take the short ways; the rest goes through the tokenizer.
    for (let indent = lx.peekIndent(); indent >= 0; indent = lx.peekIndent()) {
      if (indent > 0) throw new Unsupported();
      const defKeyword = startsWithDefKeyword(src, lx.offset);
      if (state.decoratorStart === undefined && !defKeyword) {
        const plain = plainAssignmentAt(src, lx.offset, idx, focus);
        if (plain) {
          out.assignments.push(plain.assignment);
          lx.resume(plain.end);
          state.first = false;
          continue;
        }
        if (state.first) {
          const doc = plainDocstringAt(src, lx.offset);
          if (doc) {
            out.docstring = { value: doc.value, line: idx.position(lx.offset).line };
            lx.resume(doc.end);
            state.first = false;
            continue;
          }
        } else if (focus && (importsSkimmed(src, lx, focus) || skimmed(lx, focus))) continue;
      }
      const def = defKeyword ? plainDefAt(src, lx.offset) : undefined;
      if (def) {
        const start = state.decoratorStart ?? lx.offset;
        lx.resume(def.end);
        out.functions.push(functionBody(src, lx, idx, { name: def.name, nameStart: def.nameStart, start }, []));
        state.decoratorStart = undefined;
        state.first = false;
        continue;
      }
      tokenizedStatement(src, lx, idx, out, state);
    }
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
  if (lx.errors.length) return undefined;
  out.comments = lx.comments.map((c) => ({ text: c.text.replace(/^#\s?/, ''), range: idx.range(c.start, c.end) }));
  return out;
}

/** Where the reader stands between statements: before the first one (a docstring's place), after a decorator. */
interface ReadState {
  first: boolean;
  decoratorStart: number | undefined;
}

/** Whether the statement at `at` starts with `def` or `async` (then a blank): no other shape can match it. */
function startsWithDefKeyword(src: string, at: number): boolean {
  const length = src.startsWith('def', at) ? 3 : src.startsWith('async', at) ? 5 : 0;
  const next = length ? src.charCodeAt(at + length) : 0;
  return next === 32 || next === 9;
}

/** Skims the plain import lines that start at the next statement when none mentions `focus`, in one native step. */
function importsSkimmed(src: string, lx: Lexer, focus: RegExp): boolean {
  const end = plainImportsEnd(src, lx.offset);
  if (end < 0) return false;
  focus.lastIndex = 0;
  if (focus.test(src.slice(lx.offset, end))) return false;
  lx.resume(end);
  return true;
}

/** Skims the next simple statement when it does not mention `focus` (see `readOutline`). */
function skimmed(lx: Lexer, focus: RegExp): boolean {
  const word = lx.peekWord();
  return !!word && word !== 'def' && word !== 'async' && word !== 'class' && !COMPOUND.has(word) && lx.skipUnless(focus);
}

/** The next logical line through the tokenizer: a decorator, a `def` or `class` in another shape, or simple statements. */
function tokenizedStatement(src: string, lx: Lexer, idx: LineIndex, out: ModuleOutline, state: ReadState): void {
  const line = lx.line()!;
  const t0 = line.tokens[0];
  if (t0.kind === 'op' && t0.text === '@') {
    state.decoratorStart ??= t0.start;
    state.first = false;
    return;
  }
  const isDef = t0.text === 'def' || (t0.text === 'async' && line.tokens[1]?.text === 'def');
  if (t0.kind === 'name' && (isDef || t0.text === 'class')) {
    if (isDef) out.functions.push(functionOutline(src, line.tokens, lx, state.decoratorStart, idx));
    else while (lx.peekIndent() > 0) lx.skip();
    state.decoratorStart = undefined;
    state.first = false;
    return;
  }
  if (t0.kind === 'name' && COMPOUND.has(t0.text) && line.tokens[line.tokens.length - 1].text === ':') throw new Unsupported();
  if (state.decoratorStart !== undefined) throw new Unsupported();
  for (const stmt of splitStatements(line.tokens)) {
    if (state.first && stmt.every((t) => t.kind === 'string')) {
      out.docstring = { value: stmt.map((t) => t.value ?? '').join(''), line: idx.position(stmt[0].start).line };
    } else simpleStatement(stmt, src, idx, out);
    state.first = false;
  }
}

/** The same outline from the tree-sitter facts (the fallback path). */
export function outlineFromFacts(f: PyFacts, src: string): ModuleOutline {
  let docLine = 0;
  if (f.docstring !== undefined) {
    const lines = src.split('\n');
    while (docLine < lines.length && /^\s*(#.*)?$/.test(lines[docLine])) docLine++;
  }
  return {
    docstring: f.docstring !== undefined ? { value: f.docstring, line: docLine } : undefined,
    comments: f.comments,
    imports: f.imports,
    assignments: f.assignments,
    functions: f.functions.map((fn) => ({ name: fn.name, range: fn.range, nameRange: fn.nameRange, emptyBody: fn.emptyBody })),
    errors: f.errors,
    lineCount: f.lineCount,
  };
}

/** Splits a logical line on top-level `;`. */
function splitStatements(tokens: Tok[]): Tok[][] {
  let semicolon = false;
  for (let i = 0; i < tokens.length && !semicolon; i++) semicolon = tokens[i].text === ';';
  if (!semicolon) return [tokens];
  const out: Tok[][] = [];
  let depth = 0;
  let cur: Tok[] = [];
  for (const t of tokens) {
    if (t.kind === 'op') {
      if ('([{'.includes(t.text)) depth++;
      else if (')]}'.includes(t.text)) depth--;
      else if (t.text === ';' && depth === 0) {
        if (cur.length) out.push(cur);
        cur = [];
        continue;
      }
    }
    cur.push(t);
  }
  if (cur.length) out.push(cur);
  return out;
}

/** Indices of tokens with the given text at bracket depth 0. */
function topLevel(tokens: Tok[], text: string): number[] {
  const hits: number[] = [];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'op') continue;
    const c = t.text;
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === text && depth === 0) hits.push(i);
  }
  return hits;
}

/** What decides a simple statement's shape: its top-level `=` signs, its first top-level `:`, and whether it holds a lambda. */
function shape(tokens: Tok[]): { eqs: number[]; colon?: number; lambda: boolean } {
  const eqs: number[] = [];
  let colon: number | undefined;
  let lambda = false;
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const c = t.text;
    if (t.kind === 'name') {
      if (c === 'lambda') lambda = true;
    } else if (t.kind === 'op') {
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') depth--;
      else if (depth === 0 && c === '=') eqs.push(i);
      else if (depth === 0 && c === ':' && colon === undefined) colon = i;
    }
  }
  return { eqs, colon, lambda };
}

function simpleStatement(stmt: Tok[], src: string, idx: LineIndex, out: ModuleOutline): void {
  const head = stmt[0];
  if (head.kind === 'name' && (head.text === 'import' || head.text === 'from')) {
    out.imports.push(...importStatement(stmt, idx));
    return;
  }
  const { eqs, colon, lambda } = shape(stmt);
  if (lambda) throw new Unsupported();
  if (!eqs.length) {
    // A bare annotation `x: int`.
    if (colon === 1 && head.kind === 'name' && stmt.length > 2) {
      out.assignments.push({ targets: [head.text], annotation: sliceText(src, stmt.slice(2)), range: idx.range(head.start, stmt[stmt.length - 1].end) });
    }
    return;
  }
  const segments: Tok[][] = [];
  let from = 0;
  for (const e of eqs) {
    segments.push(stmt.slice(from, e));
    from = e + 1;
  }
  const valueToks = stmt.slice(from);
  if (!valueToks.length || segments.some((s) => !s.length)) throw new Unsupported();
  let annotation: string | undefined;
  const firstSeg = segments[0];
  if (colon !== undefined && colon < eqs[0]) {
    if (colon === 0 || colon === firstSeg.length - 1) throw new Unsupported();
    annotation = sliceText(src, firstSeg.slice(colon + 1));
    segments[0] = firstSeg.slice(0, colon);
  }
  const targets: string[] = [];
  for (const seg of segments) targets.push(...targetNames(seg, src));
  const cursor: Cursor = { toks: valueToks, pos: 0, src, idx };
  const value = parseExpression(cursor, true);
  if (cursor.pos < valueToks.length) throw new Unsupported();
  out.assignments.push({ targets, annotation, value, range: idx.range(head.start, stmt[stmt.length - 1].end) });
}

function targetNames(seg: Tok[], src: string): string[] {
  let toks = seg;
  const wrapped = toks.length >= 2 && '(['.includes(toks[0].text) && toks[toks.length - 1].text === (toks[0].text === '(' ? ')' : ']');
  if (wrapped) toks = toks.slice(1, -1);
  const commas = topLevel(toks, ',');
  if (!commas.length && !wrapped) return [sliceText(src, toks)];
  const parts: Tok[][] = [];
  let from = 0;
  for (const c of commas) {
    parts.push(toks.slice(from, c));
    from = c + 1;
  }
  parts.push(toks.slice(from));
  return parts.filter((p) => p.length).flatMap((p) => targetNames(p, src));
}

function importStatement(stmt: Tok[], idx: LineIndex): PyImport[] {
  const range = idx.range(stmt[0].start, stmt[stmt.length - 1].end);
  let i = 1;
  const dotted = (): { name: string; start: number; end: number } => {
    const first = stmt[i];
    if (!first || first.kind !== 'name') throw new Unsupported();
    let name = first.text;
    let end = first.end;
    i++;
    while (stmt[i]?.text === '.' && stmt[i + 1]?.kind === 'name') {
      name += '.' + stmt[i + 1].text;
      end = stmt[i + 1].end;
      i += 2;
    }
    return { name, start: first.start, end };
  };
  const alias = (): string | undefined => {
    if (stmt[i]?.text !== 'as') return undefined;
    const a = stmt[i + 1];
    if (!a || a.kind !== 'name') throw new Unsupported();
    i += 2;
    return a.text;
  };
  if (stmt[0].text === 'import') {
    const out: PyImport[] = [];
    for (;;) {
      const m = dotted();
      out.push({ kind: 'import', module: m.name, level: 0, names: [], alias: alias(), range, moduleRange: idx.range(m.start, m.end) });
      if (stmt[i]?.text !== ',') break;
      i++;
    }
    if (i !== stmt.length) throw new Unsupported();
    return out;
  }
  let level = 0;
  const levelStart = stmt[i]?.start;
  while (stmt[i]?.text === '.' || stmt[i]?.text === '...') level += stmt[i++].text.length;
  let module = '';
  let moduleRange = range;
  if (stmt[i]?.text !== 'import') {
    const m = dotted();
    module = m.name;
    moduleRange = idx.range(level ? levelStart : m.start, m.end);
  } else if (level) moduleRange = idx.range(levelStart, stmt[i - 1].end);
  if (stmt[i]?.text !== 'import') throw new Unsupported();
  i++;
  const names: PyImport['names'] = [];
  const paren = stmt[i]?.text === '(';
  if (paren) i++;
  while (i < stmt.length && stmt[i].text !== ')') {
    if (stmt[i].text === '*') {
      names.push({ name: '*', range: idx.range(stmt[i].start, stmt[i].end) });
      i++;
    } else {
      const m = dotted();
      const a = alias();
      names.push({ name: m.name, alias: a, range: idx.range(m.start, a ? stmt[i - 1].end : m.end) });
    }
    if (stmt[i]?.text === ',') i++;
  }
  if (paren) i++;
  if (i !== stmt.length) throw new Unsupported();
  if (module === '__future__' && level === 0) moduleRange = range;
  return [{ kind: 'from', module, level, names, range, moduleRange }];
}

function functionOutline(src: string, header: Tok[], lx: Lexer, decoratorStart: number | undefined, idx: LineIndex): ModuleOutline['functions'][number] {
  const nameTok = header[header[0].text === 'async' ? 2 : 1];
  if (!nameTok || nameTok.kind !== 'name') throw new Unsupported();
  const colon = topLevel(header, ':').find((c) => c > 1);
  if (colon === undefined) throw new Unsupported();
  return functionBody(src, lx, idx, { name: nameTok.text, nameStart: nameTok.start, start: decoratorStart ?? header[0].start }, header.slice(colon + 1));
}

/** The rest of a function after its header: `inline` holds the statements after the header's colon, if any. */
function functionBody(src: string, lx: Lexer, idx: LineIndex, head: { name: string; nameStart: number; start: number }, inline: Tok[]): ModuleOutline['functions'][number] {
  const isEmpty = (s: Tok[]) => (s.length === 1 && (s[0].text === 'pass' || s[0].text === '...')) || s.every((t) => t.kind === 'string');
  let emptyBody = !inline.length || splitStatements(inline).every(isEmpty);
  let end = inline.length ? inline[inline.length - 1].end : -1;
  const commentsBefore = lx.comments.length;
  let bodyIndent = 0;
  // Body lines are tokenised only while the body still looks empty; the rest is passed over.
  while (lx.peekIndent() > 0) {
    bodyIndent ||= lx.peekIndent();
    // Only `pass`, `...` or a string can start an empty statement; anything else is passed over.
    if (emptyBody && !lx.startsEmptyCandidate()) emptyBody = false;
    if (emptyBody) {
      const line = lx.line()!;
      emptyBody = splitStatements(line.tokens).every(isEmpty);
      end = line.tokens[line.tokens.length - 1].end;
      continue;
    }
    // Lines in plain shapes in one native step; a line they do not cover (a comment, say) through the tokenizer.
    const plain = plainBodyFrom(src, src.lastIndexOf('\n', lx.offset - 1) + 1);
    if (plain.lastEnd >= 0) {
      end = plain.lastEnd;
      lx.resume(plain.next);
    } else end = lx.skip();
  }
  if (end < 0) throw new Unsupported();
  end = trailingCommentsEnd(src, lx.comments.slice(commentsBefore), end, bodyIndent);
  return {
    name: head.name,
    range: idx.range(head.start, end),
    nameRange: idx.range(head.nameStart, head.nameStart + head.name.length),
    emptyBody,
  };
}

/**
 * Where a function ends once the comments after its last statement count, as
 * the grammar has it: a comment on the last line, then comment lines indented
 * at least as deep as the body, up to the first one that is not.
 */
function trailingCommentsEnd(src: string, comments: { start: number; end: number }[], end: number, bodyIndent: number): number {
  for (const c of comments) {
    if (c.start < end) continue;
    const lineStart = src.lastIndexOf('\n', c.start - 1) + 1;
    if (lineStart > end && indentWidth(src, lineStart, c.start) < bodyIndent) break;
    end = c.end;
  }
  return end;
}
