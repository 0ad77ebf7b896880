import type { Range } from '../../findings';
import type { Expr } from '../../parsing/expr';
import type { Assignment } from '../../parsing/facts';
import type { LineIndex } from './tokens';

/**
 * Shapes of Python source that revision files are nearly always written in,
 * each matched with one native regular expression instead of being tokenised.
 * Anything else is left to the tokenizer, which reads every shape; for these
 * shapes both give the same result.
 *
 * A plain assignment, the statement shape of nearly every revision field:
 *
 *     name [: Annotation] = None | "text" | ("text", …) | ["text", …]
 *
 * Strings have no prefix, escape or line break; the annotation is a dotted
 * name with at most two levels of `[…]`, or a `|` union of them; the line ends
 * right after the value (no comment, no `;`).
 */
const NAME = '[A-Za-z_][A-Za-z0-9_]*';
const TYPE = `${NAME}(?:\\.${NAME})*(?:[ \\t]*\\[(?:[\\w., \\t|]|\\[[\\w., \\t|]*\\])*\\])?`;
const STR = `"[^"\\\\\\r\\n]*"|'[^'\\\\\\r\\n]*'`;
const GAP = '\\s*';
const ITEMS = `(?:(?:${STR})${GAP}(?:,${GAP}(?:${STR})${GAP})*(?:,${GAP})?)?`;
const VALUE = `None|${STR}|\\(${GAP}${ITEMS}\\)|\\[${GAP}${ITEMS}\\]`;
const STATEMENT = new RegExp(`(${NAME})[ \\t]*(?::[ \\t]*(${TYPE}(?:[ \\t]*\\|[ \\t]*${TYPE})*)[ \\t]*)?=[ \\t]*(${VALUE})[ \\t]*(?=\\r?\\n|$)`, 'y');
const STRING = new RegExp(STR, 'g');
/** Targets the tokenizer path reads as something else, or rejects. */
const KEYWORDS = new Set('False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda match case nonlocal not or pass raise return try while with yield type'.split(' '));

/**
 * Reads the plain assignment starting at `at` (a statement start at column 0)
 * when its target passes `wanted`; returns it with the offset of its line end,
 * or undefined when the statement has another shape.
 */
export function plainAssignmentAt(src: string, at: number, idx: LineIndex, wanted?: RegExp): { assignment: Assignment; end: number } | undefined {
  STATEMENT.lastIndex = at;
  const m = STATEMENT.exec(src);
  if (!m) return undefined;
  // Indexed, not destructured: destructuring walks the iterator protocol, which costs in code that runs once per file.
  const whole = m[0];
  const target = m[1];
  const annotation = m[2];
  const valueText = m[3];
  if (wanted) wanted.lastIndex = 0;
  if (wanted ? !wanted.test(target) : KEYWORDS.has(target)) return undefined;
  // Only blanks follow the value on its line.
  const valueEnd = endOfText(src, at, at + whole.length);
  const valueStart = valueEnd - valueText.length;
  // Positions asked in file order; the statement and its value end at the same place, one position object for both.
  const start = idx.position(at);
  const range: Range = { start: idx.position(valueStart), end: idx.position(valueEnd) };
  const value = valueOf(valueText, valueStart, idx, range);
  return {
    assignment: { targets: [target], annotation, value, range: { start, end: range.end } },
    end: at + whole.length,
  };
}

function valueOf(text: string, start: number, idx: LineIndex, range: Range): Expr {
  const open = text.charCodeAt(0);
  if (open === 78 /* N */) return { kind: 'none', range };
  if (open !== 40 /* ( */ && open !== 91 /* [ */) return { kind: 'str', value: text.slice(1, -1), range };
  return sequenceOf(text, start, idx, range);
}

/** A tuple or list of strings (a separate function: the common values above stay small for the optimiser). */
function sequenceOf(text: string, start: number, idx: LineIndex, range: Range): Expr {
  const open = text[0];
  const items: Expr[] = [];
  STRING.lastIndex = 0;
  for (let s = STRING.exec(text); s; s = STRING.exec(text)) {
    const from = start + s.index;
    items.push({ kind: 'str', value: s[0].slice(1, -1), range: idx.range(from, from + s[0].length) });
  }
  // `("a")` is the string itself; `("a",)` is a one-item tuple.
  if (open === '(' && items.length === 1 && !/,\s*\)$/.test(text)) return items[0];
  return { kind: 'seq', seq: open === '(' ? 'tuple' : 'list', items, range };
}

