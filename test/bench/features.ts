import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stats } from './measure';
import type { BenchResults, FeatureOutcome } from './results';
import type { FeatureBenchContext, FeatureBenchResult } from './types';

export const PYTHON = '/usr/bin/python3';

/** The real `alembic heads`, whole process, for the generator check and as the migrations baseline. */
export function alembicHeads(dir: string, runs: number, expected: string[], deadline: number): NonNullable<BenchResults['alembicOracle']> {
  const walls: number[] = [];
  let heads: string[] = [];
  for (let i = 0; i < runs && (i === 0 || Date.now() < deadline); i++) {
    const t0 = performance.now();
    const p = spawnSync(PYTHON, ['-m', 'alembic', '-c', 'alembic.ini', 'heads'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    walls.push(performance.now() - t0);
    if (p.status !== 0) throw new Error(`alembic heads exited with ${p.status}: ${(p.stderr || p.error?.message || '').slice(-1000)}`);
    heads = [...p.stdout.matchAll(/^(\w+) \(head\)/gm)].map((m) => m[1]).sort();
  }
  return { heads, matchesGenerator: heads.join() === [...expected].sort().join(), wallMs: stats(walls) };
}

/** A result of another shape, as rows: every number, string or boolean leaf, by its key path. */
function flattenRows(value: unknown, prefix = ''): FeatureBenchResult['rows'] {
  if (value === null || value === undefined) return [];
  if (typeof value !== 'object') return [{ metric: prefix || 'result', measured: value as string, unit: /ms$/i.test(prefix) ? 'ms' : undefined }];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => flattenRows(v, prefix ? `${prefix}.${k}` : k));
}

/** Loads `out/test/bench/<name>.js` when it exists and calls its exported benchmark (see types.ts). */
export async function featureBench(name: 'migrations' | 'navigation', ctx: FeatureBenchContext): Promise<FeatureOutcome> {
  const file = path.join(__dirname, `${name}.js`);
  if (!fs.existsSync(file)) return { status: 'absent', reason: `test/bench/${name}.ts does not exist yet` };
  try {
    const mod = (await import(file)) as Record<string, unknown>;
    const names = ['run', 'bench', `bench${name[0].toUpperCase()}${name.slice(1)}`, 'default'];
    const fns = Object.entries(mod).filter(([, v]) => typeof v === 'function');
    const fn = (names.map((n) => mod[n]).find((v) => typeof v === 'function') ?? (fns.length === 1 ? fns[0][1] : undefined)) as ((c: FeatureBenchContext) => unknown) | undefined;
    if (!fn) return { status: 'absent', reason: `test/bench/${name}.ts exports no benchmark function (expected \`run(ctx)\`)` };
    const t0 = performance.now();
    const raw = (await fn(ctx)) as FeatureBenchResult | Record<string, unknown> | undefined;
    const ms = performance.now() - t0;
    const result: FeatureBenchResult = raw && Array.isArray((raw as FeatureBenchResult).rows) ? (raw as FeatureBenchResult) : { rows: flattenRows(raw) };
    return { status: 'ok', result, ms };
  } catch (err) {
    return { status: 'crashed', error: (err as Error).stack ?? String(err) };
  }
}
