import type { DateParts } from './alembic/revisionFile';

/**
 * Alembic's `file_template`: a Python %-format with `%(rev)s`, `%(slug)s`,
 * `%(epoch)s`, `%(year)d`, `%(month).2d` … (after the ini's own `%%`
 * unescaping). Parsed once, then rendered (the expected name) or turned into
 * a pattern that recognises names it could have produced.
 */
export type TemplatePiece = { lit: string } | { key: string; flags: string; width?: number; precision?: number; conv: string };

export const DEFAULT_FILE_TEMPLATE = '%(rev)s_%(slug)s';
export const DEFAULT_TRUNCATE_SLUG = 40;

const DATE_KEYS = ['year', 'month', 'day', 'hour', 'minute', 'second'] as const;
const KNOWN_KEYS = new Set(['rev', 'slug', 'epoch', ...DATE_KEYS]);

const parsed = new Map<string, TemplatePiece[] | Error>();

/** Parsed once per template text, so the patterns compiled for it are reused across runs. */
export function parseTemplate(template: string): TemplatePiece[] | Error {
  let hit = parsed.get(template);
  if (!hit) {
    hit = parseTemplateText(template);
    if (parsed.size > 100) parsed.clear();
    parsed.set(template, hit);
  }
  return hit;
}

function parseTemplateText(template: string): TemplatePiece[] | Error {
  const pieces: TemplatePiece[] = [];
  let lit = '';
  for (let i = 0; i < template.length; i++) {
    if (template[i] !== '%') {
      lit += template[i];
      continue;
    }
    if (template[i + 1] === '%') {
      lit += '%';
      i++;
      continue;
    }
    const m = /^%\(([^)]*)\)([-+ #0]*)(\d+)?(?:\.(\d+))?([diouxXeEfFgGcrsa])/.exec(template.slice(i));
    if (!m) return new Error(`unsupported format at "${template.slice(i, i + 12)}"`);
    if (!KNOWN_KEYS.has(m[1])) return new Error(`unknown template key %(${m[1]})`);
    if (lit) pieces.push({ lit });
    lit = '';
    pieces.push({ key: m[1], flags: m[2], width: m[3] ? Number(m[3]) : undefined, precision: m[4] ? Number(m[4]) : undefined, conv: m[5] });
    i += m[0].length - 1;
  }
  if (lit) pieces.push({ lit });
  return pieces;
}

/**
 * A `.codenav.yaml` naming pattern such as `YYYY_MM_DD_HHMM-<rev>_<slug>.py`
 * as a file template. `MM` right after `HH` is the minute; `mm` is always the minute.
 */
export function patternToTemplate(pattern: string): string {
  let p = pattern.replace(/\.py$/, '');
  let out = '';
  let afterHour = false;
  while (p) {
    const token = /^(YYYY|MM|DD|HH|mm|SS|ss|<rev>|<slug>|<epoch>)/.exec(p)?.[1];
    if (!token) {
      out += p[0] === '%' ? '%%' : p[0];
      p = p.slice(1);
      continue;
    }
    const map: Record<string, string> = {
      YYYY: '%(year)d',
      MM: afterHour ? '%(minute).2d' : '%(month).2d',
      DD: '%(day).2d',
      HH: '%(hour).2d',
      mm: '%(minute).2d',
      SS: '%(second).2d',
      ss: '%(second).2d',
      '<rev>': '%(rev)s',
      '<slug>': '%(slug)s',
      '<epoch>': '%(epoch)s',
    };
    out += map[token];
    afterHour = token === 'HH';
    p = p.slice(token.length);
  }
  return out;
}

/** A per-environment `fileTemplate` from the config: accept the ini's `%%(rev)s` spelling too. */
export function normaliseConfigTemplate(t: string): string {
  return (t.includes('%%(') ? t.replace(/%%/g, '%') : t).replace(/\.py$/, '');
}

/** Alembic's slug: the words of the message, joined by `_`, lower-cased, truncated at a word boundary. */
export function slugOf(message: string, truncate = DEFAULT_TRUNCATE_SLUG): string {
  // For ASCII text `\w` is exactly letters, digits and `_`, and much cheaper than the Unicode classes.
  const words = /^[\x00-\x7f]*$/.test(message) ? message.match(/\w+/g) : message.match(/[\p{L}\p{N}_]+/gu);
  let slug = (words ?? []).join('_').toLowerCase();
  if (slug.length > truncate) {
    const cut = slug.slice(0, truncate);
    const at = cut.lastIndexOf('_');
    slug = (at < 0 ? cut : cut.slice(0, at)) + '_';
  }
  return slug;
}

function formatPiece(p: Exclude<TemplatePiece, { lit: string }>, value: string | number): string {
  let s: string;
  if ('diu'.includes(p.conv)) {
    const n = Math.trunc(Number(value));
    s = String(Math.abs(n));
    if (p.precision !== undefined) s = s.padStart(p.precision, '0');
    if (n < 0) s = '-' + s;
    else if (p.flags.includes('+')) s = '+' + s;
  } else {
    s = String(value);
    if (p.precision !== undefined) s = s.slice(0, p.precision);
  }
  if (p.width !== undefined && s.length < p.width) {
    if (p.flags.includes('-')) s = s.padEnd(p.width, ' ');
    else if (p.flags.includes('0') && 'diu'.includes(p.conv)) s = s.startsWith('-') ? '-' + s.slice(1).padStart(p.width - 1, '0') : s.padStart(p.width, '0');
    else s = s.padStart(p.width, ' ');
  }
  return s;
}

export interface NameValues {
  rev: string;
  slug?: string;
  date?: DateParts;
}

/** The expected file name (with `.py`); undefined parts are shown as `<key>`. */
export function renderName(pieces: TemplatePiece[], v: NameValues): { name: string; complete: boolean } {
  let complete = true;
  const name = pieces
    .map((p) => {
      if ('lit' in p) return p.lit;
      const value = valueOf(p.key, v);
      if (value === undefined) {
        complete = false;
        return `<${p.key}>`;
      }
      return formatPiece(p, value);
    })
    .join('');
  return { name: name + '.py', complete };
}

function valueOf(key: string, v: NameValues): string | number | undefined {
  if (key === 'rev') return v.rev;
  if (key === 'slug') return v.slug;
  if (!v.date) return undefined;
  if (key === 'epoch') {
    const d = v.date;
    return Math.floor(new Date(d.year, d.month - 1, d.day, d.hour, d.minute, d.second).getTime() / 1000);
  }
  return v.date[key as keyof DateParts];
}

export interface NameMatch {
  rev?: string;
  date: Partial<DateParts>;
}

/**
 * Matches a file name (without `.py`) against the template; `rev` fixes the
 * revision part when given. Returns the captured parts, or undefined.
 */
export function matchName(pieces: TemplatePiece[], base: string, rev?: string): NameMatch | undefined {
  // One compiled pattern per template serves every file; a revision-specific one only when the generic capture differs.
  let generic = compiled.get(pieces);
  if (!generic) {
    generic = compile(pieces);
    compiled.set(pieces, generic);
  }
  const hit = capture(generic, base);
  if (rev === undefined || !hit || hit.rev === undefined || hit.rev === rev) return hit;
  // The lazy generic part stopped early (a revision id with "_" in it): try the exact id.
  return base.includes(rev) ? capture(compile(pieces, rev), base) : undefined;
}

const compiled = new WeakMap<TemplatePiece[], { re: RegExp; keys: string[] }>();

function compile(pieces: TemplatePiece[], rev?: string): { re: RegExp; keys: string[] } {
  const keys: string[] = [];
  const source = pieces
    .map((p) => {
      if ('lit' in p) return escapeRe(p.lit);
      keys.push(p.key);
      if (p.key === 'rev') return rev !== undefined ? `(${escapeRe(rev)})` : '(.+?)';
      if (p.key === 'slug') return '([\\p{L}\\p{N}_]*?)';
      const pad = p.width !== undefined && !p.flags.includes('0') && !p.flags.includes('-') ? ' *' : '';
      if ('diu'.includes(p.conv)) {
        const digits = p.precision ?? (p.flags.includes('0') ? p.width : undefined);
        const fixed = digits !== undefined && p.key !== 'year' && p.key !== 'epoch' && digits === 2;
        return `${pad}(${fixed ? '\\d{2}' : '-?\\d+'})`;
      }
      return `${pad}(.+?)`;
    })
    .join('');
  return { re: new RegExp(`^${source}$`, 'u'), keys };
}

function capture({ re, keys }: { re: RegExp; keys: string[] }, base: string): NameMatch | undefined {
  const m = re.exec(base);
  if (!m) return undefined;
  const out: NameMatch = { date: {} };
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (k === 'rev') out.rev = m[i + 1];
    // Every other key of a parsed template (see KNOWN_KEYS) is a date part.
    else if (k !== 'slug' && k !== 'epoch') out.date[k as keyof DateParts] = Number(m[i + 1]);
  }
  return out;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Date fields of the name that disagree with the Create Date. */
export function dateDifferences(found: Partial<DateParts>, date: DateParts): string[] {
  const out: string[] = [];
  for (let i = 0; i < DATE_KEYS.length; i++) {
    const k = DATE_KEYS[i];
    if (found[k] !== undefined && found[k] !== date[k]) out.push(`${k} ${found[k]} ≠ ${date[k]}`);
  }
  return out;
}
