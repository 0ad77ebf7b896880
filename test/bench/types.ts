/**
 * The contract between the runner (run.ts) and the feature benchmarks it loads when their
 * compiled files exist: `out/test/bench/migrations.js` and `out/test/bench/navigation.js`.
 *
 * A feature bench exports `run(ctx: FeatureBenchContext): Promise<FeatureBenchResult>` (also
 * accepted: `bench`, `benchMigrations` / `benchNavigation`, `default`, or its only exported
 * function). Rows with a well-known `id` (below) fill the targets table of BENCHMARKS.md;
 * every row is listed in the feature's own section.
 */
import type { GeneratedWorkspace } from './generate';

export interface FeatureBenchContext {
  repoRoot: string;
  /** The generated monorepo (absolute), git-initialised. */
  workspace: string;
  generated: GeneratedWorkspace;
  /** Its Alembic environment, absolute paths; `heads` is what the generator built. */
  alembic: { dir: string; ini: string; versionsDir: string; revisions: number; heads: string[] };
  /** The bundled sample workspace, test/fixtures/sample (absolute). */
  sample: string;
  /** How many repetitions for medians (2 in quick mode). */
  runs: number;
  quick: boolean;
  /** The Python with Alembic for the oracle. */
  python: string;
  /** Epoch ms by which the bench should be done: do fewer repetitions when it is near. */
  deadline: number;
  log(line: string): void;
}

export interface BenchRow {
  /** Well-known ids: see TARGET_IDS. */
  id?: string;
  metric: string;
  /** A number (with `unit`) or text. */
  measured: number | string | boolean;
  unit?: string;
  target?: string;
  ok?: boolean;
  note?: string;
}

export interface FeatureBenchResult {
  rows: BenchRow[];
  notes?: string[];
}

/** Ids of rows the targets table picks up. */
export const TARGET_IDS = {
  migrationsSpeedup: 'migrations.speedup', // × faster, whole process, vs `alembic heads`
  migrationsIdenticalHeads: 'migrations.identicalHeads', // boolean
  migrationsColdMs: 'migrations.inProcessColdMs', // contents → heads, 500 revisions
  migrationsChangeMs: 'migrations.inProcessChangeMs', // after one file changes
  navigationColdMs: 'navigation.coldMs', // services index, cold
  navigationUpdateMs: 'navigation.updateMs', // one-file update
} as const;
