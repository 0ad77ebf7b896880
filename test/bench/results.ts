import type { ActivationResult } from './activation';
import type { GeneratedWorkspace } from './generate';
import type { Machine, Stats } from './measure';
import type { ProfileSummary } from './profile';
import type { FeatureBenchResult } from './types';
import type { WarmSample } from './worker';

/** Everything one `npm run bench` measured; rendered by report.ts and saved as JSON. */
export interface BenchResults {
  quick: boolean;
  runs: number;
  budgetMs: number;
  machine: Machine;
  /** One-minute load average at the start and the end: other work on the machine skews the figures. */
  loadAvg: { start: number; end?: number };
  /** The bundle measured by the CLI and activation rows. */
  dist?: { builtAt: string; olderThanSrc: boolean };
  workspace: GeneratedWorkspace & { reused: boolean };
  elapsedMs?: number;
  alembicOracle?: { heads: string[]; matchesGenerator: boolean; wallMs: Stats };
  discovery?: { gitMs: number; walkMs: number; counts: { git: number; walk: number } };
  cold?: {
    totalMs: Stats;
    openMs: Stats;
    analyzeMs: Stats;
    loadMs: Stats;
    /** Whole cold-only processes (the first process also ran the warm part and is left out). */
    wallMs?: Stats;
    perAnalyzer: Record<string, number>;
    maxRssMb: Stats;
    heapMb: number;
    notices: Record<string, string | null>;
    failures: string[];
    files: number;
    skipped: number;
    method: string;
    findings: number;
    parses: number;
  };
  cli?: { wallMs: Stats; maxRssMb: Stats; findings: number; exitCode: number | null };
  parseAll?: {
    totalMs: Stats;
    maxRssMb: Stats;
    python: { files: number; bytes: number; ms: number };
    typescript: { files: number; bytes: number; ms: number };
    problems: number;
  };
  warm?: WarmSample;
  activation?: ActivationResult;
  features: Record<'migrations' | 'navigation', FeatureOutcome>;
  profiles: { label: string; summary: ProfileSummary }[];
  /** Measurements cut short or left out by the time budget. */
  skipped: string[];
  errors: { what: string; message: string }[];
}

export type FeatureOutcome = { status: 'absent'; reason: string } | { status: 'ok'; result: FeatureBenchResult; ms: number } | { status: 'crashed'; error: string };
