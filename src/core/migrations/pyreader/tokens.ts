/**
 * A Python tokenizer for the module outline reader: names, numbers, strings
 * (every prefix and quote form, decoded), operators, comments and logical
 * lines (implicit joining inside brackets, backslash continuation), with
 * 0-based line / UTF-16 column positions like the tree-sitter facts.
 */

export type TokKind = 'name' | 'number' | 'string' | 'op';

export interface Tok {
  kind: TokKind;
  /** Source text of the token. */
  text: string;
  /** Decoded value of a string token. */
  value?: string;
  /** f-string (placeholders kept as `{expr}`). */
  template?: boolean;
  /** Start and end offsets in the source. */
  start: number;
  end: number;
}

export interface LogicalLine {
  /** Indentation width of the line's first token (tabs to multiples of 8). */
  indent: number;
  tokens: Tok[];
}

export interface TokenizedSource {
  lines: LogicalLine[];
  comments: { text: string; start: number; end: number }[];
  /** Offsets where the source is not valid Python at the token level. */
  errors: { start: number; end: number; message: string }[];
}

const THREE_CHAR_OPS = new Set(['**=', '//=', '>>=', '<<=', '...']);
const TWO_CHAR_OPS = new Set(['**', '//', '>>', '<<', '<=', '>=', '==', '!=', '->', ':=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '@=']);
/** Characters that may start an operator longer than one character. */
const MULTI_START = new Set('*/<>=!-:+%&|^@.'.split('').map((ch) => ch.charCodeAt(0)));

function operatorAt(src: string, i: number, c: number): string {
  if (!MULTI_START.has(c)) return src[i];
  const three = src.slice(i, i + 3);
  if (THREE_CHAR_OPS.has(three)) return three;
  const two = three.slice(0, 2);
  return TWO_CHAR_OPS.has(two) ? two : src[i];
}

function isIdStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c > 127;
}

function isIdPart(c: number): boolean {
  return isIdStart(c) || (c >= 48 && c <= 57);
}

/** A space, tab or form feed: what may indent a line. */
function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 12;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

const STRING_PREFIX = /^(?:[rRuUbBfF]|[rR][bBfF]|[bBfF][rR])$/;
/** An identifier (any non-ASCII character counts as a letter, as in the tokenizer's check). */
const NAME = /(?:[A-Za-z_]|[^\x00-\x7f])(?:[A-Za-z0-9_]|[^\x00-\x7f])*/y;
/** How a statement that may be empty (`pass`, `...`, a docstring) starts. */
const EMPTY_START = /^(?:pass\b|\.\.\.|[rRuUbBfF]{0,2}['"])/;
/** Characters a skimmed line can pass over in one native step. */
const BORING = /[^'"#\\\r\n()[\]{}]+/y;

/**
 * A pull lexer over logical lines. `line()` returns the next logical line's
 * tokens; `skip()` passes over one (strings, brackets and comments still
 * honoured) without making tokens, for function bodies the reader does not need.
 */
export class Lexer {
  readonly comments: TokenizedSource['comments'] = [];
  readonly errors: TokenizedSource['errors'] = [];
  private i: number;
  private readonly n: number;
  /** Indentation of the line at `i`, measured by `peekIndent`; -1 when not measured. */
  private indent = -1;

  constructor(private readonly src: string) {
    this.n = src.length;
    this.i = src.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  /** Indentation of the next logical line (blank and comment-only lines skipped), or -1 at the end. */
  peekIndent(): number {
    if (this.indent >= 0) return this.indent;
    const { src, n } = this;
    for (;;) {
      // Every read stays below n: reading past the end would make V8 drop the optimised code of this loop.
      let j = this.i;
      while (j < n && isBlank(src.charCodeAt(j))) j++;
      if (j < n && src.charCodeAt(j) === 35) j = this.comment(j);
      if (j >= n) {
        this.i = n;
        return -1;
      }
      const d = src.charCodeAt(j);
      if (d === 10 || d === 13) {
        this.i = j + (d === 13 && j + 1 < n && src.charCodeAt(j + 1) === 10 ? 2 : 1);
        continue;
      }
      this.indent = indentWidth(src, this.i, j);
      this.i = j;
      return this.indent;
    }
  }

  /** Offset of the next logical line's first token (call after `peekIndent`). */
  get offset(): number {
    return this.i;
  }

  /** Continues after a statement read elsewhere, at `offset` (its line end). */
  resume(offset: number): void {
    this.i = offset;
    this.indent = -1;
  }

  /** Whether the next logical line starts with `pass`, `...` or a string (call after `peekIndent`). */
  startsEmptyCandidate(): boolean {
    return EMPTY_START.test(this.src.slice(this.i, this.i + 6));
  }

  /** The identifier the next logical line starts with, or '' (call after `peekIndent`). */
  peekWord(): string {
    NAME.lastIndex = this.i;
    return NAME.test(this.src) ? this.src.slice(this.i, NAME.lastIndex) : '';
  }

  /**
   * Skims the next logical line unless its text matches `re`. Returns true
   * when it was passed over; otherwise the line is left unread for `line()`.
   * Comments and token errors of a skimmed line are kept.
   */
  skipUnless(re: RegExp): boolean {
    const { i, indent } = this;
    const comments = this.comments.length;
    const errors = this.errors.length;
    const end = this.scan(undefined);
    re.lastIndex = 0;
    if (!re.test(this.src.slice(i, end))) return true;
    this.i = i;
    this.indent = indent;
    this.comments.length = comments;
    this.errors.length = errors;
    return false;
  }

  /** The next logical line's tokens, or undefined at the end. */
  line(): LogicalLine | undefined {
    const indent = this.peekIndent();
    if (indent < 0) return undefined;
    const tokens: Tok[] = [];
    this.scan(tokens);
    return { indent, tokens };
  }

  /** Passes over the next logical line; returns the end offset of its last token (not of a trailing comment). */
  skip(): number {
    if (this.peekIndent() < 0) return this.i;
    return this.scan(undefined);
  }

  private comment(j: number): number {
    const { src, n } = this;
    let k = src.indexOf('\n', j);
    if (k < 0) k = n;
    if (src.charCodeAt(k - 1) === 13) k--;
    this.comments.push({ text: src.slice(j, k), start: j, end: k });
    return k;
  }

  /** Scans one logical line from `i`; pushes tokens when `out` is given. Returns the end of the last token. */
  private scan(out: Tok[] | undefined): number {
    const { src, n } = this;
    let i = this.i;
    let depth = 0;
    let lastEnd = i;
    this.indent = -1;
    while (i < n) {
      if (!out) {
        // Skimming: jump over runs that hold no string, comment, bracket or line end.
        BORING.lastIndex = i;
        if (BORING.test(src)) {
          let k = BORING.lastIndex;
          i = k;
          while (k > 0 && (src.charCodeAt(k - 1) === 32 || src.charCodeAt(k - 1) === 9)) k--;
          if (k > lastEnd && k > this.i) lastEnd = k;
          if (i >= n) break;
        }
      }
      const c = src.charCodeAt(i);
      if (c === 10 || c === 13) {
        i += c === 13 && src.charCodeAt(i + 1) === 10 ? 2 : 1;
        if (depth === 0) break;
        continue;
      }
      if (isBlank(c)) {
        i++;
        continue;
      }
      if (c === 35) {
        i = this.comment(i);
        continue;
      }
      if (c === 92) {
        // Backslash continuation: the next physical line continues this logical line.
        const next = src.charCodeAt(i + 1);
        if (next === 10 || next === 13) {
          i += next === 13 && src.charCodeAt(i + 2) === 10 ? 3 : 2;
          continue;
        }
        this.errors.push({ start: i, end: i + 1, message: 'unexpected backslash' });
        i++;
        continue;
      }
      const start = i;
      if (isIdStart(c)) {
        NAME.lastIndex = i;
        NAME.test(src);
        const j = NAME.lastIndex;
        const q = src.charCodeAt(j);
        if ((q === 39 || q === 34) && j - i <= 2 && STRING_PREFIX.test(src.slice(i, j))) i = readString(src, i, j, out, this.errors);
        else {
          out?.push({ kind: 'name', text: src.slice(i, j), value: undefined, template: undefined, start: i, end: j });
          i = j;
        }
      } else if (c === 39 || c === 34) {
        i = readString(src, i, i, out, this.errors);
      } else if (isDigit(c) || (c === 46 && isDigit(src.charCodeAt(i + 1)))) {
        let j = i + 1;
        while (j < n) {
          const d = src.charCodeAt(j);
          if (isIdPart(d) || d === 46) j++;
          else if ((d === 43 || d === 45) && (src.charCodeAt(j - 1) | 32) === 101 && !/^0[xX]/.test(src.slice(i, j))) j++;
          else break;
        }
        out?.push({ kind: 'number', text: src.slice(i, j), value: undefined, template: undefined, start: i, end: j });
        i = j;
      } else {
        const op = operatorAt(src, i, c);
        if (op.length === 1) {
          if (c === 40 || c === 91 || c === 123) depth++;
          else if (c === 41 || c === 93 || c === 125) {
            if (depth === 0) this.errors.push({ start: i, end: i + 1, message: `unmatched "${op}"` });
            else depth--;
          }
        }
        out?.push({ kind: 'op', text: op, value: undefined, template: undefined, start: i, end: i + op.length });
        i += op.length;
      }
      if (i > start) lastEnd = i;
    }
    if (depth > 0 && i >= n) this.errors.push({ start: n, end: n, message: 'unclosed bracket at end of file' });
    this.i = i;
    return lastEnd;
  }
}

/** The width of the indentation `[from, to)`: tabs to the next multiple of 8, a form feed back to 0, as Python counts. */
export function indentWidth(src: string, from: number, to: number): number {
  let col = 0;
  for (let i = from; i < to; i++) {
    const c = src.charCodeAt(i);
    col = c === 9 ? (Math.floor(col / 8) + 1) * 8 : c === 12 ? 0 : col + 1;
  }
  return col;
}

/** Every logical line at once (tests, small inputs). */
export function tokenize(src: string): TokenizedSource {
  const lx = new Lexer(src);
  const lines: LogicalLine[] = [];
  for (let line = lx.line(); line; line = lx.line()) lines.push(line);
  return { lines, comments: lx.comments, errors: lx.errors };
}

/** True when the character at `at` is preceded by an odd number of backslashes (after `min`). */
function escaped(src: string, at: number, min: number): boolean {
  let b = 0;
  for (let p = at - 1; p >= min && src.charCodeAt(p) === 92; p--) b++;
  return (b & 1) === 1;
}

/** Where a string literal whose quote is at `quoteAt` ends, found with native searches. */
function stringEnd(src: string, quoteAt: number): { open: number; bodyEnd: number; closed: boolean } {
  const q = src[quoteAt];
  if (src.startsWith(q + q + q, quoteAt)) {
    for (let j = quoteAt + 3; ; ) {
      const k = src.indexOf(q + q + q, j);
      if (k < 0) return { open: 3, bodyEnd: src.length, closed: false };
      if (!escaped(src, k, quoteAt + 3)) return { open: 3, bodyEnd: k, closed: true };
      j = k + 1;
    }
  }
  for (let j = quoteAt + 1; ; ) {
    const k = src.indexOf(q, j);
    const nl = src.indexOf('\n', j);
    if (nl >= 0 && (k < 0 || nl < k)) {
      // A backslash before the newline continues the string on the next line.
      if (escaped(src, nl, quoteAt + 1)) {
        j = nl + 1;
        continue;
      }
      return { open: 1, bodyEnd: src.charCodeAt(nl - 1) === 13 ? nl - 1 : nl, closed: false };
    }
    if (k < 0) return { open: 1, bodyEnd: src.length, closed: false };
    if (!escaped(src, k, quoteAt + 1)) return { open: 1, bodyEnd: k, closed: true };
    j = k + 1;
  }
}

/** Reads a string literal whose prefix spans [start, quoteAt); pushes the token and returns the offset after it. */
function readString(src: string, start: number, quoteAt: number, out: Tok[] | undefined, errors: TokenizedSource['errors']): number {
  const { open, bodyEnd, closed } = stringEnd(src, quoteAt);
  const end = closed ? bodyEnd + open : bodyEnd;
  if (!closed) errors.push({ start, end, message: 'unterminated string' });
  if (!out) return end;
  const prefix = src.slice(start, quoteAt).toLowerCase();
  const body = src.slice(quoteAt + open, bodyEnd);
  out.push({ kind: 'string', text: src.slice(start, end), value: prefix.includes('r') ? body : decodeEscapes(body), template: prefix.includes('f') || undefined, start, end });
  return end;
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v' };

function decodeEscapes(body: string): string {
  if (!body.includes('\\')) return body;
  return body.replace(/\\(\r\n|\n|\r|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|.)/g, (m, e: string) => {
    if (e === '\n' || e === '\r' || e === '\r\n') return '';
    if (SIMPLE_ESCAPES[e] !== undefined) return SIMPLE_ESCAPES[e];
    if (/^[0-7]+$/.test(e)) return String.fromCharCode(parseInt(e, 8));
    if (/^[xuU]/.test(e) && e.length > 1) return String.fromCodePoint(parseInt(e.slice(1), 16));
    return m;
  });
}

/** Converts source offsets to 0-based line / UTF-16 column positions. */
export class LineIndex {
  private readonly starts: number[];
  /** The line of the last position asked for. */
  private near = 0;

  /** `src` has `\n` or `\r\n` line ends (the reader hands files with lone `\r` over to the full parser). */
  constructor(src: string) {
    const starts = [0];
    for (let i = src.indexOf('\n'); i >= 0; i = src.indexOf('\n', i + 1)) starts.push(i + 1);
    this.starts = starts;
  }

  position(offset: number): { line: number; character: number } {
    const starts = this.starts;
    const last = starts.length - 1;
    // A reading asks in file order, mostly for the same or a nearby line: a few steps from the last answer.
    let line = this.near;
    if (starts[line] > offset) line = 0;
    for (let steps = 0; line < last && starts[line + 1] <= offset; line++) {
      if (++steps > 8) {
        line = search(starts, line, offset);
        break;
      }
    }
    this.near = line;
    return { line, character: offset - starts[line] };
  }

  range(start: number, end: number): { start: { line: number; character: number }; end: { line: number; character: number } } {
    return { start: this.position(start), end: this.position(end) };
  }

  get lineCount(): number {
    return this.starts.length;
  }
}

/** The last line (from `lo`) whose start is at or before `offset`, by bisection. */
function search(starts: readonly number[], lo: number, offset: number): number {
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
