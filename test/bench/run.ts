/**
 * `npm run bench`: generates the benchmark monorepo, measures the core, the CLI and the
 * extension on it (each cold figure in a fresh process), runs the feature benchmarks that
 * exist, and writes BENCHMARKS.md. A missed target is reported; only a measurement that
 * crashes makes the exit code non-zero.
 *
 * Every measurement runs at least once; repetitions (up to 5) are added while the time budget
 * (5 minutes) lasts, so slow analyzers make the report coarser, never the run endless.
 *
 *   CODENAV_BENCH_QUICK=1      1,000 files, 100 revisions, 2 runs; writes .bench/BENCHMARKS.quick.md
 *   CODENAV_BENCH_OUTPUT=F     write the report to F instead
 *   CODENAV_BENCH_BUDGET_S=N   time budget in seconds (default 300; quick 120)
 *   CODENAV_BENCH_PROFILE=1    always add CPU profiles (otherwise only for a cold index over target)
 *   --render-only              rewrite the report from the last saved results, measuring nothing
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot as findRepoRoot } from '../support/tmp';
import { measureActivation } from './activation';
import { alembicHeads, featureBench, PYTHON } from './features';
import { benchWorkspace, DEFAULT_FILES, DEFAULT_REVISIONS } from './generate';
import { machine, median, repeatChild, runNode, stats } from './measure';
import { profileScenario } from './profile';
import { readIntro, renderReport, targetRows } from './report';
import type { BenchResults } from './results';
import type { FeatureBenchContext } from './types';
import type { ColdSample, DiscoverySample, ParseAllSample, Scenario } from './worker';

const started = Date.now();
const log = (line: string) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${line}\n`);
const WORKER = path.join(__dirname, 'worker.js');

async function step<T>(r: BenchResults, what: string, fn: () => Promise<T> | T): Promise<T | undefined> {
  log(`${what} …`);
  try {
    return await fn();
  } catch (err) {
    log(`${what} crashed: ${(err as Error).message.split('\n')[0]}`);
    r.errors.push({ what, message: (err as Error).stack ?? String(err) });
    return undefined;
  }
}

/** Newest modification time below a folder (for "is dist/ older than src/?"). */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) newest = Math.max(newest, fs.statSync(path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name)).mtimeMs);
  }
  return newest;
}

function coldStats(xs: (ColdSample & { wallMs: number })[]): NonNullable<BenchResults['cold']> {
  const ids = Object.keys(xs[0].analyzers);
  const { warm: _warm, ...firstRun } = xs[0];
  return {
    ...firstRun,
    totalMs: stats(xs.map((x) => x.totalMs)),
    openMs: stats(xs.map((x) => x.openMs)),
    analyzeMs: stats(xs.map((x) => x.analyzeMs)),
    loadMs: stats(xs.map((x) => x.loadMs)),
    // The first process also ran the warm measurements: its wall time is not a cold one.
    wallMs: xs.length > 1 ? stats(xs.slice(1).map((x) => x.wallMs)) : undefined,
    maxRssMb: stats(xs.map((x) => x.coldMaxRssMb)),
    heapMb: median(xs.map((x) => x.heapMb)),
    perAnalyzer: Object.fromEntries(ids.map((id) => [id, median(xs.map((x) => x.analyzers[id]))])),
  };
}

/** `--render-only`: rewrite the report from the last results (.bench/results*.json) without measuring. */
function renderOnly(repoRoot: string, quick: boolean, output: string): number {
  const r = JSON.parse(fs.readFileSync(path.join(repoRoot, '.bench', quick ? 'results.quick.json' : 'results.json'), 'utf8')) as BenchResults;
  fs.writeFileSync(output, renderReport(r, readIntro(output)));
  log(`re-rendered ${path.relative(process.cwd(), output) || output} from the results of ${r.machine.date}`);
  return 0;
}