/** A docstring in its plain form: `"""…"""` without prefix, backslash or carriage return inside, alone on its last line. */
const DOCSTRING = /"""((?:[^"\\\r]|"(?!""))*)"""[ \t]*(?=\r?\n|$)/y;

/** Reads the plain docstring at `at` (a statement start): its value (the text between the quotes) and its end. */
export function plainDocstringAt(src: string, at: number): { value: string; end: number } | undefined {
  DOCSTRING.lastIndex = at;
  const m = DOCSTRING.exec(src);
  return m ? { value: m[1], end: at + m[0].length } : undefined;
}

/**
 * Consecutive import lines in plain shape: `import` or `from`, then names,
 * dots, commas, `*` and blanks only (no bracket, string, comment, number or
 * continuation), so every token is valid. A name must end where a character
 * outside names follows, so a line that does not fit fails without trying
 * ways to split its names.
 */
const IMPORT_LINES = /(?:(?:import|from)(?!\w)(?:[ \t]*(?:[A-Za-z_]\w*(?!\w)|[.,*]))*[ \t]*\r?\n)+/y;

/** The end of the plain import lines at `at` (a statement start), after the last line end; -1 if there are none. */
export function plainImportsEnd(src: string, at: number): number {
  IMPORT_LINES.lastIndex = at;
  return IMPORT_LINES.test(src) ? IMPORT_LINES.lastIndex : -1;
}

/** A function header with its body on the following lines: `[async ]def name(params)[ -> type]:`, params without brackets, strings or comments. */
const DEF = new RegExp(`(?:async[ \\t]+)?def[ \\t]+(${NAME})[ \\t]*\\([^()'"#\\\\\\r\\n]*\\)[ \\t]*(?:->[ \\t]*${TYPE}[ \\t]*)?:[ \\t]*(?=\\r?\\n)`, 'y');

/** Reads the function header at `at`: its name, where the name lies, and the offset of the header's `:` end. */
export function plainDefAt(src: string, at: number): { name: string; nameStart: number; end: number } | undefined {
  DEF.lastIndex = at;
  const m = DEF.exec(src);
  if (!m) return undefined;
  const nameStart = at + m[0].indexOf(m[1], m[0].indexOf('def') + 3);
  return { name: m[1], nameStart, end: endOfText(src, at, at + m[0].length) };
}

/**
 * Body lines that hold no comment and no backslash outside strings, with
 * brackets nested at most four deep (they may span lines) and strings of any
 * quote form (triple-quoted ones may span lines); blank lines too. Like the
 * tokenizer, a bracket closes whatever bracket is open. The plain-character
 * runs are maximal (the lookahead), so a line that does not fit fails without
 * backtracking through ways of splitting them. Kept small: a large pattern
 * costs milliseconds to compile, once per process.
 */
const SPECIAL = `'"#\\\\()\\[\\]{}`;
const PLAIN_LINE = `[^${SPECIAL}\\r\\n]+(?![^${SPECIAL}\\r\\n])`;
const PLAIN_IN = `[^${SPECIAL}]+(?![^${SPECIAL}])`;
const QUOTED = `"""(?:[^"\\\\]|\\\\[^]|"(?!""))*"""|'''(?:[^'\\\\]|\\\\[^]|'(?!''))*'''|"(?:[^"\\\\\\r\\n]|\\\\[^])*"|'(?:[^'\\\\\\r\\n]|\\\\[^])*'`;
const BRACKETED = [1, 2, 3].reduce((inner) => `[([{](?:${PLAIN_IN}|${QUOTED}|${inner})*[)\\]}]`, `[([{](?:${PLAIN_IN}|${QUOTED})*[)\\]}]`);
const BODY = new RegExp(`(?:[ \\t]*\\r?\\n|[ \\t]+(?:${PLAIN_LINE}|${QUOTED}|${BRACKETED})+[ \\t]*(?:\\r?\\n|$))*`, 'y');

/** How far from `at` (a line start) the body lines reach in plain shapes, and the end of their last token (-1 if none). */
export function plainBodyFrom(src: string, at: number): { next: number; lastEnd: number } {
  BODY.lastIndex = at;
  BODY.test(src);
  const next = BODY.lastIndex;
  const lastEnd = endOfText(src, at, next);
  return { next, lastEnd: lastEnd > at ? lastEnd : -1 };
}

/** `to` moved back over the blanks and line ends before it, not past `from`. */
function endOfText(src: string, from: number, to: number): number {
  for (let c = src.charCodeAt(to - 1); to > from && (c === 32 || c === 9 || c === 10 || c === 13); c = src.charCodeAt(--to - 1));
  return to;
}
