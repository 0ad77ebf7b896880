import fs = require('node:fs');
import path = require('node:path');
import { runEach, type Analyzer, type AnalyzerId, type AnalyzerResult } from '../core/analyzer';
import { hasErrors, type Finding } from '../core/findings';
import type { TypegenCliResult } from '../core/typegen';
import { Workspace } from '../core/workspace/workspace';
import { dataText } from './dataText';
import { renderGithub, renderSarif, renderText, style, summaryLine, toJsonFinding, type Style } from './render';

export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
  cwd: string;
}

/** A checked command line: what to run, on which folder, and how to report. */
export interface CliRequest {
  command: string;
  /** The analyzers the command runs (none for typegen). */
  analyzers: AnalyzerId[];
  format: string;
  root: string;
  version: string;
  config?: string;
  against?: string;
  check?: boolean;
  package?: string;
  output?: string;
  color: boolean;
}

/**
 * What one CLI bundle can do. Each bundle carries only its analyzers, so that
 * `codenav migrations` does not load the service, cache and type generation code.
 */
export interface Engine {
  analyzers: readonly Analyzer[];
  /** `--format markdown` for the commands that have it. */
  markdown?: (command: string, results: Partial<Record<AnalyzerId, AnalyzerResult>>, opts: { package?: string }) => string;
  typegen?: (ws: Workspace, opts: { check: boolean }) => Promise<TypegenCliResult>;
}

/** The files a command's analyzers read, when each of them says (typegen runs none: it lists every file). */
function readsOf(analyzers: readonly Analyzer[]): ((rel: string) => boolean) | undefined {
  if (!analyzers.length || analyzers.some((a) => !a.reads)) return undefined;
  return (rel) => analyzers.some((a) => a.reads!(rel));
}

/** Opens the workspace, runs the command and writes its report. Returns the exit code. */
export async function execute(req: CliRequest, io: CliIO, engine: Engine): Promise<number> {
  const s = style(req.color);
  const analyzers = engine.analyzers.filter((a) => req.analyzers.includes(a.id));
  const ws = await Workspace.open(req.root, { configPath: req.config, only: readsOf(analyzers) });
  const configBroken = ws.configFindings.length > 0;

  let findings: Finding[];
  let results: Partial<Record<AnalyzerId, AnalyzerResult>> = {};
  let extra: string[] = [];
  if (req.command === 'typegen') {
    if (!engine.typegen) throw new Error('type generation is not part of this bundle');
    const r = await engine.typegen(ws, { check: !!req.check });
    findings = [...ws.configFindings, ...r.findings];
    extra = r.log;
  } else {
    const run = await runEach(ws, { against: req.against }, analyzers);
    findings = run.findings;
    results = run.results;
    for (const f of run.failures) io.stderr(`codenav: the ${f.id} analyzer failed: ${f.message}\n`);
    if (run.failures.length) return 2;
  }

  const out = render(req, engine, findings, results, ws, s, extra, io.cwd);
  if (req.output) fs.writeFileSync(path.resolve(io.cwd, req.output), out.endsWith('\n') ? out : out + '\n');
  else io.stdout(out.endsWith('\n') ? out : out + '\n');
  if (configBroken) {
    if (req.format !== 'text') io.stderr(`codenav: ${ws.configFile}: invalid config (see config/invalid findings)\n`);
    return 2;
  }
  return hasErrors(findings) ? 1 : 0;
}

function render(
  req: CliRequest,
  engine: Engine,
  findings: Finding[],
  results: Partial<Record<AnalyzerId, AnalyzerResult>>,
  ws: Workspace,
  s: Style,
  extra: string[],
  cwd: string,
): string {
  switch (req.format) {
    case 'json': {
      const data = Object.assign({}, ...Object.values(results).map((r) => r?.data ?? {}));
      if (req.command === 'check') delete data.services; // two analyzers share the key; `services`/`cache` commands give each
      return JSON.stringify({ version: req.version, root: ws.root, findings: findings.map(toJsonFinding), ...data, ...(extra.length ? { log: extra } : {}) }, null, 2);
    }
    case 'sarif':
      return renderSarif(findings, req.version);
    case 'github':
      return renderGithub(findings, ws.root, cwd);
    case 'markdown':
      if (!engine.markdown) throw new Error('markdown output is not part of this bundle');
      return engine.markdown(req.command, results, { package: req.package });
    default: {
      const parts: string[] = [];
      for (const r of Object.values(results)) if (r?.notice) parts.push(s.dim(r.notice));
      parts.push(...extra);
      parts.push(...dataText(req.command, results, s));
      if (ws.skipped.length) parts.push(s.dim(`skipped ${ws.skipped.length} file(s): ${ws.skipped.slice(0, 3).map((x) => `${x.path} (${x.reason})`).join(', ')}${ws.skipped.length > 3 ? ', …' : ''}`));
      parts.push(renderText(findings, s), '', summaryLine(findings, s));
      return parts.filter((p) => p !== undefined).join('\n').replace(/^\n+/, '');
    }
  }
}
