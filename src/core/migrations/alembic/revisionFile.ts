import type { Range } from '../../findings';
import { FILE_START } from '../../findings';
import type { Expr } from '../../parsing/expr';
import type { Assignment } from '../../parsing/facts';
import type { ModuleOutline } from '../pyreader/outline';

/** What the docstring of a revision says (never used for edges). */
export interface RevisionDoc {
  message?: string;
  revisionId?: string;
  revises?: string[];
  createDate?: string;
  /** 0-based line of the `Create Date:` line. */
  createDateLine?: number;
}

/** One field assignment of a revision file, unevaluated: the module's assignment statement itself (`range` is the whole statement). */
export type FieldAssignment = Assignment & { value: Expr };

export interface FunctionInfo {
  range: Range;
  nameRange: Range;
  emptyBody: boolean;
}

/**
 * A revision file as written: the four fields (expressions, evaluated later
 * because constants may live in other modules), docstring, functions.
 * Depends on the file's content and name only, so it is memoised by hash.
 */
export interface RevisionSource {
  file: string;
  fields: Partial<Record<'revision' | 'down_revision' | 'branch_labels' | 'depends_on', FieldAssignment>>;
  doc: RevisionDoc;
  upgrade?: FunctionInfo;
  downgrade?: FunctionInfo;
  outline: ModuleOutline;
  /** Why Alembic could not load the file; `fatal` when no revision can be taken from it at all. */
  unreadable?: { message: string; range: Range; fatal: boolean };
}

const FIELDS = ['revision', 'down_revision', 'branch_labels', 'depends_on'] as const;

/** The statements a revision file's reading needs: those that mention one of the four fields. */
export const FIELD_MENTION = /\b(?:revision|down_revision|branch_labels|depends_on)\b/;

/** Whether an expression is a plain value (strings, numbers, None, tuples and lists of them): no name to look up. */
export function isPlainValue(e: Expr): boolean {
  if (e.kind === 'seq') return e.items.every(isPlainValue);
  return e.kind === 'none' || e.kind === 'num' || e.kind === 'bool' || (e.kind === 'str' && !e.template);
}

/**
 * Whether every assigned field holds a plain value. For the fields of a focused
 * outline (one that skipped the statements not mentioning a field), whether that
 * reading is complete: no skipped constant or import can matter.
 */
export function plainFields(fields: RevisionSource['fields']): boolean {
  for (let i = 0; i < FIELDS.length; i++) {
    const f = fields[FIELDS[i]];
    if (f && !isPlainValue(f.value)) return false;
  }
  return true;
}

/**
 * The last assignment with a value to each field (a later one replaces an
 * earlier one), found in one pass from the end; the fields are listed in
 * FIELDS order, whatever order the file assigns them in.
 */
function fieldAssignments(outline: ModuleOutline): RevisionSource['fields'] {
  const found: (Assignment | undefined)[] = [undefined, undefined, undefined, undefined];
  let missing = FIELDS.length;
  const all = outline.assignments;
  for (let i = all.length - 1; i >= 0 && missing > 0; i--) {
    const a: Assignment = all[i];
    if (!a.value) continue;
    for (let j = 0; j < a.targets.length; j++) {
      const k = (FIELDS as readonly string[]).indexOf(a.targets[j]);
      if (k >= 0 && !found[k]) {
        found[k] = a;
        missing--;
      }
    }
  }
  const fields: RevisionSource['fields'] = {};
  for (let k = 0; k < FIELDS.length; k++) {
    const a = found[k];
    if (a) fields[FIELDS[k]] = a as FieldAssignment;
  }
  return fields;
}

export function readRevisionSource(file: string, outline: ModuleOutline): RevisionSource {
  const fields = fieldAssignments(outline);
  const src: RevisionSource = { file, fields, doc: parseDoc(outline.docstring), upgrade: lastFunction(outline, 'upgrade'), downgrade: lastFunction(outline, 'downgrade'), outline };
  const firstError = outline.errors[0];
  if (!fields.revision && !legacyId(file)) {
    src.unreadable = { message: 'no `revision = "…"` assignment, and the file name is not a bare hex id: Alembic cannot determine the revision id', range: FILE_START, fatal: true };
  } else if (!fields.down_revision) {
    src.unreadable = { message: 'no `down_revision` assignment: Alembic fails to load this file (AttributeError)', range: fields.revision?.range ?? FILE_START, fatal: true };
  }
  if (firstError) {
    const message = `syntax error at line ${firstError.start.line + 1}: Alembic cannot import this file`;
    src.unreadable = { message: src.unreadable ? `${message}; ${src.unreadable.message}` : message, range: firstError, fatal: !!src.unreadable };
  }
  return src;
}

