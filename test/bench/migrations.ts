/**
 * Migrations benchmark: codenav against the real `alembic heads`, measured in
 * the same run, on a generated 500-revision history and on the sample; and
 * the in-process time from file contents to heads, cold and after one change.
 *
 * Standalone: `node out/test/bench/migrations.js` (uses dist/cli.js when it
 * exists, else the unbundled out/src/cli.js; CODENAV_BENCH_CLI overrides).
 * Exit code 1 when a target is missed.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildGraph } from '../../src/core/migrations/alembic/graph';
import { toRevision, type Revision } from '../../src/core/migrations/alembic/revision';
import { FIELD_MENTION, plainFields, readRevisionSource } from '../../src/core/migrations/alembic/revisionFile';
import { migrationsAnalyzer } from '../../src/core/migrations';
import { readOutline } from '../../src/core/migrations/pyreader/outline';
import { Workspace } from '../../src/core/workspace/workspace';
import { Rng } from './gen/prng';

export interface ProcessComparison {
  revisions: number;
  /** Median whole-process wall time of `python3 -m alembic -c <ini> heads` (summed over the environments). */
  alembicMs: number;
  /** Median whole-process wall time of `node <cli> migrations <root> --format json`. */
  codenavMs: number;
  /**
   * The first run, before codenav has stored its compiled code (CODENAV_COMPILE_CACHE, a fresh
   * folder): the timed runs use the stored code, as Alembic uses the `__pycache__` of its own
   * modules (the migration files themselves are read anew by both, PYTHONDONTWRITEBYTECODE=1).
   */
  codenavFirstRunMs: number;
  ratio: number;
  headsEqual: boolean;
  heads: string[];
  /** Median wall time of `node -e 0` in the same environment: the floor of any Node CLI. */
  nodeStartMs: number;
  /**
   * When NODE_EXTRA_CA_CERTS is set (it is on the machines here, for their proxy), every Node
   * process reads that certificate bundle at start-up: the same comparison with it unset.
   */
  withoutExtraCaCerts?: { codenavMs: number; nodeStartMs: number; ratio: number };
}

export interface MigrationsBenchResult {
  cli: string;
  history500: ProcessComparison;
  sample: ProcessComparison;
  inProcess: {
    /** Texts in memory → heads, fresh caches, after a JIT warm-up on other histories (median of 11). */
    contentsColdMs: number;
    /** The same, after one file's text changed (per-file readings kept; median of 11, a different file each time). */
    contentsOneChangeMs: number;
    /** The full analyzer on an opened workspace (reads, hashes, rules), fresh caches. */
    analyzerColdMs: number;
    /** The full analyzer after one file changed on disk and `ws.update(file)`. */
    analyzerOneChangeMs: number;
    /** The very first analyzer run of the process (JIT cold), for reference. */
    firstRunMs: number;
  };
  pass: { ratio500: boolean; ratioSample: boolean; cold: boolean; oneChange: boolean };
}

const PYTHON = '/usr/bin/python3';
const OPS = ['add_column', 'create_index', 'alter_column', 'drop_column'];

function revisionText(rng: Rng, id: string, down: string[], n: number, date: Date): string {
  const p = (x: number) => String(x).padStart(2, '0');
  const created = `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())} ${p(date.getHours())}:${p(date.getMinutes())}:00.000000`;
  const table = `table_${n % 37}`;
  const ups = Array.from({ length: rng.int(1, 4) }, (_, i) => `    op.${rng.pick(OPS)}("${table}", sa.Column("c${n}_${i}", sa.Integer(), nullable=True))`);
  const downs = ups.map((_, i) => `    op.drop_column("${table}", "c${n}_${i}")`).reverse();
  const downText = down.length === 0 ? 'None' : down.length === 1 ? `"${down[0]}"` : `(\n    ${down.map((d) => `"${d}"`).join(',\n    ')},\n)`;
  return [
    `"""change ${n} on ${table}`,
    '',
    `Revision ID: ${id}`,
    `Revises: ${down.join(', ')}`,
    `Create Date: ${created}`,
    '',
    '"""',
    'from typing import Sequence, Union',
    '',
    'from alembic import op',
    'import sqlalchemy as sa',
    '',
    '',
    '# revision identifiers, used by Alembic.',
    `revision: str = "${id}"`,
    `down_revision: Union[str, None] = ${downText}`,
    'branch_labels: Union[str, Sequence[str], None] = None',
    'depends_on: Union[str, Sequence[str], None] = None',
    '',
    '',
    'def upgrade() -> None:',
    ...ups,
    '',
    '',
    'def downgrade() -> None:',
    ...downs,
    '',
  ].join('\n');
}

