import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateAlembic, type AlembicHistory } from './gen/alembic';
import { generateOther } from './gen/other';
import { Rng } from './gen/prng';
import { generatePython } from './gen/python';
import { Sink } from './gen/sink';
import { generateTypeScript } from './gen/typescript';

export interface GenerateOptions {
  /** An empty (or missing) folder to fill. */
  root: string;
  /** Total number of files, exactly. Default 10,000. */
  files?: number;
  /** Alembic revisions. Default 500. */
  revisions?: number;
  seed?: number;
  /** `git init` and commit everything, so discovery takes the `git ls-files` path. Default true. */
  git?: boolean;
}

export interface GeneratedWorkspace {
  root: string;
  seed: number;
  files: number;
  bytes: number;
  counts: { python: number; typescript: number; alembic: number; other: number };
  byExtension: Record<string, number>;
  alembic: AlembicHistory;
  /** Files the benchmarks edit to measure a one-file re-index (workspace-relative). */
  samples: { pythonService: string; pythonRouter: string; tsController: string; tsRoute: string };
  git: boolean;
  generatedMs: number;
}

export const DEFAULT_FILES = 10_000;
export const DEFAULT_REVISIONS = 500;
export const DEFAULT_SEED = 20250101;

/**
 * Writes a synthetic monorepo: a FastAPI backend (about half the files: services with cached
 * reads and invalidating writes, repositories, routers chained with `include_router`, models,
 * schemas, deprecated modules, tests), an Alembic environment with a branching and merging
 * history, Next.js and NestJS TypeScript (about 40 %), and non-source files. Deterministic:
 * the same options give byte-identical files.
 */
export function generateMonorepo(options: GenerateOptions): GeneratedWorkspace {
  const started = performance.now();
  const total = options.files ?? DEFAULT_FILES;
  const revisions = options.revisions ?? DEFAULT_REVISIONS;
  const seed = options.seed ?? DEFAULT_SEED;
  const alembicFiles = revisions + 3;
  const other = Math.round(total * 0.06);
  const typescript = Math.round(total * 0.4);
  const python = total - alembicFiles - other - typescript;
  if (revisions < 1 || python < 20) throw new Error(`cannot fit ${revisions} revisions into ${total} files`);
  fs.mkdirSync(options.root, { recursive: true });
  if (fs.readdirSync(options.root).length) throw new Error(`${options.root} is not empty`);

  const rng = new Rng(seed);
  const sink = new Sink(options.root);
  const py = generatePython(rng.fork(1), sink, python);
  const alembic = generateAlembic(rng.fork(2), sink, revisions);
  const layout = generateTypeScript(rng.fork(3), sink, typescript);
  generateOther(rng.fork(4), sink, other, layout);
  if (sink.count !== total) throw new Error(`generated ${sink.count} files instead of ${total}`);

  const first = py.subs[0];
  const paths = [...sink.paths()];
  const samples = {
    pythonService: `backend/src/acme/${first.domain}/${first.sub}/service.py`,
    pythonRouter: `backend/src/acme/${first.domain}/${first.sub}/router.py`,
    tsController: paths.find((p) => p.endsWith('.controller.ts')) ?? paths.find((p) => p.endsWith('.ts'))!,
    tsRoute: paths.find((p) => p.endsWith('/route.ts')) ?? paths.find((p) => p.endsWith('.ts'))!,
  };
  const git = options.git ?? true;
  if (git) gitCommitAll(options.root);
  return {
    root: options.root,
    seed,
    files: sink.count,
    bytes: sink.bytes,
    counts: { python, typescript, alembic: alembicFiles, other },
    byExtension: Object.fromEntries([...sink.byExtension].sort((a, b) => b[1] - a[1])),
    alembic,
    samples,
    git,
    generatedMs: Math.round(performance.now() - started),
  };
}

export function gitCommitAll(root: string): void {
  const env = { ...process.env, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@example.invalid', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@example.invalid', GIT_AUTHOR_DATE: '2025-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2025-01-01T00:00:00Z' };
  const git = (...args: string[]) => execFileSync('git', ['-c', 'core.autocrlf=false', '-c', 'gc.auto=0', '-c', 'commit.gpgsign=false', ...args], { cwd: root, env, stdio: 'pipe', maxBuffer: 64 * 1024 * 1024 });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'synthetic monorepo');
}

/** A fingerprint of the generator's own code, so a changed generator never reuses an old workspace. */
function generatorFingerprint(): string {
  const h = createHash('sha1');
  const files = [__filename, ...fs.readdirSync(path.join(__dirname, 'gen')).filter((f) => /\.(js|ts)$/.test(f)).sort().map((f) => path.join(__dirname, 'gen', f))];
  for (const f of files) h.update(fs.readFileSync(f));
  return h.digest('hex').slice(0, 12);
}

/**
 * The benchmark workspace under `<repo>/.bench/` (git-ignored), generated once per size, seed
 * and generator version and reused afterwards. Its description is kept beside it, outside the
 * workspace, so it is not one of the workspace's files.
 */
export function benchWorkspace(repoRoot: string, opts: { files: number; revisions: number; seed?: number }): GeneratedWorkspace & { reused: boolean } {
  const seed = opts.seed ?? DEFAULT_SEED;
  const name = `ws-${opts.files}-${opts.revisions}-${seed}-${generatorFingerprint()}`;
  const benchDir = path.join(repoRoot, '.bench');
  const root = path.join(benchDir, name);
  const manifest = path.join(benchDir, `${name}.json`);
  if (fs.existsSync(manifest) && fs.existsSync(path.join(root, '.git'))) {
    return { ...(JSON.parse(fs.readFileSync(manifest, 'utf8')) as GeneratedWorkspace), reused: true };
  }
  fs.mkdirSync(benchDir, { recursive: true });
  for (const old of fs.readdirSync(benchDir)) {
    if (old.startsWith(`ws-${opts.files}-${opts.revisions}-${seed}-`)) fs.rmSync(path.join(benchDir, old), { recursive: true, force: true });
  }
  const info = generateMonorepo({ root, files: opts.files, revisions: opts.revisions, seed });
  fs.writeFileSync(manifest, JSON.stringify(info, null, 2) + '\n');
  return { ...info, reused: false };
}
