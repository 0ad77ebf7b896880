/**
 * One benchmark scenario in a fresh Node process (so caches and peak memory are honest):
 * `node out/test/bench/worker.js '<json>'`. Prints one result line (see measure.ts).
 * Uses the unbundled core from out/src, the same code `codenav check` runs.
 */
import * as fs from 'node:fs';
import { emitResult, median, stats } from './measure';

/** Warm runs and one-file changes after the cold run, in the same process, until `deadline` (epoch ms; each loop runs at least once). */
export interface WarmPlan {
  runs: number;
  samples: string[];
  deadline: number;
}

export type Scenario =
  | { scenario: 'cold'; root: string; warm?: WarmPlan }
  | { scenario: 'parseAll'; root: string }
  | { scenario: 'discovery'; root: string; runs: number };

type Core = typeof import('../../src/core/analyzers') & typeof import('../../src/core/workspace/workspace') & typeof import('../../src/core/workspace/discovery');
type Ws = import('../../src/core/workspace/workspace').Workspace;

function loadCore(): { core: Core; loadMs: number } {
  const t0 = performance.now();
  const core = {
    ...(require('../../src/core/analyzers') as typeof import('../../src/core/analyzers')),
    ...(require('../../src/core/workspace/workspace') as typeof import('../../src/core/workspace/workspace')),
    ...(require('../../src/core/workspace/discovery') as typeof import('../../src/core/workspace/discovery')),
  };
  return { core, loadMs: performance.now() - t0 };
}

/** Wraps every analyzer's `run` so each pass records how long each one took. */
function instrument(core: Core): Map<string, number> {
  const last = new Map<string, number>();
  for (const a of core.ANALYZERS) {
    const original = a.run.bind(a);
    (a as { run: typeof a.run }).run = async (ws, options) => {
      const t0 = performance.now();
      try {
        return await original(ws, options);
      } finally {
        last.set(a.id, performance.now() - t0);
      }
    };
  }
  return last;
}

async function analyze(core: Core, ws: Ws, perAnalyzer: Map<string, number>) {
  perAnalyzer.clear();
  const t0 = performance.now();
  const run = await core.runAnalyzers(ws);
  const ms = performance.now() - t0;
  return { ms, run, analyzers: Object.fromEntries(perAnalyzer) };
}

async function parseAll(ws: Ws) {
  const byLang = { python: { files: 0, bytes: 0, ms: 0 }, typescript: { files: 0, bytes: 0, ms: 0 } };
  for (const f of ws.files) {
    if (f.language === 'other') continue;
    const t0 = performance.now();
    await ws.facts(f.path);
    const slot = byLang[f.language];
    slot.ms += performance.now() - t0;
    slot.files++;
    slot.bytes += f.size;
  }
  return byLang;
}

const heapMb = () => process.memoryUsage().heapUsed / 2 ** 20;

async function cold(root: string, plan?: WarmPlan) {
  const { core, loadMs } = loadCore();
  const per = instrument(core);
  const t0 = performance.now();
  const ws = await core.Workspace.open(root);
  const openMs = performance.now() - t0;
  const a = await analyze(core, ws, per);
  const result = {
    loadMs,
    openMs,
    analyzeMs: a.ms,
    totalMs: openMs + a.ms,
    analyzers: a.analyzers,
    notices: Object.fromEntries(Object.entries(a.run.results).map(([id, r]) => [id, r?.notice ?? null])),
    failures: a.run.failures.map((f) => `${f.id}: ${f.message.split('\n')[0]}`),
    findings: a.run.findings.length,
    files: ws.files.length,
    skipped: ws.skipped.length,
    method: ws.discoveryMethod,
    parses: ws.cache.parses,
    heapMb: heapMb(),
    // Peak RSS of the cold run itself, read before any warm run adds to it.
    coldMaxRssMb: process.resourceUsage().maxRSS / 1024,
  };
  return { ...result, warm: plan ? await warm(core, ws, per, plan) : undefined };
}

async function parseAllScenario(root: string) {
  const { core } = loadCore();
  const t0 = performance.now();
  const ws = await core.Workspace.open(root);
  const openMs = performance.now() - t0;
  const byLang = await parseAll(ws);
  return { openMs, totalMs: performance.now() - t0, byLang, parses: ws.cache.parses, problems: ws.problems.size, heapMb: heapMb() };
}

/** A realistic save: a method appended to the last class (Python) or a new export (TypeScript). */
function edited(rel: string, original: string, i: number): string {
  const sep = original.endsWith('\n') ? '' : '\n';
  return rel.endsWith('.py') ? `${original}${sep}\n    def bench_probe_${i}(self) -> int:\n        return ${i}\n` : `${original}${sep}\nexport function benchProbe${i}(): number {\n  return ${i};\n}\n`;
}