/** A realistic history: mostly linear, a short side branch merged back every ~25 revisions; one head. */
export function writeHistory(dir: string, count: number, seed = 7): { ini: string; files: Map<string, string> } {
  const rng = new Rng(seed);
  const versions = path.join(dir, 'alembic', 'versions');
  fs.mkdirSync(versions, { recursive: true });
  fs.writeFileSync(path.join(dir, 'alembic.ini'), '[alembic]\nscript_location = %(here)s/alembic\nfile_template = %%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d-%%(rev)s_%%(slug)s\n');
  fs.writeFileSync(path.join(dir, 'alembic', 'env.py'), '# not run by `alembic heads`\n');
  const files = new Map<string, string>();
  let head: string | undefined;
  let side: string | undefined;
  const start = new Date(2024, 0, 1, 9, 0);
  for (let n = 0; n < count; n++) {
    const id = rng.hex(12);
    const date = new Date(start.getTime() + n * 3_600_000);
    let down = head ? [head] : [];
    const phase = n % 25;
    let onSide = false;
    if (phase === 10) side = head;
    if ((phase === 13 || phase === 14) && side) {
      down = [side];
      onSide = true;
    } else if (phase === 15 && side && head) {
      down = [head, side];
      side = undefined;
    }
    const text = revisionText(rng, id, down, n, date);
    const p = (x: number) => String(x).padStart(2, '0');
    const name = `${date.getFullYear()}_${p(date.getMonth() + 1)}_${p(date.getDate())}_${p(date.getHours())}${p(date.getMinutes())}-${id}_change_${n}_on_table_${n % 37}.py`;
    fs.writeFileSync(path.join(versions, name), text);
    files.set(`alembic/versions/${name}`, text);
    if (onSide) side = id;
    else head = id;
  }
  return { ini: path.join(dir, 'alembic.ini'), files };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timed(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): { ms: number; stdout: string } {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, env: { ...env, PYTHONDONTWRITEBYTECODE: '1', NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.error || (r.status !== 0 && r.status !== 1)) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.error?.message ?? r.stderr.toString()}`);
  return { ms, stdout: r.stdout.toString('utf8') };
}

function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) || path.basename(dir) === 'out') dir = path.dirname(dir);
  return dir;
}

/** The CLI to time: `CODENAV_BENCH_CLI`, else the bundle when built, else the unbundled build. */
export function cliPath(): string {
  if (process.env.CODENAV_BENCH_CLI) return path.resolve(process.env.CODENAV_BENCH_CLI);
  const dist = path.join(repoRoot(), 'dist', 'cli.js');
  return fs.existsSync(dist) ? dist : path.join(repoRoot(), 'out', 'src', 'cli.js');
}

/** Whole-process times of both tools on one workspace, with the heads each reports per environment. */
function compareProcesses(root: string, inis: string[], runs: number, cli: string, compileCache: string): ProcessComparison {
  fs.rmSync(compileCache, { recursive: true, force: true });
  const env = { ...process.env, CODENAV_COMPILE_CACHE: compileCache };
  const codenavFirstRunMs = timed(process.execPath, [cli, 'migrations', root, '--format', 'json'], root, env).ms;
  const alembic: number[] = [];
  const codenav: number[] = [];
  const nodeStart: number[] = [];
  const lean = { codenav: [] as number[], nodeStart: [] as number[] };
  const leanEnv = process.env.NODE_EXTRA_CA_CERTS ? Object.fromEntries(Object.entries(env).filter(([k]) => k !== 'NODE_EXTRA_CA_CERTS')) : undefined;
  let alembicHeads: string[] = [];
  let ourHeads: string[] = [];
  let revisions = 0;
  for (let i = 0; i < runs; i++) {
    let sum = 0;
    alembicHeads = [];
    for (const ini of inis) {
      const r = timed(PYTHON, ['-m', 'alembic', '-c', ini, 'heads'], path.dirname(ini));
      sum += r.ms;
      alembicHeads.push(...r.stdout.split('\n').filter(Boolean).map((l) => l.split(' ')[0]));
    }
    alembic.push(sum);
    const ours = timed(process.execPath, [cli, 'migrations', root, '--format', 'json'], root, env);
    codenav.push(ours.ms);
    nodeStart.push(timed(process.execPath, ['-e', '0'], root).ms);
    if (leanEnv) {
      lean.codenav.push(timed(process.execPath, [cli, 'migrations', root, '--format', 'json'], root, leanEnv).ms);
      lean.nodeStart.push(timed(process.execPath, ['-e', '0'], root, leanEnv).ms);
    }
    const json = JSON.parse(ours.stdout) as { environments: { tool: string; config: string | null; heads: string[]; revisions: number }[] };
    const envs = json.environments.filter((e) => e.tool === 'alembic' && inis.some((ini) => e.config && path.resolve(root, e.config) === path.resolve(ini)));
    ourHeads = envs.flatMap((e) => e.heads);
    revisions = envs.reduce((n, e) => n + e.revisions, 0);
  }
  const a = median(alembic);
  const c = median(codenav);
  return {
    revisions,
    alembicMs: a,
    codenavMs: c,
    codenavFirstRunMs,
    ratio: a / c,
    headsEqual: JSON.stringify([...alembicHeads].sort()) === JSON.stringify([...ourHeads].sort()),
    heads: ourHeads,
    nodeStartMs: median(nodeStart),
    ...(leanEnv ? { withoutExtraCaCerts: { codenavMs: median(lean.codenav), nodeStartMs: median(lean.nodeStart), ratio: a / median(lean.codenav) } } : {}),
  };
}

/**
 * File texts → heads with the same building blocks the analyzer uses: the reading focused on the
 * four fields, the whole module when the fields need it. `memo` keeps each file's reading with the
 * text it was read from (as the analyzer keeps one per file and version), so a file is read again
 * when its text differs.
 */
function headsFromContents(files: Map<string, string>, memo: Map<string, { text: string; rev: Revision }>): string[] {
  const revisions: Revision[] = [];
  for (const [file, text] of files) {
    let hit = memo.get(file);
    if (hit?.text !== text) {
      // As the analyzer does: the focused reading when its fields are plain, else the whole module.
      const focused = readOutline(text, FIELD_MENTION);
      let src = focused && readRevisionSource(file, focused);
      if (!src || !plainFields(src.fields)) {
        const whole = readOutline(text);
        if (!whole) throw new Error(`${file}: not read by the fast reader`);
        src = readRevisionSource(file, whole);
      }
      const rev = toRevision(src, undefined, []);
      if (!rev) throw new Error(`${file}: no revision`);
      memo.set(file, (hit = { text, rev }));
    }
    revisions.push(hit.rev);
  }
  return buildGraph(revisions).heads;
}

async function inProcess(dir: string, files: Map<string, string>, warmDir: string) {
  const firstWs = await Workspace.open(warmDir, { noGit: true });
  let t = performance.now();
  await migrationsAnalyzer.run(firstWs);
  const firstRunMs = performance.now() - t;
  // Warm the JIT on other histories (about 2,000 files, past the point where V8 optimises the reader), so that
  // "cold" measures empty caches rather than interpreter start-up; firstRunMs keeps the truly cold number.
  for (let i = 0; i < 5; i++) headsFromContents(writeHistory(path.join(warmDir, `jit${i}`), 400, 100 + i).files, new Map());

  // Medians of 11: a single timing of a few milliseconds says more about the machine (a collection that
  // falls into it, another process) than about the code.
  const SAMPLES = 11;
  let memo = new Map<string, { text: string; rev: Revision }>();
  let heads: string[] = [];
  const cold: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    memo = new Map();
    t = performance.now();
    heads = headsFromContents(files, memo);
    cold.push(performance.now() - t);
  }
  const contentsColdMs = median(cold);
  const names = [...files.keys()];
  const [first] = names;
  const oneChange: number[] = [];
  const changed = new Map(files);
  for (let i = 0; i < SAMPLES; i++) {
    // Each time another file gets a comment: one new reading, the other 499 from the memo.
    const file = names[(i * 97) % names.length];
    changed.set(file, files.get(file)!.replace('def downgrade() -> None:', `# reviewed ${i}\n\n\ndef downgrade() -> None:`));
    t = performance.now();
    const heads2 = headsFromContents(changed, memo);
    oneChange.push(performance.now() - t);
    if (JSON.stringify(heads) !== JSON.stringify(heads2)) throw new Error('a comment changed the heads');
  }
  const contentsOneChangeMs = median(oneChange);

  const ws = await Workspace.open(dir, { noGit: true });
  t = performance.now();
  await migrationsAnalyzer.run(ws);
  const analyzerColdMs = performance.now() - t;
  fs.appendFileSync(path.join(dir, first), '\n# reviewed\n');
  await ws.update(first);
  t = performance.now();
  await migrationsAnalyzer.run(ws);
  const analyzerOneChangeMs = performance.now() - t;
  return { contentsColdMs, contentsOneChangeMs, analyzerColdMs, analyzerOneChangeMs, firstRunMs };
}

