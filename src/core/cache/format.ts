import type { CacheRead, CacheServiceSummary, CacheWrite } from './model';

/** `300` → "5 min", `60` → "60 s", `3600` → "1 h", `86400` → "1 d". */
export function formatTtl(seconds: number): string {
  if (seconds > 0 && seconds % 86400 === 0) return `${seconds / 86400} d`;
  if (seconds > 0 && seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds > 60 && seconds % 60 === 0) return `${seconds / 60} min`;
  return `${Number(seconds.toFixed(3))} s`;
}

/** The TTL of a read for people: "5 min", "no TTL", "settings.CACHE_TTL", "maxsize 128". */
export function ttlLabel(r: CacheRead): string {
  if (r.ttl !== null) return formatTtl(r.ttl);
  if (r.ttlText !== undefined) return r.ttlText;
  if (r.maxsize !== undefined) return `no TTL, maxsize ${r.maxsize}`;
  return 'no TTL';
}

/** The key of a read for people: the key, or what stands for it. */
export function keyLabel(r: CacheRead): string {
  if (r.key !== null) return r.keyKind === 'prefix' ? `${r.key}${r.hasArgs ? '…' : ''}` : r.key;
  if (r.keyKind === 'memo') return `in-process (${r.form})`;
  return `key derived by ${r.form}`;
}

/** "a", "a and b", "a, b and c". */
export function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "5/6 writes invalidate". */
export function coverageLabel(s: CacheServiceSummary): string {
  const c = s.coverage;
  if (!c.writes) return c.reads ? `${plural(c.reads, 'cached read')}, no writes` : 'invalidations only';
  return `${c.invalidating}/${c.writes} ${c.writes === 1 ? 'write invalidates' : 'writes invalidate'}`;
}

/** Whether a write is fine: it invalidates, is covered by a caller or delegate, or has no finding. */
export function writeOk(w: CacheWrite): boolean {
  return !w.findings.some((f) => f.severity !== 'info');
}

export function readOk(r: CacheRead): boolean {
  return !r.findings.some((f) => f.severity !== 'info');
}

export interface TtlCategory {
  title: string;
  test: (r: CacheRead) => boolean;
}

/** TTL categories, after the usual freshness guideline (real-time 30–60 s, frequent 5 min, static 30 min, rare 1 h+). */
export const TTL_CATEGORIES: TtlCategory[] = [
  { title: 'Real-time (≤ 60 s)', test: (r) => r.ttl !== null && r.ttl <= 60 },
  { title: 'Frequently updated (≤ 5 min)', test: (r) => r.ttl !== null && r.ttl > 60 && r.ttl <= 300 },
  { title: 'Moderately static (≤ 30 min)', test: (r) => r.ttl !== null && r.ttl > 300 && r.ttl <= 1800 },
  { title: 'Rarely changing (> 30 min)', test: (r) => r.ttl !== null && r.ttl > 1800 },
  { title: 'TTL not static', test: (r) => r.ttl === null && r.ttlText !== undefined },
  { title: 'No TTL', test: (r) => r.ttl === null && r.ttlText === undefined },
];
