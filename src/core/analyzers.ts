import type { Analyzer, AnalyzeOptions, AnalyzerId, AnalyzerResult } from './analyzer';
import { cacheAnalyzer } from './cache';
import type { Finding } from './findings';
import { migrationsAnalyzer } from './migrations';
import { navigationAnalyzer } from './navigation';
import { typegenAnalyzer } from './typegen';
import type { Workspace } from './workspace/workspace';

export const ANALYZERS: readonly Analyzer[] = [navigationAnalyzer, migrationsAnalyzer, cacheAnalyzer, typegenAnalyzer];

export interface CheckResult {
  findings: Finding[];
  results: Partial<Record<AnalyzerId, AnalyzerResult>>;
  /** Analyzers that threw: reported, never fatal to the others. */
  failures: { id: AnalyzerId; message: string }[];
}

/** Runs every analyzer (or the given ones) over one workspace. Config findings come first. */
export async function runAnalyzers(ws: Workspace, options: AnalyzeOptions = {}, only?: AnalyzerId[]): Promise<CheckResult> {
  const out: CheckResult = { findings: [...ws.configFindings], results: {}, failures: [] };
  for (const a of ANALYZERS) {
    if (only && !only.includes(a.id)) continue;
    try {
      const r = await a.run(ws, options);
      out.results[a.id] = r;
      out.findings.push(...r.findings);
    } catch (err) {
      if (options.signal?.aborted) throw err;
      out.failures.push({ id: a.id, message: (err as Error).stack ?? String(err) });
    }
  }
  return out;
}