async function main(): Promise<number> {
  const quick = process.env.CODENAV_BENCH_QUICK === '1';
  const repoRoot = findRepoRoot();
  const runs = quick ? 2 : 5;
  const files = quick ? 1000 : DEFAULT_FILES;
  const revisions = quick ? 100 : DEFAULT_REVISIONS;
  const budgetMs = Number(process.env.CODENAV_BENCH_BUDGET_S ?? (quick ? 120 : 300)) * 1000;
  const deadline = started + budgetMs;
  /** A section may use this share of what is left of the budget. */
  const share = (f: number) => Date.now() + Math.max(0, deadline - Date.now()) * f;
  const output = process.env.CODENAV_BENCH_OUTPUT ? path.resolve(process.env.CODENAV_BENCH_OUTPUT) : quick ? path.join(repoRoot, '.bench', 'BENCHMARKS.quick.md') : path.join(repoRoot, 'BENCHMARKS.md');

  if (process.argv.includes('--render-only')) return renderOnly(repoRoot, quick, output);

  log(`workspace: ${files} files, ${revisions} revisions under .bench/ …`);
  const ws = benchWorkspace(repoRoot, { files, revisions });
  log(`workspace ${ws.reused ? 'reused' : `generated in ${ws.generatedMs} ms`}: ${ws.root}`);
  const distFile = path.join(repoRoot, 'dist', 'extension.js');
  const dist = fs.existsSync(distFile) ? { builtAt: new Date(fs.statSync(distFile).mtimeMs).toISOString(), olderThanSrc: fs.statSync(distFile).mtimeMs < newestMtime(path.join(repoRoot, 'src')) } : undefined;
  const r: BenchResults = {
    quick,
    runs,
    budgetMs,
    machine: machine(),
    loadAvg: { start: os.loadavg()[0] },
    dist,
    workspace: ws,
    features: { migrations: { status: 'absent', reason: 'not run' }, navigation: { status: 'absent', reason: 'not run' } },
    profiles: [],
    skipped: [],
    errors: [],
  };
  const root = ws.root;
  const alembicDir = path.join(root, path.dirname(ws.alembic.ini));
  const worker = <T>(times: number, s: Scenario, until?: number) => repeatChild<T>(times, `worker ${s.scenario}`, [WORKER, JSON.stringify(s)], { deadline: until });

  r.alembicOracle = await step(r, 'alembic heads (real Alembic)', () => alembicHeads(alembicDir, runs, ws.alembic.heads, share(0.03)));
  if (r.alembicOracle && !r.alembicOracle.matchesGenerator) r.errors.push({ what: 'generator check', message: `alembic heads printed ${r.alembicOracle.heads.join(', ')}; the generator built ${ws.alembic.heads.join(', ')}` });

  r.discovery = await step(r, 'discovery', async () => (await worker<DiscoverySample>(1, { scenario: 'discovery', root, runs }))[0]);

  r.activation = await step(r, `extension activation × ${runs}`, () => {
    if (!dist) throw new Error('dist/extension.js is missing: build first (npm run build)');
    return measureActivation({ repoRoot, runs });
  });

  const samples = [ws.samples.pythonService, ws.samples.tsController, ws.alembic.latestFile];
  const first = await step(r, 'cold index, then warm runs and one-file re-index in the same process', () =>
    worker<ColdSample>(1, { scenario: 'cold', root, warm: { runs, samples, deadline: share(0.3) } }),
  );
  r.warm = first?.[0].warm;
  if (r.warm) {
    const w = r.warm;
    if (!w.warmAnalyze) r.skipped.push('warm full re-run: not measured (time budget; one pass of the analyzers is the one-file re-index above)');
    else if (w.warmAnalyze.runs < runs) r.skipped.push(`warm full re-run: ${w.warmAnalyze.runs} of ${runs} runs`);
    for (const rel of samples) {
      if (!w.changes[rel]) r.skipped.push(`one-file re-index of ${rel}: not measured`);
      else if (w.changes[rel].total.runs < runs) r.skipped.push(`one-file re-index of ${rel}: ${w.changes[rel].total.runs} of ${runs} runs`);
    }
  }

  r.cli = await step(r, `codenav check (up to ${runs} runs)`, async () => {
    const cli = path.join(repoRoot, 'dist', 'cli.js');
    if (!fs.existsSync(cli)) throw new Error('dist/cli.js is missing: build first (npm run build)');
    const until = share(0.25);
    const walls: number[] = [];
    const rss: number[] = [];
    let findings = 0;
    let exitCode: number | null = null;
    for (let i = 0; i < runs && (i === 0 || Date.now() + median(walls) < until); i++) {
      const run = await runNode([cli, 'check', root, '--format', 'json']);
      if (run.code !== 0 && run.code !== 1) throw new Error(`codenav check exited with ${run.code}: ${run.stderr.slice(-1500)}`);
      findings = (JSON.parse(run.stdout) as { findings: unknown[] }).findings.length;
      exitCode = run.code;
      walls.push(run.wallMs);
      rss.push((run.rusage?.maxRSS ?? NaN) / 1024);
    }
    return { wallMs: stats(walls), maxRssMb: stats(rss), findings, exitCode };
  });

  r.parseAll = await step(r, `parse every source file (up to ${runs} runs)`, async () => {
    const xs = await worker<ParseAllSample>(runs, { scenario: 'parseAll', root }, share(0.3));
    const rep = xs.find((x) => x.totalMs === median(xs.map((y) => y.totalMs))) ?? xs[0];
    return { totalMs: stats(xs.map((x) => x.totalMs)), maxRssMb: stats(xs.map((x) => x.maxRssMb ?? NaN)), python: rep.byLang.python, typescript: rep.byLang.typescript, problems: rep.problems };
  });

  if (first) {
    // The first process also did the warm work: a cold-only run takes about its cold part.
    const coldRunMs = first[0].loadMs + first[0].totalMs + 1000;
    const more = await step(r, 'more cold runs', () => (runs > 1 && Date.now() + coldRunMs < share(0.5) ? worker<ColdSample>(runs - 1, { scenario: 'cold', root }, share(0.5)) : Promise.resolve([])));
    r.cold = coldStats([first[0], ...(more ?? [])]);
    if (r.cold.totalMs.runs < runs) r.skipped.push(`cold index: ${r.cold.totalMs.runs} of ${runs} runs (one run takes ${Math.round(coldRunMs / 1000)} s)`);
  }

  const ctx: FeatureBenchContext = {
    repoRoot,
    workspace: root,
    generated: ws,
    alembic: { dir: alembicDir, ini: path.join(root, ws.alembic.ini), versionsDir: path.join(root, ws.alembic.versionsDir), revisions: ws.alembic.revisions, heads: ws.alembic.heads },
    sample: path.join(repoRoot, 'test', 'fixtures', 'sample'),
    runs,
    quick,
    python: PYTHON,
    deadline: share(0.8),
    log: (line) => log(`  ${line}`),
  };
  for (const name of ['migrations', 'navigation'] as const) {
    log(`feature benchmark: ${name} …`);
    const f = (r.features[name] = await featureBench(name, ctx));
    if (f.status === 'crashed') r.errors.push({ what: `test/bench/${name}.ts`, message: f.error });
    log(`feature benchmark: ${name}: ${f.status}${f.status === 'absent' ? ` (${f.reason})` : ''}`);
  }

  await profiles(r, repoRoot, root, deadline);

  if (r.activation && first) {
    const coldWall = first[0].loadMs + first[0].totalMs;
    if (Date.now() + coldWall + 10_000 < deadline) {
      const withFolder = await step(r, 'first analysis after activation', () => measureActivation({ repoRoot, runs: 1, folder: root, waitMs: Math.max(30_000, coldWall * 2) }));
      if (withFolder) Object.assign(r.activation, { firstAnalysisMs: withFolder.firstAnalysisMs, firstAnalysisLine: withFolder.samples[0]?.firstAnalysisLine, firstAnalysisErrors: withFolder.samples[0]?.errors ?? [] });
    } else r.skipped.push('first analysis after activation: not measured (time budget)');
  }

  r.loadAvg.end = os.loadavg()[0];
  r.elapsedMs = Date.now() - started;
  fs.mkdirSync(path.dirname(output), { recursive: true });
  fs.writeFileSync(output, renderReport(r, readIntro(output)));
  fs.writeFileSync(path.join(repoRoot, '.bench', quick ? 'results.quick.json' : 'results.json'), JSON.stringify(r, null, 2) + '\n');
  for (const t of targetRows(r)) log(`${t.ok === undefined ? '–' : t.ok ? '✓' : '✗'} ${t.what}: ${t.measured} (target ${t.target})`);
  log(`wrote ${path.relative(process.cwd(), output) || output}${r.errors.length ? `; ${r.errors.length} measurement(s) crashed` : ''}`);
  return r.errors.length ? 1 : 0;
}

