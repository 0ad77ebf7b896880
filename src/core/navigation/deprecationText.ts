import type { Severity } from '../findings';

/** A marker in docstrings and comments: `DEPRECATED`, `.. deprecated::`, a leading `Deprecated:`. */
export const DEFAULT_DEPRECATED_PATTERN = String.raw`\bDEPRECATED\b|^\s*\.\.\s+deprecated::|^\s*Deprecated\b`;

/** The configured pattern, or the default when it is missing or not a valid regular expression. */
export function deprecatedPattern(source: string | undefined): { re: RegExp; error?: string } {
  if (source) {
    try {
      return { re: new RegExp(source, 'm') };
    } catch (err) {
      return { re: new RegExp(DEFAULT_DEPRECATED_PATTERN, 'm'), error: `services.deprecatedPattern is not a valid regular expression: ${(err as Error).message}` };
    }
  }
  return { re: new RegExp(DEFAULT_DEPRECATED_PATTERN, 'm') };
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * The reason when `text` carries the marker: the paragraph holding it, with the
 * marker itself taken out. `''` when the marker stands alone; undefined when absent.
 */
export function deprecationReason(text: string | undefined, re: RegExp): string | undefined {
  if (!text) return undefined;
  const m = re.exec(text);
  if (!m) return undefined;
  const before = text.lastIndexOf('\n\n', m.index);
  const afterMatch = m.index + m[0].length;
  const next = text.slice(afterMatch).search(/\n\s*\n/);
  const end = next < 0 ? text.length : afterMatch + next;
  const head = collapse(text.slice(before < 0 ? 0 : before, m.index));
  const tail = collapse(text.slice(afterMatch, end).replace(/^\s*[:.\-\u2014\u2013]*\s*/, ''));
  return collapse([head, tail].filter(Boolean).join(' '));
}

const REPLACEMENT_PATTERNS: RegExp[] = [
  /\buse\s+([`'"]*)([\w./:-]+)\1/gi,
  /\breplaced\s+(?:by|with)\s+([`'"]*)([\w./:-]+)\1/gi,
  /\bin\s+favou?r\s+of\s+([`'"]*)([\w./:-]+)\1/gi,
  /\bsuperseded\s+by\s+([`'"]*)([\w./:-]+)\1/gi,
  /\bmoved\s+to\s+([`'"]*)([\w./:-]+)\1/gi,
  /\bprefer\s+([`'"]*)([\w./:-]+)\1/gi,
  /\bswitch\s+to\s+([`'"]*)([\w./:-]+)\1/gi,
  /\bmigrate\s+to\s+([`'"]*)([\w./:-]+)\1/gi,
];

const NOT_NAMES = new Set(['the', 'a', 'an', 'this', 'that', 'it', 'of', 'in', 'instead', 'new', 'its', 'their']);

/** Names a text offers as the replacement, in the order written ("use money_service instead"). */
export function replacementCandidates(text: string | null | undefined): string[] {
  if (!text) return [];
  const hits: { at: number; name: string }[] = [];
  for (const re of REPLACEMENT_PATTERNS) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const name = m[2].replace(/[.:,;]+$/, '').replace(/\(\)$/, '');
      if (name && !NOT_NAMES.has(name.toLowerCase()) && /[\w]/.test(name)) hits.push({ at: m.index, name });
    }
  }
  hits.sort((a, b) => a.at - b.at);
  return [...new Set(hits.map((h) => h.name))];
}

const DAY_MS = 86_400_000;

/**
 * `deprecated/usage` severity: `warning` without a removal date; `info` while
 * the date is more than 90 days away, `warning` inside 90 days, `error` inside
 * 14 days and after it has passed.
 */
export function usageSeverity(removeBy: string | null | undefined, now: Date): Severity {
  if (!removeBy) return 'warning';
  const due = Date.parse(removeBy + 'T00:00:00Z');
  if (Number.isNaN(due)) return 'warning';
  const days = (due - now.getTime()) / DAY_MS;
  if (days <= 14) return 'error';
  if (days <= 90) return 'warning';
  return 'info';
}

export function removalNote(removeBy: string | null | undefined, now: Date): string {
  if (!removeBy) return '';
  const due = Date.parse(removeBy + 'T00:00:00Z');
  if (Number.isNaN(due)) return '';
  return due < now.getTime() ? ` (removal was due ${removeBy})` : ` (to be removed by ${removeBy})`;
}
