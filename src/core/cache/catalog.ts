import { Delegation } from './delegation';
import { invalidatesSomething, type LinkedUnit } from './link';
import type { FileLink } from './memo';
import type { Indexes } from './outputs';
import { KeyIndex, WriterIndex } from './reach';
import type { RuleContext } from './rules';

/** Methods a file's non-invalidating writes call, and entities its writes touch. */
function reachOf(units: readonly LinkedUnit[]): { calls: Set<string>; entities: Set<string> } {
  const out = { calls: new Set<string>(), entities: new Set<string>() };
  for (const u of units)
    for (const w of u.writes) {
      for (const e of w.entities) out.entities.add(e);
      if (!invalidatesSomething(w)) for (const c of u.fns.get(w.name)?.memberCalls ?? []) out.calls.add(c.method);
    }
  return out;
}

function file<K>(map: Map<K, Set<string>>, key: K, path: string, add: boolean): void {
  const set = map.get(key);
  if (add) {
    if (set) set.add(path);
    else map.set(key, new Set([path]));
  } else if (set) {
    set.delete(path);
    if (!set.size) map.delete(key);
  }
}

/**
 * The workspace-wide indexes, kept between runs: a file's entries are
 * replaced when its resolved units change.
 */
export class Catalog {
  private readonly rank = new Map<string, number>();
  readonly keys = new KeyIndex(this.rank);
  readonly writers = new WriterIndex(this.rank);
  readonly delegation = new Delegation(this.rank);
  private readonly links = new Map<string, FileLink>();
  private readonly callers = new Map<string, Set<string>>();
  private readonly entityWriters = new Map<string, Set<string>>();
  private order: readonly string[] = [];

  /** Whether the files shared with `order` come in the same relative order (else the catalog must be rebuilt). */
  fits(order: readonly string[]): boolean {
    if (order === this.order) return true;
    const common = order.filter((f) => this.links.has(f));
    let at = 0;
    for (const f of this.order) if (at < common.length && f === common[at]) at++;
    return at === common.length;
  }

  /** Brings the indexes to these files, in this order; `touched` (when given) holds every file whose link may differ from the catalog's. */
  update(order: readonly string[], links: ReadonlyMap<string, FileLink>, touched?: Iterable<string>): void {
    if (order !== this.order) {
      this.rank.clear();
      order.forEach((f, i) => this.rank.set(f, i));
      this.order = order;
    }
    for (const f of touched ?? new Set([...this.links.keys(), ...links.keys()])) {
      const was = this.links.get(f);
      const is = links.get(f);
      if (was === is) continue;
      if (was) this.remove(f, was);
      if (is) this.add(f, is);
    }
  }

  private add(f: string, link: FileLink): void {
    this.keys.add(f, link.units);
    this.writers.add(f, link.units);
    this.delegation.add(f, link.units);
    const r = reachOf(link.units);
    for (const m of r.calls) file(this.callers, m, f, true);
    for (const e of r.entities) file(this.entityWriters, e, f, true);
    this.links.set(f, link);
  }

  private remove(f: string, link: FileLink): void {
    this.keys.remove(f);
    this.writers.remove(f);
    this.delegation.remove(f);
    const r = reachOf(link.units);
    for (const m of r.calls) file(this.callers, m, f, false);
    for (const e of r.entities) file(this.entityWriters, e, f, false);
    this.links.delete(f);
  }

  /** Files with a non-invalidating write that calls a method of this name. */
  callersOf(method: string): ReadonlySet<string> {
    return this.callers.get(method) ?? new Set();
  }

  /** Files with a write that touches this entity. */
  writersOf(entity: string): ReadonlySet<string> {
    return this.entityWriters.get(entity) ?? new Set();
  }

  /** The indexes for one run, with what the rules need besides. */
  context(rules: Omit<RuleContext, 'keys' | 'byEntity' | 'somePatterns'>, patterns: string[]): Indexes & { catalog: Catalog } {
    return { catalog: this, keys: this.keys, writers: this.writers, delegation: this.delegation, rules: { ...rules, keys: this.keys, byEntity: (e) => this.keys.byEntity(e), somePatterns: () => patterns } };
  }
}

/** The first five distinct patterns of the workspace's writes, in workspace order. */
export function somePatterns(order: readonly string[], links: ReadonlyMap<string, FileLink>): string[] {
  const out = new Set<string>();
  for (const f of order)
    for (const u of links.get(f)!.units)
      for (const w of u.writes)
        for (const p of w.invalidates) {
          out.add(p);
          if (out.size === 5) return [...out];
        }
  return [...out];
}
