import type { Range } from '../../findings';
import { FILE_START } from '../../findings';
import { evaluate, externalRefs, resolveExternal, stringsOf, type ExternalLookup, type Resolved } from '../values';
import { isPlainValue, legacyId, type FieldAssignment, type RevisionSource } from './revisionFile';

export interface IdRef {
  id: string;
  range: Range;
}

/** A list-valued field (`down_revision`, `depends_on`, `branch_labels`) after evaluation. */
export interface RefField {
  items: IdRef[];
  /** None, empty string or empty sequence. */
  empty: boolean;
  /** The assignment statement, when the field is assigned. */
  range?: Range;
  /** Parts that could not be known statically. */
  unknown: { text: string; range: Range }[];
}

/** A revision as Alembic would load it. */
export interface Revision {
  id: string;
  file: string;
  /** Where `revision = …` is written (the file start for a legacy file). */
  idRange: Range;
  idFromFilename: boolean;
  down: RefField;
  dependsOn: RefField;
  labels: RefField;
  source: RevisionSource;
}

export interface Unresolved {
  file: string;
  field: string;
  text: string;
  range: Range;
}

const EMPTY: RefField = { items: [], empty: true, unknown: [] };

/** True when evaluating the file needs names from elsewhere. */
export function needsLookup(src: RevisionSource): boolean {
  return Object.values(src.fields).some((f) => f && !isPlainValue(f.value) && externalRefs(f.value, src.outline).size > 0);
}

/** Looks up the names the file's fields take from other modules. */
export function resolveFields(src: RevisionSource, external: ExternalLookup): Promise<Resolved> {
  const exprs = Object.values(src.fields).map((f) => f!.value);
  return exprs.length ? resolveExternal(exprs, src.outline, external) : Promise.resolve(() => undefined);
}

/**
 * Evaluates the four fields. Returns undefined (with `unresolved` filled)
 * when the id itself cannot be known.
 */
export function toRevision(src: RevisionSource, resolved: Resolved | undefined, unresolved: Unresolved[]): Revision | undefined {
  if (src.unreadable?.fatal) return undefined;
  const scope = src.outline;
  const field = (name: 'down_revision' | 'depends_on' | 'branch_labels', f: FieldAssignment | undefined): RefField => {
    if (!f) return EMPTY;
    const plain = plainRefField(f);
    if (plain) return plain;
    const s = stringsOf(evaluate(f.value, scope, resolved));
    for (const u of s.unknown) unresolved.push({ file: src.file, field: name, text: u.text, range: u.range });
    return { items: s.items, empty: s.empty && s.unknown.length === 0, range: f.range, unknown: s.unknown };
  };
  let id: string | undefined;
  let idRange = FILE_START;
  let idFromFilename = false;
  if (src.fields.revision) {
    const v = evaluate(src.fields.revision.value, scope, resolved);
    idRange = src.fields.revision.range;
    if (v.t === 'str' && v.v) id = v.v;
    else {
      unresolved.push({ file: src.file, field: 'revision', text: v.t === 'unknown' ? v.text : v.t === 'none' ? 'None' : 'a sequence', range: v.t === 'unknown' ? v.range : idRange });
      return undefined;
    }
  } else {
    id = legacyId(src.file);
    idFromFilename = true;
  }
  if (!id) return undefined;
  return {
    id,
    file: src.file,
    idRange,
    idFromFilename,
    down: field('down_revision', src.fields.down_revision),
    dependsOn: field('depends_on', src.fields.depends_on),
    labels: field('branch_labels', src.fields.branch_labels),
    source: src,
  };
}

/** `None` or a plain string, the values nearly every field holds, straight to what evaluating them gives. */
function plainRefField(f: FieldAssignment): RefField | undefined {
  const e = f.value;
  if (e.kind === 'none') return { items: [], empty: true, range: f.range, unknown: [] };
  if (e.kind !== 'str' || e.template) return undefined;
  return { items: e.value ? [{ id: e.value, range: e.range }] : [], empty: !e.value, range: f.range, unknown: [] };
}
