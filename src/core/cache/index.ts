import picomatch from 'picomatch';
import { throwIfCancelled, type Analyzer, type AnalyzeOptions } from '../analyzer';
import { sortFindings, type Severity } from '../findings';
import type { Workspace } from '../workspace/workspace';
import { linkUnits, match, type LinkedUnit } from './link';
import type { CacheCoverage, CacheData, CacheServiceSummary, CacheWrite } from './model';
import { scanPython } from './python';
import { Resolver } from './resolve';
import { cacheFindings, isCovered } from './rules';
import type { FileScan } from './scan';
import { cacheSettings, keyEntity, settingsKey, type CacheSettings } from './settings';
import { scanTypeScript } from './typescript';

export type { CacheData, CacheServiceSummary, CacheRead, CacheWrite, CacheInvalidation, CacheRef, CacheCoverage, KeyKind, ItemFinding } from './model';
export { renderCacheAudit } from './audit';

/** Files worth parsing for cache facts: a cheap text test before any parse. */
const CACHE_HINT = /cach|invalidat|redis|evict/i;

interface Memo {
  hash: string;
  key: string;
  scan: FileScan;
}

/** Per-file scans by content hash and settings, per workspace. */
const memos = new WeakMap<Workspace, Map<string, Memo>>();

async function scanFile(ws: Workspace, rel: string, settings: CacheSettings, key: string): Promise<FileScan | undefined> {
  let memo = memos.get(ws);
  if (!memo) memos.set(ws, (memo = new Map()));
  const hash = ws.hash(rel);
  if (!hash) return undefined;
  const hit = memo.get(rel);
  if (hit && hit.hash === hash && hit.key === key) return hit.scan;
  const facts = await ws.facts(rel);
  if (!facts) return undefined;
  const scan = facts.language === 'python' ? scanPython(rel, facts, settings) : scanTypeScript(rel, facts, settings);
  memo.set(rel, { hash, key, scan });
  return scan;
}

function coverageOf(reads: CacheServiceSummary['reads'], writes: CacheWrite[]): CacheCoverage {
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

/** Cache-decorator coverage: which writes invalidate which cached reads, and what is left uncovered. */
export const cacheAnalyzer: Analyzer<CacheData> = {
  id: 'cache',
  title: 'Cache Coverage',
  async run(ws: Workspace, options: AnalyzeOptions = {}) {
    const settings = cacheSettings(ws.config);
    const key = settingsKey(settings);
    const ignored = picomatch(settings.ignore, { dot: true });
    const candidates = ws.files.filter((f) => (f.language === 'python' || f.language === 'typescript') && !ignored(f.path));
    const scans = new Map<string, FileScan>();
    const scanOf = async (rel: string) => scans.get(rel) ?? (ws.has(rel) ? scanFile(ws, rel, settings, key) : undefined);
    for (const f of candidates) {
      throwIfCancelled(options.signal);
      if (!ws.grep(f.path, CACHE_HINT)) continue;
      const scan = await scanFile(ws, f.path, settings, key);
      if (scan?.units.length) scans.set(f.path, scan);
    }
    // Writes elsewhere that touch a cached entity: only files that name one of them are parsed.
    const resolver = new Resolver(ws, scanOf);
    const first = await linkUnits([...scans.values()], resolver);
    const entities = [...new Set(first.flatMap((u) => u.reads.map((r) => (r.key ? keyEntity(r.key) : undefined)).filter((e): e is string => !!e)))];
    let units = first;
    if (entities.length) {
      const mention = new RegExp(`(${entities.map((e) => e.replace(/[^a-z0-9]/g, '')).join('|')})`, 'i');
      let extra = 0;
      for (const f of candidates) {
        throwIfCancelled(options.signal);
        if (scans.has(f.path) || !ws.grep(f.path, mention)) continue;
        const scan = await scanFile(ws, f.path, settings, key);
        if (scan?.units.length) {
          scans.set(f.path, scan);
          extra++;
        }
      }
      if (extra) units = await linkUnits([...scans.values()].sort((a, b) => a.file.localeCompare(b.file)), resolver);
    }
    match(units);
    const findings = sortFindings(cacheFindings(units, settings, (f) => ws.text(f)));
    const shown = units.filter((u) => u.reads.length || u.writes.some((w) => w.invalidations.length || w.findings.length));
    const services = shown.map(summary).sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
    const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
    const coverage = services.reduce(
      (t, s) => ({ ...t, writes: t.writes + s.coverage.writes, invalidating: t.invalidating + s.coverage.invalidating, reads: t.reads + s.coverage.reads, readsCovered: t.readsCovered + s.coverage.readsCovered }),
      { services: services.length, writes: 0, invalidating: 0, reads: 0, readsCovered: 0, findings: { error: count('error'), warning: count('warning'), info: count('info') } },
    );
    const notice = services.length ? undefined : 'no cached reads or cache invalidations found';
    return { findings, data: { services, coverage }, ...(notice ? { notice } : {}) };
  },
};
