/**
 * Redis glob semantics (`KEYS`/`SCAN MATCH`/`delete_pattern`): `*` any text,
 * `?` one character, `[abc]`/`[a-z]`/`[^x]` classes, `\` escapes. Cache keys
 * are templates. A `{name}` placeholder, in a key or in a pattern, is a
 * run-time value (an id): one or more characters of one key segment, never a
 * separator. Run-time values meet wildcards, classes and other placeholders,
 * but not literal words: `orders:{id}:*` does not reach `orders:stats`, and
 * `orders:stats*` does not reach `orders:{id}:detail`.
 *
 * Both sides become token lists, and "can this pattern reach this key" is the
 * question whether the two languages share a string: a walk over pairs of
 * positions in the two lists.
 */

/** A set of code points: a union of ranges, optionally negated. */
export interface CharSet {
  neg: boolean;
  ranges: [number, number][];
}

/** One character of a set, or zero or more characters of a set (`*` repeats any character). */
export type Token = { t: 'char' | 'rep'; set: CharSet; text: string };

/** A code point beyond Unicode that stands for "a character of a run-time value". */
const RUNTIME = 0x110000;
const MAX_CP = RUNTIME;
const ANY: CharSet = { neg: true, ranges: [] };
/** A placeholder's characters. */
const RUNTIME_CHAR: CharSet = { neg: false, ranges: [[RUNTIME, RUNTIME]] };

export const STAR: Token = { t: 'rep', set: ANY, text: '*' };
/** The argument digest a prefix key gets when the function takes arguments. */
export const ARGS_SUFFIX: Token[] = [
  { t: 'char', set: ANY, text: '…' },
  { t: 'rep', set: ANY, text: '' },
];

function lit(ch: string): Token {
  const cp = ch.codePointAt(0)!;
  return { t: 'char', set: { neg: false, ranges: [[cp, cp]] }, text: ch };
}

function placeholder(name: string): Token[] {
  return [
    { t: 'char', set: RUNTIME_CHAR, text: `{${name}}` },
    { t: 'rep', set: RUNTIME_CHAR, text: '' },
  ];
}

/** Reads `{name}` at `i`; undefined when it is no placeholder. */
function readPlaceholder(cps: string[], i: number): { name: string; next: number } | undefined {
  if (cps[i] !== '{' || cps[i + 1] === '{') return undefined;
  const end = cps.indexOf('}', i + 1);
  if (end < 0) return undefined;
  const name = cps.slice(i + 1, end).join('');
  if (name.includes('{') || name === '') return undefined;
  return { name, next: end + 1 };
}

/**
 * A class after `[`, as Redis reads it: `^` negates, `a-z` is a range (reversed
 * ends are swapped), `\x` is a literal `x`, and a class left open runs to the end.
 */
function readClass(cps: string[], start: number): { set: CharSet; next: number } {
  let i = start;
  const neg = cps[i] === '^';
  if (neg) i++;
  const ranges: [number, number][] = [];
  while (i < cps.length && cps[i] !== ']') {
    if (cps[i] === '\\' && i + 1 < cps.length) {
      const cp = cps[i + 1].codePointAt(0)!;
      ranges.push([cp, cp]);
      i += 2;
    } else if (i + 2 < cps.length && cps[i + 1] === '-') {
      const a = cps[i].codePointAt(0)!;
      const b = cps[i + 2].codePointAt(0)!;
      ranges.push(a <= b ? [a, b] : [b, a]);
      i += 3;
    } else {
      const cp = cps[i].codePointAt(0)!;
      ranges.push([cp, cp]);
      i++;
    }
  }
  // A class may also match a run-time value (`[0-9]*` reaches `{id}`); a negated one already does.
  if (!neg) ranges.push([RUNTIME, RUNTIME]);
  return { set: { neg, ranges }, next: Math.min(i + 1, cps.length) };
}

/** A Redis glob pattern; `{name}` placeholders are filled in at run time. */
export function parsePattern(pattern: string): Token[] {
  const cps = Array.from(pattern);
  const out: Token[] = [];
  let i = 0;
  while (i < cps.length) {
    const c = cps[i];
    if (c === '*') {
      if (out[out.length - 1]?.text !== '*') out.push(STAR);
      i++;
    } else if (c === '?') {
      out.push({ t: 'char', set: ANY, text: '?' });
      i++;
    } else if (c === '[') {
      const cls = readClass(cps, i + 1);
      out.push({ t: 'char', set: cls.set, text: cps.slice(i, cls.next).join('') });
      i = cls.next;
    } else if (c === '\\' && i + 1 < cps.length) {
      out.push(lit(cps[i + 1]));
      i += 2;
    } else {
      const ph = readPlaceholder(cps, i);
      if (ph) {
        out.push(...placeholder(ph.name));
        i = ph.next;
      } else {
        out.push(lit(c));
        i++;
      }
    }
  }
  return out;
}

