/** One revision (or Django migration) as the CLI JSON and the Migrations view show it. */
export interface RevisionNode {
  id: string;
  file: string;
  /** 1-based line of the `revision` assignment (Django: the `class Migration` line). */
  line: number;
  message?: string;
  /** Resolved parents (`down_revision`; Django: dependencies in the same app). */
  down: string[];
  dependsOn: string[];
  /** Branch labels declared by this revision. */
  labels: string[];
  /** Branch labels this revision carries (its own and its ancestors'). */
  carried: string[];
}

/** JSON contract fields (../shared/design/CLI-CONTRACT.md) plus more. */
export interface EnvironmentSummary {
  tool: 'alembic' | 'django';
  /** A readable name: the script folder (Alembic), the app label (Django). */
  name: string;
  /** The first version folder, root-relative. */
  root: string;
  versions: string[];
  /** The file that declares the environment (alembic.ini, pyproject.toml, apps.py …), if any. */
  config: string | null;
  scriptDir: string | null;
  revisions: number;
  heads: string[];
  /** Several heads that are intended: each on its own branch label, or declared in expectedHeads. */
  headsIntentional?: boolean;
  bases: string[];
  merges: string[];
  branchPoints: string[];
  branchLabels: Record<string, string>;
  fileTemplate: string | null;
  history: RevisionNode[];
}

export interface MigrationsData {
  environments: EnvironmentSummary[];
  /** `--against`: the ref compared with, and what it resolved to. */
  against?: { ref: string; commit?: string; error?: string };
}
