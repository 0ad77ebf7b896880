import type { AnalyzeOptions } from '../analyzer';
import { sortFindings, type Finding } from '../findings';
import type { Workspace } from '../workspace/workspace';
import { assemble } from './assemble';
import { deprecationsFor } from './deprecations';
import { deprecatedPattern } from './deprecationText';
import type { RawService } from './entries';
import { keep, memoFor, sameList, type NavigationMemo } from './memo';
import { pyIndexFor } from './pyModules';
import { pythonRoutes } from './pythonRoutes';
import { scanWorkspace, type ScanResult } from './scan';
import { typescriptRoutes } from './tsIndex';
import { resolverFor } from './tsResolve';
import type { NavigationData, NavigationProblem } from './types';
import { usageFindings } from './usage';

export const DEFAULT_CLASS_SUFFIXES = ['Service', 'Repository', 'Manager', 'Client', 'Gateway'];

type NavigationResult = { data: NavigationData; findings: Finding[] };

/** Numbers for TypeScript service sets (`tsVersion`): a short key for the per-file route memos. */
let serviceSets = 0;

/**
 * The service classes by `file#Class` and what is derived from them; the same
 * objects while no file's service list changed (summaries are kept by content).
 */
function serviceIndex(memo: NavigationMemo, scan: ScanResult): NonNullable<NavigationMemo['services']> {
  const prev = memo.services;
  if (prev?.scanVersion === scan.version) return prev;
  const owners: unknown[] = [];
  for (const [file, e] of scan.entries) {
    const list = (e.py ?? e.ts)?.services;
    if (list?.length) owners.push(file, list);
  }
  const routeFiles = prev?.routeFlags === scan.routeFlags ? prev.routeFiles : keep(prev?.routeFiles, scan.python.filter((f) => scan.entries.get(f)?.route));
  if (prev && sameList(prev.owners, owners)) return (memo.services = { ...prev, scanVersion: scan.version, routeFlags: scan.routeFlags, routeFiles });
  const raw = new Map<string, RawService>();
  for (const [file, e] of scan.entries) {
    for (const s of (e.py ?? e.ts)?.services ?? []) raw.set(`${file}#${s.name}`, { file, language: e.language, summary: s, kind: e.language === 'python' ? 'class' : 'injectable' });
  }
  const tsSignature = [...raw.keys()].filter((k) => /\.[mc]?[jt]sx?#/.test(k)).sort().join('\n');
  memo.services = {
    scanVersion: scan.version,
    routeFlags: scan.routeFlags,
    owners,
    raw,
    tsSignature,
    tsVersion: prev?.tsSignature === tsSignature ? prev.tsVersion : ++serviceSets,
    routeFiles,
  };
  return memo.services;
}

/**
 * The services index of a workspace. Every stage keeps what it built between
 * runs (memo.ts), so a run after one save costs about what that file changes.
 */
export async function buildNavigation(ws: Workspace, options: AnalyzeOptions = {}): Promise<NavigationResult> {
  const cfg = ws.config.services ?? {};
  const suffixes = cfg.classSuffixes?.length ? cfg.classSuffixes : DEFAULT_CLASS_SUFFIXES;
  const pattern = deprecatedPattern(cfg.deprecatedPattern);
  const problems: NavigationProblem[] = pattern.error ? [{ file: ws.configFile ?? '.codenav.yaml', line: 0, message: pattern.error }] : [];
  const memo = memoFor(ws, JSON.stringify([suffixes, pattern.re.source]));
  const scan = await scanWorkspace(ws, memo, { classSuffixes: suffixes, pattern: pattern.re }, options.signal);
  const resolver = resolverFor(ws, memo, scan.fileSet);
  const key = JSON.stringify([scan.version, ws.files.length, ws.config.sourceRoots, cfg.packages, ws.config.deprecated, (options.now ?? new Date()).toISOString().slice(0, 10)]);
  if (scan.changed === 0 && memo.last?.key === key && memo.lastResolver === resolver) return memo.last.value;
  const last = memo.last;
  memo.last = undefined;
  const index = pyIndexFor(ws.files, scan.fileSet, ws.config.sourceRoots ?? [], memo);
  const { raw, routeFiles, tsVersion } = serviceIndex(memo, scan);
  const hashOf = (file: string) => scan.entries.get(file)?.hash ?? ws.hash(file);
  const py = await pythonRoutes({
    ws,
    index,
    memo,
    routeFiles,
    classSuffixes: suffixes,
    services: raw,
    hashOf,
  });
  problems.push(...py.problems);
  const tsRoutes = await typescriptRoutes({ ws, resolver, memo, files: scan.typescript, entries: scan.entries, serviceKeys: raw, servicesVersion: tsVersion, routeFlags: scan.routeFlags });
  const deprecations = await deprecationsFor({ ws, index, resolver, entries: scan.entries, config: ws.config.deprecated ?? [], problems, hashOf }, memo, scan.version);

  const assembled = assemble({ ws, index, memo, raw, py, ts: tsRoutes, deprecations, configured: cfg.packages ?? [] });
  const findings = await usageFindings({ ws, index, resolver, deprecations, now: options.now ?? new Date(), memo, python: scan.python, typescript: scan.typescript, hashOf, signal: options.signal });
  const result = reuse(last, assembled, problems, findings);
  if (!options.signal?.aborted) {
    memo.last = { key, ...result };
    memo.lastResolver = resolver;
  }
  return result.value;
}

/**
 * The result, with the previous result's objects wherever nothing in them
 * changed: the Services view skips a refresh when it gets the same `data`.
 */
function reuse(prev: NonNullable<NavigationMemo['last']> | undefined, assembled: Omit<NavigationData, 'problems'>, problems: NavigationProblem[], unsorted: Finding[]): { value: NavigationResult; unsorted: Finding[] } {
  const before = prev?.value.data;
  const parts = Object.keys(assembled) as (keyof typeof assembled)[];
  const kept = keep(before?.problems, problems);
  const data: NavigationData = before && kept === before.problems && parts.every((k) => before[k] === assembled[k]) ? before : { ...assembled, problems: kept };
  const findings = prev && prev.unsorted === unsorted ? prev.value.findings : sortFindings(unsorted);
  return { value: prev && prev.value.data === data && prev.value.findings === findings ? prev.value : { data, findings }, unsorted };
}