/** A cache key template: literal text with `{name}` placeholders (`{{`/`}}` are literal braces). */
export function parseKeyTemplate(key: string): Token[] {
  const cps = Array.from(key);
  const out: Token[] = [];
  let i = 0;
  while (i < cps.length) {
    if ((cps[i] === '{' && cps[i + 1] === '{') || (cps[i] === '}' && cps[i + 1] === '}')) {
      out.push(lit(cps[i]));
      i += 2;
      continue;
    }
    const ph = readPlaceholder(cps, i);
    if (ph) {
      out.push(...placeholder(ph.name));
      i = ph.next;
    } else {
      out.push(lit(cps[i]));
      i++;
    }
  }
  return out;
}

/** A literal key as a pattern that matches only itself (placeholders stay placeholders). */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

function inSet(s: CharSet, cp: number): boolean {
  const hit = s.ranges.some(([a, b]) => cp >= a && cp <= b);
  return s.neg ? !hit : hit;
}

/** Whether two sets share a code point. A shared point, if any, lies at a range edge, beside one, or at an end of the code space. */
function setsMeet(a: CharSet, b: CharSet): boolean {
  const x = singlePoint(a);
  if (x !== undefined) return inSet(b, x);
  const y = singlePoint(b);
  if (y !== undefined) return inSet(a, y);
  const candidates = new Set<number>([0, MAX_CP]);
  for (const [x, y] of [...a.ranges, ...b.ranges]) for (const p of [x - 1, x, y, y + 1]) if (p >= 0 && p <= MAX_CP) candidates.add(p);
  for (const p of candidates) if (inSet(a, p) && inSet(b, p)) return true;
  return false;
}

/** The one code point of a set that holds exactly one, else undefined. */
function singlePoint(s: CharSet): number | undefined {
  const [r] = s.ranges;
  return !s.neg && s.ranges.length === 1 && r[0] === r[1] ? r[0] : undefined;
}

/** The code point of a literal token, undefined for anything wider. */
function singleChar(t: Token): number | undefined {
  return t.t === 'char' ? singlePoint(t.set) : undefined;
}

/** How many token-list comparisons ran: a test hook that shows matching stays near-linear. */
export const globStats = { comparisons: 0 };

/** The literal text tokens start with (up to the first wildcard, class or placeholder). */
export function literalPrefix(tokens: readonly Token[]): string {
  let out = '';
  for (const t of tokens) {
    const cp = singleChar(t);
    if (cp === undefined || cp === RUNTIME) break;
    out += String.fromCodePoint(cp);
  }
  return out;
}

/** True when some string is in both token languages. */
export function tokensIntersect(a: readonly Token[], b: readonly Token[]): boolean {
  globStats.comparisons++;
  // Fast path: different leading literals (`booking:` against `catalog:`) never meet.
  for (let k = 0; k < a.length && k < b.length; k++) {
    const x = singleChar(a[k]);
    const y = singleChar(b[k]);
    if (x === undefined || y === undefined) break;
    if (x !== y) return false;
  }
  const m = b.length;
  const seen = new Set<number>([0]);
  const stack: [number, number][] = [[0, 0]];
  const push = (i: number, j: number) => {
    const id = i * (m + 1) + j;
    if (!seen.has(id)) {
      seen.add(id);
      stack.push([i, j]);
    }
  };
  while (stack.length) {
    const [i, j] = stack.pop()!;
    if (i === a.length && j === m) return true;
    const x = a[i];
    const y = b[j];
    // A repeat may match nothing.
    if (x?.t === 'rep') push(i + 1, j);
    if (y?.t === 'rep') push(i, j + 1);
    if (x && y && setsMeet(x.set, y.set)) {
      if (x.t === 'char' && y.t === 'char') push(i + 1, j + 1);
      else if (x.t === 'rep' && y.t === 'char') push(i, j + 1);
      else if (x.t === 'char' && y.t === 'rep') push(i + 1, j);
    }
  }
  return false;
}

/** Redis `KEYS pattern` on one concrete key. */
export function globMatch(pattern: string, key: string): boolean {
  return tokensIntersect(parsePattern(pattern), Array.from(key).map(lit));
}

/** The source text of tokens, for messages: placeholders render as `{name}`. */
export function renderTokens(tokens: readonly Token[]): string {
  return tokens.map((t) => t.text).join('');
}
