import { sortFindings, type Finding } from '../findings';
import { Delegation } from './delegation';
import { invalidatesSomething } from './link';
import type { FileLink } from './memo';
import type { CacheServiceSummary } from './model';
import { fileResult, type FileResult, type Workspace } from './outputs';
import { KeyIndex, WriterIndex } from './reach';
import type { RuleContext } from './rules';
import { keyEntity } from './settings';

/** What one run produced, for the next run to reuse. */
export interface Snapshot {
  /** Files with cache facts, in the order the analysis visits them. */
  order: string[];
  links: Map<string, FileLink>;
  results: Map<string, FileResult>;
  somePatterns: string[];
  keyed: boolean;
}

/** Per link: methods its non-invalidating writes call, and entities its writes touch (for the files a change may affect). */
const reachOut = new WeakMap<FileLink, { calls: Set<string>; entities: Set<string> }>();

function reachOf(link: FileLink): { calls: Set<string>; entities: Set<string> } {
  let r = reachOut.get(link);
  if (!r) {
    r = { calls: new Set(), entities: new Set() };
    for (const u of link.units)
      for (const w of u.writes) {
        for (const e of w.entities) r.entities.add(e);
        if (!invalidatesSomething(w)) for (const c of u.fns.get(w.name)?.memberCalls ?? []) r.calls.add(c.method);
      }
    reachOut.set(link, r);
  }
  return r;
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

/**
 * The workspace-wide indexes, kept between runs: a file's entries are
 * replaced when its resolved units change.
 */
export class Catalog {
  private readonly rank = new Map<string, number>();
  readonly keys = new KeyIndex(this.rank);
  readonly writers = new WriterIndex(this.rank);
  readonly delegation = new Delegation(this.rank);
  private links = new Map<string, FileLink>();
  private order: readonly string[] = [];

  /** Whether the files shared with `order` come in the same relative order (else the catalog must be rebuilt). */
  fits(order: readonly string[]): boolean {
    const common = order.filter((f) => this.links.has(f));
    let at = 0;
    for (const f of this.order) if (at < common.length && f === common[at]) at++;
    return at === common.length;
  }

  /** Brings the indexes to these files, in this order. */
  update(order: readonly string[], links: ReadonlyMap<string, FileLink>): void {
    if (order.length !== this.order.length || order.some((f, i) => this.order[i] !== f)) {
      this.rank.clear();
      order.forEach((f, i) => this.rank.set(f, i));
      this.order = order;
    }
    for (const [file, link] of this.links) {
      if (links.get(file) === link) continue;
      this.keys.remove(file);
      this.writers.remove(file);
      this.delegation.remove(file);
      this.links.delete(file);
    }
    for (const [file, link] of links) {
      if (this.links.get(file) === link) continue;
      this.keys.add(file, link.units);
      this.writers.add(file, link.units);
      this.delegation.add(file, link.units);
      this.links.set(file, link);
    }
  }

  context(rules: Omit<RuleContext, 'keys' | 'byEntity' | 'somePatterns'>, patterns: string[]): Workspace {
    return { keys: this.keys, writers: this.writers, delegation: this.delegation, rules: { ...rules, keys: this.keys, byEntity: (e) => this.keys.byEntity(e), somePatterns: () => patterns } };
  }
}

/**
 * Files whose results may differ from the last run: those whose units changed,
 * and those linked to them — a pattern that may reach a changed key or a key a
 * changed pattern may reach, a call to a changed invalidating write, a write of
 * an entity a changed read caches. Undefined when everything must be redone.
 */
export function affected(prev: Snapshot | undefined, cur: Omit<Snapshot, 'results'>, ws: Workspace): Set<string> | undefined {
  if (!prev || prev.keyed !== cur.keyed || prev.somePatterns.join('\0') !== cur.somePatterns.join('\0')) return undefined;
  const out = new Set<string>();
  const names = new Set<string>();
  const entities = new Set<string>();
  const visit = (link: FileLink | undefined) => {
    for (const u of link?.units ?? []) {
      for (const r of u.reads) {
        for (const f of ws.writers.filesNear(r)) out.add(f);
        const e = r.key ? keyEntity(r.key) : undefined;
        if (e) entities.add(e);
      }
      for (const w of u.writes) {
        for (const inv of w.invalidations) if (!inv.dynamic && !inv.store) for (const x of ws.keys.related(inv.pattern)) out.add(x.file);
        if (w.kind === 'write' && invalidatesSomething(w)) names.add(w.name);
      }
    }
  };
  const changed = (file: string, was: FileLink | undefined, is: FileLink | undefined) => {
    out.add(file);
    visit(was);
    visit(is);
  };
  for (const [file, is] of cur.links) if (prev.links.get(file) !== is) changed(file, prev.links.get(file), is);
  for (const [file, was] of prev.links) if (!cur.links.has(file)) changed(file, was, undefined);
  if (names.size || entities.size) {
    for (const link of cur.links.values()) {
      const r = reachOf(link);
      if ([...names].some((n) => r.calls.has(n)) || [...entities].some((e) => r.entities.has(e))) out.add(link.file);
    }
  }
  return out;
}

/** Results per file: the last run's where nothing they depend on changed, fresh ones elsewhere. */
export function fileResults(prev: Snapshot | undefined, cur: Omit<Snapshot, 'results'>, ws: Workspace, signal: () => void): Map<string, FileResult> {
  const redo = affected(prev, cur, ws);
  const out = new Map<string, FileResult>();
  for (const file of cur.order) {
    signal();
    const link = cur.links.get(file)!;
    const old = redo && !redo.has(file) && prev?.links.get(file) === link ? prev.results.get(file) : undefined;
    out.set(file, old ?? fileResult(ws, link.units));
  }
  return out;
}

/** Findings and services of all files in result order: by file (as `localeCompare` orders paths), then as each file sorts them. */
export function assemble(results: Map<string, FileResult>, order: readonly string[], byName: { sorted: readonly string[]; ties: boolean }): { findings: Finding[]; services: CacheServiceSummary[] } {
  if (byName.ties) {
    // Two paths `localeCompare` calls equal: sort everything at once, in the order the rules ran.
    const emitted = [0, 1, 2].flatMap((i) => order.flatMap((f) => results.get(f)!.emitted[i]));
    const services = order.flatMap((f) => results.get(f)!.services).sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
    return { findings: sortFindings(emitted), services };
  }
  const findings: Finding[] = [];
  const services: CacheServiceSummary[] = [];
  for (const f of byName.sorted) {
    const r = results.get(f)!;
    r.sorted ??= sortFindings(r.emitted.flat());
    for (const x of r.sorted) findings.push(x);
    for (const s of r.services) services.push(s);
  }
  return { findings, services };
}
