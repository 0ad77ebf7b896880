import * as fs from 'node:fs';
import type { BenchResults, FeatureOutcome } from './results';
import { TARGET_IDS, type BenchRow } from './types';

export const INTRO_START = '<!-- bench:intro:start -->';
export const INTRO_END = '<!-- bench:intro:end -->';

const DEFAULT_INTRO = `# Benchmarks

\`npm run bench\` generates a synthetic monorepo (about 10,000 files: a FastAPI backend, a
500-revision Alembic history, Next.js and NestJS TypeScript, docs and fixtures) under
\`.bench/\`, measures the core, the CLI and the extension on it, and rewrites everything below
the intro. Each cold figure comes from a fresh Node process; times are medians. A missed target
is reported, not fatal. \`CODENAV_BENCH_QUICK=1 npm run bench\` runs a small smoke version (1,000
files, 2 runs) and writes \`.bench/BENCHMARKS.quick.md\` instead.`;

/** The hand-written intro of an existing BENCHMARKS.md (between the markers), or the default. */
export function readIntro(file: string): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    const a = text.indexOf(INTRO_START);
    const b = text.indexOf(INTRO_END);
    if (a >= 0 && b > a) return text.slice(a + INTRO_START.length, b).trim();
  } catch {
    /* first run */
  }
  return DEFAULT_INTRO;
}

export const fmtMs = (ms: number | undefined): string => (ms === undefined || !Number.isFinite(ms) ? '–' : ms >= 100 ? `${Math.round(ms).toLocaleString('en-US')} ms` : `${ms.toFixed(1)} ms`);
const fmtMb = (mb: number | undefined): string => (mb === undefined || !Number.isFinite(mb) ? '–' : `${Math.round(mb)} MB`);
const mark = (ok: boolean | undefined): string => (ok === undefined ? '–' : ok ? '✓' : '✗');
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function featureRow(outcome: FeatureOutcome, id: string, fallback: RegExp): BenchRow | undefined {
  if (outcome.status !== 'ok') return undefined;
  return outcome.result.rows.find((r) => r.id === id) ?? outcome.result.rows.find((r) => !r.id && fallback.test(r.metric));
}

function featureMeasured(outcome: FeatureOutcome, name: string, row: BenchRow | undefined, check: (v: number | boolean) => boolean, suffix = ''): { measured: string; ok?: boolean } {
  if (outcome.status === 'absent') return { measured: `not measured (${outcome.reason})` };
  if (outcome.status === 'crashed') return { measured: `crashed: ${outcome.error.split('\n')[0]}`, ok: false };
  if (!row) return { measured: `not reported by test/bench/${name}.ts` };
  const v = row.measured;
  const text = typeof v === 'number' ? (row.unit === 'ms' ? fmtMs(v) : `${Math.round(v * 100) / 100}${row.unit ? ` ${row.unit}` : suffix}`) : String(v);
  return { measured: text, ok: row.ok ?? (typeof v === 'number' || typeof v === 'boolean' ? check(v) : undefined) };
}

interface Target {
  what: string;
  target: string;
  measured: string;
  ok?: boolean;
}