/** CPU profiles of what misses its target: on the benchmark workspace when time allows, else on the 1,000-file one. */
async function profiles(r: BenchResults, repoRoot: string, root: string, deadline: number): Promise<void> {
  const always = process.env.CODENAV_BENCH_PROFILE === '1';
  const wanted: { label: string; scenario: Scenario; ms: number }[] = [];
  if (r.cold && (always || r.cold.totalMs.median > 3000)) wanted.push({ label: 'Cold full index', scenario: { scenario: 'cold', root }, ms: r.cold.loadMs.median + r.cold.totalMs.median });
  if (r.parseAll && (always || r.parseAll.totalMs.median > 3000)) wanted.push({ label: 'Every source file parsed', scenario: { scenario: 'parseAll', root }, ms: r.parseAll.totalMs.median });
  for (const w of wanted) {
    let scenario = w.scenario;
    let label = w.label;
    if (Date.now() + w.ms * 1.3 > deadline && !r.quick) {
      const small = benchWorkspace(repoRoot, { files: 1000, revisions: 100 });
      scenario = { ...w.scenario, root: small.root } as Scenario;
      label = `${w.label}, on the 1,000-file workspace (the 10k run takes ${Math.round(w.ms / 1000)} s; over the time budget)`;
    }
    const p = await step(r, `profile: ${label}`, () => profileScenario(repoRoot, WORKER, scenario, `${r.quick ? 'quick-' : ''}${w.label.toLowerCase().replace(/\W+/g, '-')}`));
    if (p) r.profiles.push({ label, summary: p });
  }
}

main().then(
  (code) => (process.exitCode = code),
  (err) => {
    process.stderr.write(`bench: ${(err as Error).stack ?? err}\n`);
    process.exitCode = 1;
  },
);
