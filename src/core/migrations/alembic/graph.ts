import { cycles, latestCommonAncestors } from '../graphAlgo';
import type { IdRef, Revision } from './revision';

export interface Dangling {
  rev: Revision;
  field: 'down_revision' | 'depends_on';
  ref: IdRef;
}

export interface LabelConflict {
  label: string;
  /** The revision that declares the label a second time. */
  rev: Revision;
  /** The revision that already owns the name (as a label or as its id). */
  owner: Revision;
  ownerKind: 'label' | 'id';
}

/**
 * A revision graph with Alembic's semantics (`RevisionMap`): heads are
 * revisions no other revision names in `down_revision` (directly or through
 * a branch label); `depends_on` never makes a head; bases have an empty
 * `down_revision`.
 */
export interface RevisionGraph {
  /** One revision per id, the first file in path order. */
  byId: Map<string, Revision>;
  /** Ids declared by more than one file: every file, in path order. */
  duplicates: Map<string, Revision[]>;
  labels: Map<string, Revision>;
  labelConflicts: LabelConflict[];
  /** Resolved `down_revision` parents, by id. */
  parents: Map<string, string[]>;
  /** Resolved `depends_on` targets, by id. */
  dependencies: Map<string, string[]>;
  children: Map<string, string[]>;
  dangling: Dangling[];
  heads: string[];
  bases: string[];
  merges: string[];
  branchPoints: string[];
  /** Cycles over down_revision and depends_on edges. */
  cycles: string[][];
  /** Branch labels each revision carries (its own and its ancestors'). */
  carried: Map<string, string[]>;
}

/** Builds the graph; `revisions` must be in file path order. */
export function buildGraph(revisions: readonly Revision[]): RevisionGraph {
  const byId = new Map<string, Revision>();
  const duplicates = new Map<string, Revision[]>();
  for (const r of revisions) {
    const first = byId.get(r.id);
    if (!first) byId.set(r.id, r);
    else duplicates.set(r.id, [...(duplicates.get(r.id) ?? [first]), r]);
  }
  const labels = new Map<string, Revision>();
  const labelConflicts: LabelConflict[] = [];
  for (const r of byId.values()) {
    for (const l of r.labels.items) {
      const owner = labels.get(l.id) ?? byId.get(l.id);
      if (owner && owner !== r) labelConflicts.push({ label: l.id, rev: r, owner, ownerKind: labels.has(l.id) ? 'label' : 'id' });
      else labels.set(l.id, r);
    }
  }
  const resolve = (name: string): Revision | undefined => byId.get(name) ?? labels.get(name);
  const ids = [...byId.keys()];
  const parents = new Map<string, string[]>();
  const dependencies = new Map<string, string[]>();
  const children = new Map<string, string[]>();
  for (const id of ids) children.set(id, []);
  const dangling: Dangling[] = [];
  const referenced = new Set<string>();
  for (const r of byId.values()) {
    const ps: string[] = [];
    for (const ref of r.down.items) {
      const target = resolve(ref.id);
      if (!target) dangling.push({ rev: r, field: 'down_revision', ref });
      else if (!ps.includes(target.id)) {
        ps.push(target.id);
        referenced.add(target.id);
        children.get(target.id)!.push(r.id);
      }
    }
    parents.set(r.id, ps);
    const ds: string[] = [];
    for (const ref of r.dependsOn.items) {
      const target = resolve(ref.id);
      if (!target) dangling.push({ rev: r, field: 'depends_on', ref });
      else if (!ds.includes(target.id)) ds.push(target.id);
    }
    dependencies.set(r.id, ds);
  }
  const all = new Map<string, readonly string[]>();
  for (const id of ids) {
    const ds = dependencies.get(id)!;
    all.set(id, ds.length ? [...parents.get(id)!, ...ds] : parents.get(id)!);
  }
  return {
    byId,
    duplicates,
    labels,
    labelConflicts,
    parents,
    dependencies,
    children,
    dangling,
    heads: ids.filter((id) => !referenced.has(id)),
    bases: ids.filter((id) => byId.get(id)!.down.empty),
    merges: ids.filter((id) => byId.get(id)!.down.items.length > 1),
    branchPoints: ids.filter((id) => children.get(id)!.length > 1),
    cycles: cycles(ids, all),
    carried: carriedLabels(byId, children),
  };
}

/** Alembic propagates a branch label to every descendant of the labelled revision. */
function carriedLabels(byId: Map<string, Revision>, children: Map<string, string[]>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of byId.values()) {
    if (!r.labels.items.length) continue;
    const own = r.labels.items.map((l) => l.id);
    const seen = new Set<string>([r.id]);
    const todo = [r.id];
    while (todo.length) {
      const id = todo.pop()!;
      const list = out.get(id) ?? [];
      for (const l of own) if (!list.includes(l)) list.push(l);
      out.set(id, list);
      for (const c of children.get(id) ?? []) {
        if (!seen.has(c)) {
          seen.add(c);
          todo.push(c);
        }
      }
    }
  }
  return out;
}

/** Where the given heads diverged: their latest common ancestors over down_revision. */
export function divergence(g: RevisionGraph, heads: readonly string[]): string[] {
  return latestCommonAncestors(heads, g.parents);
}