export function targetRows(r: BenchResults): Target[] {
  const rows: Target[] = [];
  const n = r.workspace.files.toLocaleString('en-US');
  const cores = `${r.machine.cpus} cores`;
  const num = (what: string, target: string, ms: number | undefined, limit: number, unit: 'ms' | 'MB' = 'ms') =>
    rows.push({ what, target, measured: ms === undefined ? 'not measured' : unit === 'ms' ? fmtMs(ms) : fmtMb(ms), ok: ms === undefined || !Number.isFinite(ms) ? undefined : ms <= limit });
  num(`Cold full index, in-process (discovery + all analyzers), ${n} files, ${cores}`, '≤ 3 s', r.cold?.totalMs.median, 3000);
  num(`Cold \`codenav check --format json\`, whole process (dist/cli.js)`, '≤ 3 s', r.cli?.wallMs.median, 3000);
  num(`Ceiling: cold index if every Python/TS file is parsed`, '≤ 3 s', r.parseAll?.totalMs.median, 3000);
  for (const [rel, c] of Object.entries(r.warm?.changes ?? {})) num(`One-file re-index: \`${rel.split('/').slice(-2).join('/')}\` (update + parse + all analyzers)`, '≤ 30 ms', c.total.median, 30);
  num('Extension activation (require + activate of dist/extension.js)', '≤ 100 ms', r.activation?.totalMs, 100);
  num('Peak memory (max RSS) of the cold index process', '≤ 300 MB', r.cold?.maxRssMb.median, 300, 'MB');
  num('Peak memory (max RSS) of `codenav check`, whole process', '≤ 300 MB', r.cli?.maxRssMb.median, 300, 'MB');
  num('Peak memory (max RSS) when every file is parsed', '≤ 300 MB', r.parseAll?.maxRssMb.median, 300, 'MB');
  const m = r.features.migrations;
  const speed = featureMeasured(m, 'migrations', featureRow(m, TARGET_IDS.migrationsSpeedup, /speed|faster|ratio/i), (v) => Number(v) >= 3, '×');
  const same = featureMeasured(m, 'migrations', featureRow(m, TARGET_IDS.migrationsIdenticalHeads, /identical|same heads|heads ?equal/i), (v) => v === true);
  // The speed-up counts only with identical heads.
  if (speed.ok && same.ok === false) Object.assign(speed, { ok: false, measured: `${speed.measured}, but the heads differ` });
  rows.push({ what: 'Migrations: whole process vs `alembic heads`', target: '≥ 3× faster', ...speed });
  rows.push({ what: 'Migrations: heads identical to Alembic', target: 'identical', ...same });
  const mc = featureMeasured(m, 'migrations', featureRow(m, TARGET_IDS.migrationsColdMs, /cold/i), (v) => Number(v) <= 50);
  rows.push({ what: `Migrations: contents → heads in-process, cold (${r.workspace.alembic.revisions} revisions)`, target: '≤ 50 ms', ...mc });
  const mu = featureMeasured(m, 'migrations', featureRow(m, TARGET_IDS.migrationsChangeMs, /change|update|increment/i), (v) => Number(v) <= 5);
  rows.push({ what: 'Migrations: heads after one file changes', target: '≤ 5 ms', ...mu });
  const nav = r.features.navigation;
  const nc = featureMeasured(nav, 'navigation', featureRow(nav, TARGET_IDS.navigationColdMs, /cold/i), () => true);
  rows.push({ what: 'Services index, cold (reported; part of the cold index)', target: '–', ...nc, ok: nc.ok === false ? false : undefined });
  const nu = featureMeasured(nav, 'navigation', featureRow(nav, TARGET_IDS.navigationUpdateMs, /update|change|increment/i), (v) => Number(v) <= 50);
  rows.push({ what: 'Services index: one-file update', target: '≤ 50 ms', ...nu });
  if (r.dist?.olderThanSrc) {
    // A stale bundle says nothing about the code under review.
    for (const t of rows) if (/dist\/|`codenav check`/.test(t.what) && t.measured !== 'not measured') Object.assign(t, { measured: `${t.measured} (stale dist/, not comparable)`, ok: undefined });
  }
  return rows;
}

function statsLine(s: { median: number; min: number; max: number; runs: number } | undefined): string {
  return s ? `${fmtMs(s.median)} (min ${fmtMs(s.min)}, max ${fmtMs(s.max)}, ${s.runs} run${s.runs === 1 ? '' : 's'})` : '–';
}

function featureSection(name: string, outcome: FeatureOutcome): string[] {
  const out = [`### ${name}`, ''];
  if (outcome.status === 'absent') return [...out, `Not measured: ${outcome.reason}.`, ''];
  if (outcome.status === 'crashed') return [...out, 'The benchmark crashed:', '', '```', outcome.error.slice(0, 2000), '```', ''];
  out.push(`(${fmtMs(outcome.ms)} in all)`, '', '| metric | measured | target | |', '|---|---|---|---|');
  for (const row of outcome.result.rows) {
    const m = row.measured;
    const v = typeof m === 'number' ? (row.unit === 'ms' ? fmtMs(m) : `${Math.round(m * 100) / 100}${row.unit ? ` ${row.unit}` : ''}`) : String(m);
    out.push(`| ${cell(row.metric)}${row.note ? ` (${cell(row.note)})` : ''} | ${cell(v)} | ${cell(row.target ?? '–')} | ${mark(row.ok)} |`);
  }
  for (const n of outcome.result.notes ?? []) out.push('', `- ${n}`);
  return [...out, ''];
}

