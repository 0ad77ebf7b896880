import fs = require('node:fs');
import type { Analyzer, AnalyzeOptions, AnalyzerResult } from '../analyzer';
import { throwIfCancelled } from '../analyzer';
import { sortFindings, type Finding } from '../findings';
import type { Workspace } from '../workspace/workspace';
import { AlembicAnalysis, type AlembicEnvResult } from './alembic/analyze';
import { discoverAlembic } from './alembic/discover';
import { joinRel } from './alembic/envSpec';
import { againstBase } from './against';
import { analyzeDjango } from './django/analyze';
import { planMerge, type MergeOptions, type MergePlan } from './mergeWriter';
import { OutlineCache } from './pyreader/outlines';
import type { EnvironmentSummary, MigrationsData } from './summary';

export type { EnvironmentSummary, MigrationsData, RevisionNode } from './summary';
export type { MergePlan } from './mergeWriter';

/** Per-workspace state, so a re-run after one file changed reuses everything else. */
interface State {
  outlines: OutlineCache;
  alembic: AlembicAnalysis;
  last?: AlembicEnvResult[];
  /** The last run without `against`: the workspace generation it started from, and the files it read. */
  memo?: { generation: number; reads: ReadonlySet<string>; result: AnalyzerResult<MigrationsData> };
}

const states = new WeakMap<Workspace, State>();

export function migrationState(ws: Workspace): State {
  let s = states.get(ws);
  if (!s) {
    const outlines = new OutlineCache();
    s = { outlines, alembic: new AlembicAnalysis(outlines) };
    states.set(ws, s);
  }
  return s;
}

/** The Alembic environments of the last run on this workspace (for the merge writer). */
export function lastAlembicResults(ws: Workspace): readonly AlembicEnvResult[] {
  return states.get(ws)?.last ?? [];
}

/**
 * The files the migration analysis reads: Python modules (revisions, `env.py`, Django
 * migrations and apps, the modules constants come from), ini files, `pyproject.toml`, and
 * `script.py.mako` templates for the merge fix.
 */
export function migrationInput(rel: string): boolean {
  return rel.endsWith('.py') || rel.endsWith('.ini') || rel.endsWith('.mako') || rel === 'pyproject.toml' || rel.endsWith('/pyproject.toml');
}

export const migrationsAnalyzer: Analyzer<MigrationsData> = {
  id: 'migrations',
  title: 'Migrations',
  reads: migrationInput,
  async run(ws: Workspace, options: AnalyzeOptions = {}) {
    const state = migrationState(ws);
    // A save of a file the last run did not read (a service module, a README) leaves every input as it was:
    // no folder scan, no ini parse. A file created or deleted anywhere counts, as discovery lists them all.
    const memo = state.memo;
    if (memo && !options.against && !ws.changedSince(memo.generation, memo.reads)) return ownCopy(memo.result);
    const generation = ws.generation;
    const { result, reads } = await ws.recordReads(() => analyze(ws, state, options));
    // A run against a base ref reads git, which no file stamp covers: it is never reused, nor does it replace the memo.
    if (!options.against) state.memo = { generation, reads, result: ownCopy(result) };
    return result;
  },
};

/** A result whose findings array its caller may change without touching the memo's. */
function ownCopy(r: AnalyzerResult<MigrationsData>): AnalyzerResult<MigrationsData> {
  return { ...r, findings: [...r.findings] };
}

async function analyze(ws: Workspace, state: State, options: AnalyzeOptions): Promise<AnalyzerResult<MigrationsData>> {
  const cfg = ws.config.migrations ?? {};
  const findings: Finding[] = [];
  const environments: EnvironmentSummary[] = [];
  const results: AlembicEnvResult[] = [];
  const opts = {
    missingDowngrade: cfg.missingDowngrade ?? 'warning',
    createDateMismatch: cfg.createDateMismatch ?? 'info',
    configFile: ws.configFile,
    sourceRoots: ws.config.sourceRoots ?? [],
  };
  for (const spec of discoverAlembic(ws)) {
    throwIfCancelled(options.signal);
    if (!spec.versions.length) continue;
    const r = await state.alembic.analyze(ws, spec, opts);
    results.push(r);
    environments.push(r.summary);
    findings.push(...r.findings);
  }
  state.last = results;
  const django = await analyzeDjango(ws);
  environments.push(...django.environments);
  findings.push(...django.findings);
  const data: MigrationsData = { environments };
  if (options.against) {
    const a = await againstBase(ws, options.against, results, state);
    data.against = a.info;
    findings.push(...a.findings);
  }
  const notice = environments.length ? undefined : 'no Alembic environment or Django migrations found';
  return { findings: sortFindings(findings), data, notice };
}

/** The merge migration for the environment whose root (first version folder) or name is `envRoot`. */
export function planMergeFor(ws: Workspace, envRoot: string, options: Partial<MergeOptions> = {}): MergePlan | Error {
  const env = lastAlembicResults(ws).find((e) => e.spec.versions[0] === envRoot || e.spec.name === envRoot);
  if (!env) return new Error(`no Alembic environment at ${envRoot}`);
  const makoRel = env.spec.scriptDir ? joinRel(env.spec.scriptDir, 'script.py.mako') : undefined;
  const text = makoRel && ws.has(makoRel) ? ws.text(makoRel) : undefined;
  return planMerge(env, {
    exists: (rel) => ws.has(rel) || fs.existsSync(ws.abs(rel)),
    mako: makoRel && text !== undefined ? { file: makoRel, text } : undefined,
    ...options,
  });
}
