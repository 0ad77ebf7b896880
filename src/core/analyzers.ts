import { runEach, type Analyzer, type AnalyzeOptions, type AnalyzerId, type CheckResult } from './analyzer';
import { cacheAnalyzer } from './cache';
import { migrationsAnalyzer } from './migrations';
import { navigationAnalyzer } from './navigation';
import { typegenAnalyzer } from './typegen';
import type { Workspace } from './workspace/workspace';

export type { CheckResult } from './analyzer';

export const ANALYZERS: readonly Analyzer[] = [navigationAnalyzer, migrationsAnalyzer, cacheAnalyzer, typegenAnalyzer];

/** Runs every analyzer (or the given ones) over one workspace. Config findings come first. */
export function runAnalyzers(ws: Workspace, options: AnalyzeOptions = {}, only?: AnalyzerId[]): Promise<CheckResult> {
  return runEach(ws, options, only ? ANALYZERS.filter((a) => only.includes(a.id)) : ANALYZERS);
}
