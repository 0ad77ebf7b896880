import type { AnalyzeOptions } from '../analyzer';
import { sortFindings, type Finding } from '../findings';
import type { Workspace } from '../workspace/workspace';
import { assemble } from './assemble';
import { deprecationsFor } from './deprecations';
import { deprecatedPattern } from './deprecationText';
import type { RawService } from './entries';
import { pyIndexFor } from './pyModules';
import { pythonRoutes } from './pythonRoutes';
import { memoFor, scanWorkspace } from './scan';
import { typescriptRoutes } from './tsIndex';
import { resolverFor } from './tsResolve';
import type { NavigationData, NavigationProblem } from './types';
import { usageFindings } from './usage';

export const DEFAULT_CLASS_SUFFIXES = ['Service', 'Repository', 'Manager', 'Client', 'Gateway'];

export async function buildNavigation(ws: Workspace, options: AnalyzeOptions = {}): Promise<{ data: NavigationData; findings: Finding[] }> {
  const cfg = ws.config.services ?? {};
  const suffixes = cfg.classSuffixes?.length ? cfg.classSuffixes : DEFAULT_CLASS_SUFFIXES;
  const pattern = deprecatedPattern(cfg.deprecatedPattern);
  const problems: NavigationProblem[] = pattern.error ? [{ file: ws.configFile ?? '.codenav.yaml', line: 0, message: pattern.error }] : [];
  const memo = memoFor(ws, JSON.stringify([suffixes, pattern.re.source]));
  const scan = await scanWorkspace(ws, memo, { classSuffixes: suffixes, pattern: pattern.re }, options.signal);
  const resolver = resolverFor(ws, memo);
  const key = JSON.stringify([ws.files.length, ws.config.sourceRoots, cfg.packages, ws.config.deprecated, (options.now ?? new Date()).toISOString().slice(0, 10)]);
  if (scan.changed === 0 && memo.last?.key === key && memo.lastResolver === resolver) return memo.last.value;
  memo.last = undefined;
  const index = pyIndexFor(
    ws.files.map((f) => f.path),
    ws.config.sourceRoots ?? [],
    memo,
  );
  const entries = scan.entries;

  const raw = new Map<string, RawService>();
  for (const [file, e] of entries) {
    for (const s of (e.py ?? e.ts)?.services ?? []) raw.set(`${file}#${s.name}`, { file, language: e.language, summary: s, kind: e.language === 'python' ? 'class' : 'injectable' });
  }
  const py = await pythonRoutes({
    ws,
    index,
    memo,
    routeFiles: scan.python.filter((f) => entries.get(f)?.route),
    classSuffixes: suffixes,
    isService: (file, name) => raw.has(`${file}#${name}`),
    servicesSignature: [...raw.keys()].sort().join('\n'),
  });
  problems.push(...py.problems);
  const tsRoutes = await typescriptRoutes({ ws, resolver, memo, files: scan.typescript, entries, serviceKeys: raw });
  const deprecations = await deprecationsFor({ ws, index, resolver, entries, config: ws.config.deprecated ?? [], problems }, memo);

  const assembled = assemble({ ws, index, memo, raw, py, ts: tsRoutes, deprecations, configured: cfg.packages ?? [] });
  const findings = await usageFindings({ ws, index, resolver, deprecations, now: options.now ?? new Date(), memo, python: scan.python, typescript: scan.typescript, signal: options.signal });
  const data: NavigationData = { ...assembled, problems };
  const value = { data, findings: sortFindings(findings) };
  if (!options.signal?.aborted) {
    memo.last = { key, value };
    memo.lastResolver = resolver;
  }
  return value;
}