/** The last module-level function of that name (a later `def` replaces an earlier one). */
function lastFunction(outline: ModuleOutline, name: string): FunctionInfo | undefined {
  for (let i = outline.functions.length - 1; i >= 0; i--) {
    const f = outline.functions[i];
    if (f.name === name) return f;
  }
  return undefined;
}

/** Alembic's legacy rule: a file named `<hex>.py` without `revision` takes its id from the name. */
export function legacyId(file: string): string | undefined {
  const base = file.slice(file.lastIndexOf('/') + 1);
  return /^([a-f0-9]+)\.py$/.exec(base)?.[1];
}

const DOC_FIELD = /^\s*(Revision ID|Revises|Create Date)\s*:\s*(.*?)\s*$/;
/** DOC_FIELD over a whole text without `\r`, U+2028 or U+2029: `\n` alone ends lines, and `[^\S\n]` is `\s` within one. */
const DOC_FIELDS = /^[^\S\n]*(Revision ID|Revises|Create Date)[^\S\n]*:[^\S\n]*(.*?)[^\S\n]*$/gm;
const OTHER_LINE_ENDS = /[\r\u2028\u2029]/;

export function parseDoc(doc: ModuleOutline['docstring']): RevisionDoc {
  if (!doc) return {};
  const text = doc.value;
  if (OTHER_LINE_ENDS.test(text)) return parseDocByLines(doc);
  // One native search for the three fields (the last of each wins) instead of a look at every line.
  const out: RevisionDoc = {};
  const firstEnd = text.indexOf('\n');
  const first = (firstEnd < 0 ? text : text.slice(0, firstEnd)).trim();
  if (first) out.message = first;
  DOC_FIELDS.lastIndex = 0;
  let createDateAt = -1;
  for (let m = DOC_FIELDS.exec(text); m; m = DOC_FIELDS.exec(text)) {
    if (m[1] === 'Revision ID') out.revisionId = m[2] || undefined;
    else if (m[1] === 'Revises') out.revises = m[2].split(/\s*,\s*/).filter(Boolean);
    else {
      out.createDate = m[2] || undefined;
      createDateAt = m.index;
    }
  }
  if (createDateAt >= 0) {
    let line = 0;
    for (let nl = text.indexOf('\n'); nl >= 0 && nl < createDateAt; nl = text.indexOf('\n', nl + 1)) line++;
    out.createDateLine = doc.line + line;
  }
  return out;
}

/** `parseDoc` line by line, for docstrings with a `\r` (CRLF or alone), U+2028 or U+2029. */
export function parseDocByLines(doc: NonNullable<ModuleOutline['docstring']>): RevisionDoc {
  const text = doc.value;
  const out: RevisionDoc = {};
  // Line by line (`\n` or `\r\n`); only lines with a colon can hold a field.
  for (let from = 0, i = 0; from <= text.length; i++) {
    const nl = text.indexOf('\n', from);
    const to = nl < 0 ? text.length : nl;
    const line = text.slice(from, nl > from && text.charCodeAt(nl - 1) === 13 ? nl - 1 : to);
    if (i === 0 && line.trim()) out.message = line.trim();
    const m = line.includes(':') ? DOC_FIELD.exec(line) : null;
    if (m) {
      if (m[1] === 'Revision ID') out.revisionId = m[2] || undefined;
      else if (m[1] === 'Revises') out.revises = m[2].split(/\s*,\s*/).filter(Boolean);
      else {
        out.createDate = m[2] || undefined;
        out.createDateLine = doc.line + i;
      }
    }
    from = to + 1;
  }
  return out;
}

/** Date parts of a `Create Date` (`2025-01-14 09:30:12.418273`, optionally with a zone). */
export interface DateParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function parseCreateDate(s: string | undefined): DateParts | undefined {
  const m = s && /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?/.exec(s);
  if (!m) return undefined;
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: Number(m[4]), minute: Number(m[5]), second: Number(m[6] ?? 0) };
}
