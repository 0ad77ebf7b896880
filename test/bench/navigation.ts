import * as fs from 'node:fs';
import * as path from 'node:path';
import { navigationAnalyzer } from '../../src/core/navigation';
import { Workspace } from '../../src/core/workspace/workspace';
import { median } from './measure';
import type { FeatureBenchContext, FeatureBenchResult } from './types';
import { TARGET_IDS } from './types';

export interface NavigationBenchNumbers {
  files: number;
  /** Open the workspace and build the services index from nothing (parsing included). */
  coldMs: number;
  /** Run the analyzer again with nothing changed. */
  warmMs: number;
  /** Median time from `ws.update(file)` after a one-file save to the new index. */
  updateMs: number;
  updateRuns: number;
  /** Files parsed by the cold run, and by one update (1 when only the saved file is re-read). */
  parsedCold: number;
  parsedPerUpdate: number;
  services: number;
  routes: number;
  deprecations: number;
}

/** A Python file the index cares about: a router, else a service module, else any Python file. */
function pickFile(ws: Workspace, preferred?: string): string {
  if (preferred && ws.has(preferred)) return preferred;
  const py = ws.files.filter((f) => f.language === 'python');
  return (py.find((f) => /router\.py$/.test(f.path)) ?? py.find((f) => /service\.py$/.test(f.path)) ?? py[0] ?? ws.files[0]).path;
}

/**
 * Cold index and one-file re-index of the services index on `root`. The
 * update edits one file (appending a comment, as a save would), measures
 * `ws.update` + the analyzer, and restores the file's bytes afterwards.
 */
export async function measureNavigation(root: string, options: { runs?: number; file?: string } = {}): Promise<NavigationBenchNumbers> {
  const runs = Math.max(1, options.runs ?? 5);
  const t0 = performance.now();
  const ws = await Workspace.open(root);
  const cold = await navigationAnalyzer.run(ws);
  const coldMs = performance.now() - t0;
  const parsedCold = ws.cache.parses;

  const w0 = performance.now();
  await navigationAnalyzer.run(ws);
  const warmMs = performance.now() - w0;

  const rel = pickFile(ws, options.file);
  const abs = path.join(root, ...rel.split('/'));
  const original = fs.readFileSync(abs);
  const times: number[] = [];
  const parsesBefore = ws.cache.parses;
  try {
    for (let i = 0; i < runs; i++) {
      fs.writeFileSync(abs, Buffer.concat([original, Buffer.from(`\n# codenav bench edit ${i}\n`)]));
      const u0 = performance.now();
      await ws.update(rel);
      await navigationAnalyzer.run(ws);
      times.push(performance.now() - u0);
    }
  } finally {
    fs.writeFileSync(abs, original);
  }
  return {
    files: ws.files.length,
    coldMs,
    warmMs,
    updateMs: median(times),
    updateRuns: runs,
    parsedCold,
    parsedPerUpdate: (ws.cache.parses - parsesBefore) / runs,
    services: cold.data.services.length,
    routes: cold.data.routes.length,
    deprecations: cold.data.deprecations.length,
  };
}

/** The runner's entry point (test/bench/run.ts): rows for BENCHMARKS.md. */
export async function run(ctx: FeatureBenchContext): Promise<FeatureBenchResult> {
  const n = await measureNavigation(ctx.workspace, { runs: ctx.quick ? 2 : 7, file: ctx.generated.samples.pythonRouter });
  const r = (x: number) => Math.round(x * 10) / 10;
  ctx.log(`navigation: cold ${r(n.coldMs)} ms, update ${r(n.updateMs)} ms (${n.files} files, ${n.services} services, ${n.routes} routes)`);
  return {
    rows: [
      { id: TARGET_IDS.navigationColdMs, metric: 'services index, cold (open + parse + index)', measured: r(n.coldMs), unit: 'ms' },
      { id: TARGET_IDS.navigationUpdateMs, metric: 'one-file save → updated index (median)', measured: r(n.updateMs), unit: 'ms', target: '≤ 50 ms', ok: n.updateMs <= 50 },
      { metric: 'unchanged re-run', measured: r(n.warmMs), unit: 'ms' },
      { metric: 'files parsed cold / per update', measured: `${n.parsedCold} / ${n.parsedPerUpdate}` },
      { metric: 'indexed', measured: `${n.files} files, ${n.services} services, ${n.routes} routes, ${n.deprecations} deprecations` },
    ],
  };
}
