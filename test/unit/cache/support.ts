import * as path from 'node:path';
import type { AnalyzerResult } from '../../../src/core/analyzer';
import { cacheAnalyzer, type CacheData, type CacheServiceSummary } from '../../../src/core/cache';
import type { Finding } from '../../../src/core/findings';
import { Workspace } from '../../../src/core/workspace/workspace';
import { repoRoot } from '../../support/tmp';

export function fixture(...parts: string[]): string {
  return path.join(repoRoot(), 'test', 'fixtures', ...parts);
}

export async function analyze(root: string): Promise<AnalyzerResult<CacheData> & { ws: Workspace }> {
  const ws = await Workspace.open(root);
  return { ...(await cacheAnalyzer.run(ws)), ws };
}

export function service(data: CacheData, name: string): CacheServiceSummary {
  const s = data.services.find((x) => x.name === name);
  if (!s) throw new Error(`no service ${name}; have ${data.services.map((x) => x.name).join(', ')}`);
  return s;
}

/** Findings as `file:line rule` (1-based lines), sorted. */
export function brief(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.file}:${f.range.start.line + 1} ${f.rule}`).sort();
}

/** A service's reads as [name, key, ttl] and writes as [name, invalidates]. */
export function matrix(s: CacheServiceSummary): { reads: [string, string | null, number | null][]; writes: [string, string[]][] } {
  return { reads: s.reads.map((r) => [r.name, r.key, r.ttl]), writes: s.writes.map((w) => [w.name, w.invalidates]) };
}
