import type { Finding } from '../findings';
import type { Delegation } from './delegation';
import { ref, type LinkedUnit } from './link';
import type { CacheCoverage, CacheRead, CacheServiceSummary, CacheWrite } from './model';
import type { KeyIndex, WriterIndex } from './reach';
import { fileFindings, isCovered, type RuleContext } from './rules';

/** The workspace-wide indexes one file's results are computed against. */
export interface Indexes {
  keys: KeyIndex;
  writers: WriterIndex;
  delegation: Delegation;
  rules: RuleContext;
}

/** One file's part of the result: its services and its findings, in the order the whole result lists them. */
export interface FileResult {
  services: CacheServiceSummary[];
  /** Findings by rule, each in the order the rule emitted them. */
  emitted: [Finding[], Finding[], Finding[]];
  /** Findings in result order, once asked for. */
  sorted?: Finding[];
}

/** Fresh copies of a unit's resolved reads and writes, to fill in (the resolved ones are kept for later runs). */
function copyUnit(t: LinkedUnit): LinkedUnit {
  return {
    ...t,
    reads: t.reads.map((r) => ({ ...r, invalidatedBy: [], nearMisses: [], findings: [] })),
    writes: t.writes.map((w) => ({ ...w, covers: [], findings: [] })),
  };
}

/** The writes whose patterns reach each read of the unit, in workspace order, and the patterns that almost do. */
function invalidatedBy(ix: Indexes, t: LinkedUnit, out: LinkedUnit): void {
  t.reads.forEach((tr, i) => {
    const r = out.reads[i];
    const x = ix.keys.entry(tr);
    const seen = new Set<string>();
    for (const e of ix.writers.related(t.file, tr, x)) {
      let hit = !!e.inv.store;
      if (!hit && x) {
        const reach = ix.keys.reach(e.inv.pattern);
        hit = reach.hit.has(x);
        const near = hit ? undefined : reach.nearOf.get(x);
        if (near?.sameEntity) r.nearMisses.push({ pattern: e.inv.pattern, write: ref(e.u, e.w.name, e.w.line), ...near.miss });
      }
      const id = `${e.w.name}\0${e.u.file}\0${e.w.line}`;
      if (hit && !seen.has(id)) {
        seen.add(id);
        r.invalidatedBy.push({ ...ref(e.u, e.w.name, e.w.line), pattern: e.inv.pattern });
      }
    }
    if (r.nearMisses.length) {
      const reached = new Set(r.invalidatedBy.map((b) => b.pattern));
      r.nearMisses = r.nearMisses.filter((m) => !reached.has(m.pattern));
    }
  });
}

/** The reads each write's patterns reach, anywhere in the workspace, and the write it delegates to. */
function covers(ix: Indexes, t: LinkedUnit, out: LinkedUnit): void {
  t.writes.forEach((tw, i) => {
    const w = out.writes[i];
    const target = ix.delegation.target(t, tw);
    if (target) w.delegatesTo = target;
    if (!tw.invalidations.length) return;
    const seen = new Set<string>();
    for (const inv of tw.invalidations) {
      if (inv.dynamic) continue;
      const reached = inv.store ? ix.keys.storeReads(t.file, inv.store) : ix.keys.reach(inv.pattern).hits;
      for (const { u: ru, r } of reached) {
        const id = `${r.name}\0${ru.file}\0${r.line}`;
        if (seen.has(id)) continue;
        seen.add(id);
        w.covers.push({ ...ref(ru, r.name, r.line), key: r.key, pattern: inv.pattern });
      }
    }
  });
}

function coverageOf(reads: CacheRead[], writes: CacheWrite[]): CacheCoverage {
  const data = writes.filter((w) => w.kind === 'write');
  return {
    writes: data.length,
    invalidating: data.filter(isCovered).length,
    reads: reads.length,
    readsCovered: reads.filter((r) => r.invalidatedBy.length > 0 || r.ttl !== null || r.ttlText !== undefined).length,
  };
}

function summary(u: LinkedUnit): CacheServiceSummary {
  const byLine = <T extends { line: number; name: string }>(a: T, b: T) => a.line - b.line || a.name.localeCompare(b.name);
  const reads = [...u.reads].sort(byLine);
  const writes = [...u.writes].sort(byLine);
  for (const r of reads) r.invalidatedBy.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  for (const w of writes) w.covers.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return { name: u.raw.name, file: u.file, line: u.raw.line, kind: u.raw.kind, language: u.language, reads, writes, coverage: coverageOf(reads, writes) };
}

/** The services and findings of one file's resolved units, against the rest of the workspace. */
export function fileResult(ix: Indexes, units: readonly LinkedUnit[]): FileResult {
  const out = units.map(copyUnit);
  units.forEach((t, i) => {
    covers(ix, t, out[i]);
    invalidatedBy(ix, t, out[i]);
  });
  const emitted = fileFindings(ix.rules, out);
  const shown = out.filter((u) => u.reads.length || u.writes.some((w) => w.invalidations.length || w.findings.length));
  return { services: shown.map(summary).sort((a, b) => a.line - b.line), emitted };
}