export function renderReport(r: BenchResults, intro: string): string {
  const w = r.workspace;
  const L: string[] = [INTRO_START, intro, INTRO_END, '', '<!-- Everything below is written by `npm run bench` (test/bench/run.ts); edit the intro above instead. -->', ''];
  if (r.quick) L.push(`> **Quick run** (\`CODENAV_BENCH_QUICK=1\`): ${w.files.toLocaleString('en-US')} files, ${r.runs} runs. The targets apply to the full run.`, '');
  const m = r.machine;
  const load = `load average ${r.loadAvg.start.toFixed(1)} at the start, ${r.loadAvg.end?.toFixed(1) ?? '?'} at the end`;
  L.push('## Machine', '', `${m.date} · ${m.cpus} CPUs (\`nproc\`) · ${m.cpuModel} · ${m.memoryGb} GB RAM · Node ${m.node} · ${m.platform}${m.git ? ` · ${m.git}` : ''}${m.python ? ` · ${m.python}` : ''}`, '');
  L.push(`Whole run ${r.elapsedMs ? Math.round(r.elapsedMs / 1000) : '?'} s (budget ${Math.round(r.budgetMs / 1000)} s) · ${load}${Math.max(r.loadAvg.start, r.loadAvg.end ?? 0) > m.cpus ? ' (**the machine was busy with other work: times are inflated**)' : ''}.`, '');
  if (r.dist) L.push(`dist/ (CLI and activation rows) built ${r.dist.builtAt}${r.dist.olderThanSrc ? ' — **older than src/**: those rows measure a stale bundle (`npm run bench` rebuilds it first)' : ''}.`, '');
  else L.push('dist/ is missing: the CLI and activation rows are not measured (`npm run bench` builds it first).', '');
  const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MB`;
  L.push(
    '## Workspace',
    '',
    `${w.files.toLocaleString('en-US')} files, ${mb(w.bytes)} (seed ${w.seed}, generated in ${fmtMs(w.generatedMs)}${w.reused ? ', reused from .bench/' : ''}, git-committed: ${w.git ? 'yes' : 'no'}): ` +
      `${w.counts.python.toLocaleString('en-US')} Python, ${w.counts.typescript.toLocaleString('en-US')} TypeScript, ${w.counts.alembic} Alembic (${w.alembic.revisions} revisions, ${w.alembic.merges.length} merges, ${w.alembic.branchPoints} branch points, head \`${w.alembic.heads.join(', ')}\`), ${w.counts.other} other.`,
    '',
    `By extension: ${Object.entries(w.byExtension).map(([e, c]) => `${e} ${c}`).join(', ')}.`,
    '',
  );
  if (r.alembicOracle) L.push(`Real \`alembic heads\` on it: \`${r.alembicOracle.heads.join(', ')}\` (${r.alembicOracle.matchesGenerator ? 'matches the generator' : '**differs from the generator**'}), ${statsLine(r.alembicOracle.wallMs)} per whole process.`, '');

  L.push('## Targets', '', '| what | target | measured | |', '|---|---|---|---|');
  for (const t of targetRows(r)) L.push(`| ${cell(t.what)} | ${t.target} | ${cell(t.measured)} | ${mark(t.ok)} |`);
  L.push('');

  L.push('## Details', '');
  if (r.cold) {
    const c = r.cold;
    L.push(
      '### Cold full index (fresh process each run, unbundled core from out/src)',
      '',
      `- total ${statsLine(c.totalMs)}: open (config + discovery via ${c.method}) ${fmtMs(c.openMs.median)}, analyzers ${fmtMs(c.analyzeMs.median)}; loading the core modules ${fmtMs(c.loadMs.median)}${c.wallMs ? `; whole process ${fmtMs(c.wallMs.median)}` : ''}`,
      `- ${c.files.toLocaleString('en-US')} files discovered, ${c.skipped} skipped, ${c.parses} files parsed, ${c.findings} findings; heap after the run ${fmtMb(c.heapMb)}, max RSS ${fmtMb(c.maxRssMb.median)}`,
      `- per analyzer: ${Object.entries(c.perAnalyzer).map(([id, ms]) => `${id} ${fmtMs(ms)}`).join(', ')}`,
    );
    const notices = Object.entries(c.notices).filter(([, n]) => n);
    if (notices.length) L.push(`- notices: ${notices.map(([id, n]) => `${id}: "${n}"`).join('; ')}`);
    for (const f of c.failures) L.push(`- analyzer failure: ${f}`);
    L.push('');
  }
  if (r.cli) L.push('### `codenav check --format json` (dist/cli.js, whole process)', '', `- ${statsLine(r.cli.wallMs)}, max RSS ${fmtMb(r.cli.maxRssMb.median)}, exit code ${r.cli.exitCode}, ${r.cli.findings} findings`, '');
  if (r.parseAll) {
    const p = r.parseAll;
    const rate = (x: { bytes: number; ms: number }) => `${((x.bytes / 2 ** 20) / (x.ms / 1000)).toFixed(1)} MB/s`;
    L.push(
      '### Every source file parsed (the ceiling if analyzers had no pre-filter)',
      '',
      `- total ${statsLine(p.totalMs)}, max RSS ${fmtMb(p.maxRssMb.median)}`,
      `- Python (tree-sitter): ${p.python.files} files, ${mb(p.python.bytes)} in ${fmtMs(p.python.ms)} (${rate(p.python)}); TypeScript (ts.createSourceFile): ${p.typescript.files} files, ${mb(p.typescript.bytes)} in ${fmtMs(p.typescript.ms)} (${rate(p.typescript)}); ${p.problems} problems`,
      '',
    );
  }
  if (r.warm) {
    const wm = r.warm;
    L.push(
      '### Warm (same process, primed fact cache)',
      '',
      wm.warmAnalyze ? `- full re-run (reload + all analyzers): ${statsLine(wm.warmAnalyze)}; per analyzer: ${Object.entries(wm.warmPerAnalyzer).map(([id, ms]) => `${id} ${fmtMs(ms)}`).join(', ')}` : '- full re-run: not measured (time budget)',
      `- every source file through the fact cache (reload + read + hash, no parse): ${statsLine(wm.warmParseAll)}`,
    );
    for (const [rel, c] of Object.entries(wm.changes)) {
      L.push(`- one file changed, \`${rel}\`: ${statsLine(c.total)} = update ${fmtMs(c.updateMs)} + parse ${fmtMs(c.parseMs)} + analyzers ${fmtMs(c.analyzeMs)} (${Object.entries(c.analyzers).map(([id, ms]) => `${id} ${fmtMs(ms)}`).join(', ')})`);
    }
    L.push('');
  }
  if (r.discovery) L.push('### Discovery', '', `- \`git ls-files\`: ${fmtMs(r.discovery.gitMs)} (${r.discovery.counts.git} files); walk without git (fast-glob + .gitignore): ${fmtMs(r.discovery.walkMs)} (${r.discovery.counts.walk} files)`, '');
  if (r.activation) {
    const a = r.activation;
    const s = a.samples[0];
    L.push(
      '### Extension activation (dist/extension.js in plain Node with a fake `vscode`)',
      '',
      `- require ${fmtMs(a.requireMs)} + activate ${fmtMs(a.activateMs)} = ${fmtMs(a.totalMs)} (median of ${a.runs}; min ${fmtMs(Math.min(...a.samples.map((x) => x.totalMs)))}, max ${fmtMs(Math.max(...a.samples.map((x) => x.totalMs)))}); ${s?.subscriptions ?? 0} subscriptions; max RSS ${fmtMb(a.maxRssMb)}`,
      `- loaded during activation: ${s?.loadedEagerly.length ? s.loadedEagerly.join(', ') : 'neither ts-morph/TypeScript nor the tree-sitter wasm (lazy, as intended)'}`,
      `- first analysis of the benchmark folder after activation (one run, bundled core): ${fmtMs(a.firstAnalysisMs)}${a.firstAnalysisLine ? ` (\`${cell(a.firstAnalysisLine.slice(0, 160))}\`)` : ''}`,
    );
    const errs = [...new Set([...a.samples.flatMap((x) => x.errors), ...(a.firstAnalysisErrors ?? [])])];
    for (const e of errs.slice(0, 5)) L.push(`- logged: ${cell(e)}`);
    L.push('');
  }
  L.push('## Feature benchmarks', '', ...featureSection('Migrations (test/bench/migrations.ts)', r.features.migrations), ...featureSection('Service navigation (test/bench/navigation.ts)', r.features.navigation));
  if (r.profiles.length) {
    L.push('## Where the time goes', '');
    for (const p of r.profiles) {
      L.push(`### ${p.label} (\`--cpu-prof\`, ${fmtMs(p.summary.totalMs)} profiled; \`${p.summary.file.replace(/^.*\/\.bench\//, '.bench/')}\`)`, '', '| module | self time | % |', '|---|---|---|');
      for (const h of p.summary.modules.slice(0, 8)) L.push(`| ${cell(h.name)} | ${fmtMs(h.selfMs)} | ${h.percent.toFixed(1)} |`);
      L.push('', '| function | where | self time | % |', '|---|---|---|---|');
      for (const h of p.summary.functions.slice(0, 12)) L.push(`| ${cell(h.name)} | ${cell(h.where)} | ${fmtMs(h.selfMs)} | ${h.percent.toFixed(1)} |`);
      L.push('');
    }
  }
  if (r.skipped.length) {
    L.push('## Cut short by the time budget', '');
    for (const x of r.skipped) L.push(`- ${x}`);
    L.push('');
  }
  if (r.errors.length) {
    L.push('## Measurements that crashed', '');
    for (const e of r.errors) L.push(`- **${e.what}**:`, '', '```', e.message.slice(0, 3000), '```', '');
  }
  return L.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}
