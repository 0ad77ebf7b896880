import type { Finding } from './findings';
import type { Workspace } from './workspace/workspace';

export interface AnalyzeOptions {
  /** Cancels a long run; analyzers check it between files. */
  signal?: AbortSignal;
  /** "Today", for date-dependent rules (deprecation `removeBy`). */
  now?: Date;
  /** A git ref to compare migrations with (`--against`). */
  against?: string;
}

export interface AnalyzerResult<D = unknown> {
  findings: Finding[];
  /** The analyzer's own plain data: tree nodes, JSON for the CLI. */
  data: D;
  /** One line for people: "no Alembic environment found", "not yet available". */
  notice?: string;
}

export type AnalyzerId = 'navigation' | 'migrations' | 'cache' | 'typegen';

export interface Analyzer<D = unknown> {
  id: AnalyzerId;
  title: string;
  /** The only files the analyzer reads, when it reads few kinds: a run of it alone lists (and stats) no others. */
  reads?: (rel: string) => boolean;
  run(ws: Workspace, options?: AnalyzeOptions): Promise<AnalyzerResult<D>>;
}

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
  }
}

export function throwIfCancelled(signal?: AbortSignal): void {
  if (signal?.aborted) throw new CancelledError();
}

export interface CheckResult {
  findings: Finding[];
  results: Partial<Record<AnalyzerId, AnalyzerResult>>;
  /** Analyzers that threw: reported, never fatal to the others. */
  failures: { id: AnalyzerId; message: string }[];
}

/** Runs the given analyzers over one workspace, in order. Config findings come first. */
export async function runEach(ws: Workspace, options: AnalyzeOptions, analyzers: readonly Analyzer[]): Promise<CheckResult> {
  const out: CheckResult = { findings: [...ws.configFindings], results: {}, failures: [] };
  for (const a of analyzers) {
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
