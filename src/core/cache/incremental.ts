import { sortFindings, type Finding } from '../findings';
import type { Catalog } from './catalog';
import { invalidatesSomething } from './link';
import type { FileLink } from './memo';
import type { CacheServiceSummary } from './model';
import { fileResult, type FileResult, type Indexes } from './outputs';
import { keyEntity } from './settings';

/** What one run produced, for the next run to reuse. */
export interface Snapshot {
  /** Files with cache facts, in the order the analysis visits them. */
  order: readonly string[];
  links: Map<string, FileLink>;
  results: Map<string, FileResult>;
  somePatterns: string[];
  keyed: boolean;
}

/**
 * Files whose results may differ from the last run's: those whose units
 * changed (`changed`), and those linked to them — a pattern that may reach a
 * changed key or a key a changed pattern may reach, a call to a changed
 * invalidating write, a write of an entity a changed read caches.
 */
function affected(prev: Snapshot, cur: Omit<Snapshot, 'results'>, changed: Iterable<string>, catalog: Catalog): Set<string> {
  const out = new Set<string>();
  const visit = (link: FileLink | undefined) => {
    for (const u of link?.units ?? []) {
      for (const r of u.reads) {
        for (const f of catalog.writers.filesNear(r)) out.add(f);
        const e = r.key ? keyEntity(r.key) : undefined;
        if (e) for (const f of catalog.writersOf(e)) out.add(f);
      }
      for (const w of u.writes) {
        for (const inv of w.invalidations) if (!inv.dynamic && !inv.store) for (const x of catalog.keys.related(inv.pattern)) out.add(x.file);
        if (w.kind === 'write' && invalidatesSomething(w)) for (const f of catalog.callersOf(w.name)) out.add(f);
      }
    }
  };
  for (const file of changed) {
    const was = prev.links.get(file);
    const is = cur.links.get(file);
    if (was === is) continue;
    out.add(file);
    visit(was);
    visit(is);
  }
  return out;
}

/**
 * Results per file: the last run's where nothing they depend on changed,
 * fresh ones elsewhere. `changed` holds every file whose link may differ from
 * the last run's (all of them when undefined).
 */
export function fileResults(prev: Snapshot | undefined, cur: Omit<Snapshot, 'results'>, ix: Indexes & { catalog: Catalog }, changed: Iterable<string> | undefined, signal: () => void): Map<string, FileResult> {
  const global = !prev || prev.keyed !== cur.keyed || prev.somePatterns.join('\0') !== cur.somePatterns.join('\0');
  if (global) {
    const out = new Map<string, FileResult>();
    for (const file of cur.order) {
      signal();
      out.set(file, fileResult(ix, cur.links.get(file)!.units));
    }
    return out;
  }
  const touched = changed ?? new Set([...prev.links.keys(), ...cur.links.keys()]);
  const redo = affected(prev, cur, touched, ix.catalog);
  const out = new Map(prev.results);
  for (const file of touched) if (!cur.links.has(file)) out.delete(file);
  for (const file of redo) {
    signal();
    const link = cur.links.get(file);
    if (link) out.set(file, fileResult(ix, link.units));
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