export async function benchMigrations(options: { runs?: number; log?: (line: string) => void } = {}): Promise<MigrationsBenchResult> {
  // Fifteen interleaved rounds: the machine's speed drifts within a minute, and a median of five moved the ratio by ±20%.
  const runs = options.runs ?? 15;
  const log = options.log ?? (() => undefined);
  const cli = cliPath();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'codenav-bench-migrations-'));
  try {
    const dir = path.join(tmp, 'history500');
    const { ini, files } = writeHistory(dir, 500);
    const warmDir = path.join(tmp, 'warm');
    writeHistory(warmDir, 300, 99);
    log(`500-revision history in ${dir}; CLI ${path.relative(repoRoot(), cli)}`);
    const compileCache = path.join(tmp, 'compile-cache');
    const history500 = compareProcesses(dir, [ini], runs, cli, compileCache);
    log(`  alembic heads ${history500.alembicMs.toFixed(0)} ms, codenav ${history500.codenavMs.toFixed(0)} ms: ${history500.ratio.toFixed(1)}x, heads equal: ${history500.headsEqual} (node -e 0: ${history500.nodeStartMs.toFixed(0)} ms; codenav's first run, compiling its code: ${history500.codenavFirstRunMs.toFixed(0)} ms)`);
    const lean = history500.withoutExtraCaCerts;
    if (lean) log(`  without NODE_EXTRA_CA_CERTS: codenav ${lean.codenavMs.toFixed(0)} ms: ${lean.ratio.toFixed(1)}x (node -e 0: ${lean.nodeStartMs.toFixed(0)} ms)`);
    const sampleRoot = path.join(repoRoot(), 'test', 'fixtures', 'sample');
    const sample = compareProcesses(sampleRoot, [path.join(sampleRoot, 'backend', 'alembic.ini'), path.join(sampleRoot, 'backend', 'ai', 'alembic.ini')], runs, cli, compileCache);
    log(`  sample: alembic heads (2 environments) ${sample.alembicMs.toFixed(0)} ms, codenav ${sample.codenavMs.toFixed(0)} ms: ${sample.ratio.toFixed(1)}x, heads equal: ${sample.headsEqual}`);
    const inproc = await inProcess(dir, files, warmDir);
    log(`  in-process, contents → heads: cold ${inproc.contentsColdMs.toFixed(1)} ms, after one change ${inproc.contentsOneChangeMs.toFixed(2)} ms`);
    log(`  in-process, full analyzer: cold ${inproc.analyzerColdMs.toFixed(1)} ms, after one change ${inproc.analyzerOneChangeMs.toFixed(2)} ms (first run of the process ${inproc.firstRunMs.toFixed(0)} ms)`);
    return {
      cli: path.relative(repoRoot(), cli),
      history500,
      sample,
      inProcess: inproc,
      pass: {
        ratio500: history500.ratio >= 3 && history500.headsEqual,
        ratioSample: sample.headsEqual,
        cold: inproc.contentsColdMs <= 50,
        oneChange: inproc.contentsOneChangeMs <= 5,
      },
    };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchMigrations({ log: (l) => console.log(l) }).then(
    (r) => {
      console.log(JSON.stringify(r, null, 2));
      process.exitCode = Object.values(r.pass).every(Boolean) ? 0 : 1;
    },
    (err) => {
      console.error(err);
      process.exitCode = 2;
    },
  );
}