/** Loops until `runs` iterations or the deadline, whichever comes first, but at least `min` times. */
async function loop(runs: number, deadline: number, body: (i: number) => Promise<void>, min = 1): Promise<void> {
  for (let i = 0; i < runs && (i < min || Date.now() < deadline); i++) await body(i);
}

async function warm(core: Core, ws: Ws, per: Map<string, number>, plan: WarmPlan) {
  const { runs, samples, deadline } = plan;
  await parseAll(ws);
  const warmParse: number[] = [];
  await loop(runs, deadline, async () => {
    const t0 = performance.now();
    await ws.reload();
    await parseAll(ws);
    warmParse.push(performance.now() - t0);
  });
  const changes: Record<string, { totalMs: number; updateMs: number; parseMs: number; analyzeMs: number; analyzers: Record<string, number> }[]> = {};
  for (const [n, rel] of samples.entries()) {
    if (n > 0 && Date.now() >= deadline) break;
    const abs = ws.abs(rel);
    const original = fs.readFileSync(abs, 'utf8');
    const list = (changes[rel] = [] as (typeof changes)[string]);
    try {
      await loop(runs, deadline, async (i) => {
        fs.writeFileSync(abs, edited(rel, original, i));
        const t0 = performance.now();
        await ws.update(rel);
        const t1 = performance.now();
        await ws.facts(rel);
        const t2 = performance.now();
        const a = await analyze(core, ws, per);
        list.push({ totalMs: performance.now() - t0, updateMs: t1 - t0, parseMs: t2 - t1, analyzeMs: a.ms, analyzers: a.analyzers });
      });
    } finally {
      fs.writeFileSync(abs, original);
      await ws.update(rel);
    }
  }
  // The full re-run comes after the one-file changes (the targets): it may be left out when time is up.
  const warmAnalyze: number[] = [];
  const warmPer: Record<string, number[]> = {};
  await loop(runs, deadline, async () => {
    const t0 = performance.now();
    await ws.reload();
    const a = await analyze(core, ws, per);
    warmAnalyze.push(performance.now() - t0);
    for (const [id, ms] of Object.entries(a.analyzers)) (warmPer[id] ??= []).push(ms);
  }, 0);
  return {
    warmAnalyze: warmAnalyze.length ? stats(warmAnalyze) : undefined,
    warmPerAnalyzer: Object.fromEntries(Object.entries(warmPer).map(([id, xs]) => [id, median(xs)])),
    warmParseAll: stats(warmParse),
    changes: Object.fromEntries(
      Object.entries(changes).map(([rel, list]) => [
        rel,
        {
          total: stats(list.map((c) => c.totalMs)),
          updateMs: median(list.map((c) => c.updateMs)),
          parseMs: median(list.map((c) => c.parseMs)),
          analyzeMs: median(list.map((c) => c.analyzeMs)),
          analyzers: Object.fromEntries(Object.keys(list[0]?.analyzers ?? {}).map((id) => [id, median(list.map((c) => c.analyzers[id] ?? 0))])),
        },
      ]),
    ),
  };
}

async function discovery(root: string, runs: number) {
  const { core } = loadCore();
  const git: number[] = [];
  const walk: number[] = [];
  let counts = { git: 0, walk: 0 };
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now();
    const g = await core.discover(root);
    git.push(performance.now() - t0);
    t0 = performance.now();
    const w = await core.discover(root, { noGit: true });
    walk.push(performance.now() - t0);
    counts = { git: g.files.length, walk: w.files.length };
    if (g.method !== 'git') throw new Error(`discovery used ${g.method}, not git`);
  }
  return { gitMs: median(git), walkMs: median(walk), counts };
}

export type ColdSample = Awaited<ReturnType<typeof cold>>;
export type ParseAllSample = Awaited<ReturnType<typeof parseAllScenario>>;
export type WarmSample = NonNullable<ColdSample['warm']>;
export type DiscoverySample = Awaited<ReturnType<typeof discovery>>;

async function main(s: Scenario): Promise<unknown> {
  switch (s.scenario) {
    case 'cold':
      return cold(s.root, s.warm);
    case 'parseAll':
      return parseAllScenario(s.root);
    case 'discovery':
      return discovery(s.root, s.runs);
  }
}

if (require.main === module) {
  main(JSON.parse(process.argv[2]) as Scenario).then(
    (r) => emitResult(r),
    (err) => {
      process.stderr.write(`${(err as Error).stack ?? err}\n`);
      process.exitCode = 1;
    },
  );
}
