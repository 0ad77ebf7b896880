#!/usr/bin/env node
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { AnalyzerId, AnalyzerResult } from './core/analyzer';
import { runAnalyzers } from './core/analyzers';
import { renderCacheAudit, type CacheData } from './core/cache';
import { hasErrors, type Finding } from './core/findings';
import { renderNavigationGuide, type NavigationData } from './core/navigation';
import { runTypegenOnce } from './core/typegen';
import { Workspace } from './core/workspace/workspace';
import { renderGithub, renderSarif, renderText, style, summaryLine, toJsonFinding, type Style } from './cli/render';
import { dataText } from './cli/dataText';

declare const CODENAV_VERSION: string | undefined;

/** Embedded by the bundler; read from package.json in an unbundled build. */
const VERSION: string =
  typeof CODENAV_VERSION === 'string'
    ? CODENAV_VERSION
    : (() => {
        for (let dir = __dirname, i = 0; i < 5; i++, dir = path.dirname(dir)) {
          try {
            const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
            if (pkg.name === 'codebase-navigator') return pkg.version as string;
          } catch {
            /* keep looking */
          }
        }
        return 'unknown';
      })();

const COMMANDS: Record<string, { analyzers?: AnalyzerId[]; formats: string[]; summary: string }> = {
  check: { formats: ['text', 'json', 'sarif', 'github'], summary: 'every analyzer; all findings' },
  services: { analyzers: ['navigation'], formats: ['text', 'json', 'sarif', 'github', 'markdown'], summary: 'the service index and routes (--format markdown: the navigation guide)' },
  migrations: { analyzers: ['migrations'], formats: ['text', 'json', 'sarif', 'github'], summary: 'migration environments, revision graphs and findings (--against REF)' },
  cache: { analyzers: ['cache'], formats: ['text', 'json', 'sarif', 'github', 'markdown'], summary: 'cache-decorator coverage (--format markdown: the audit report)' },
  typegen: { formats: ['text', 'json', 'sarif', 'github'], summary: 'run the configured type generation once (--check: fail when stale)' },
};

const USAGE = `Usage: codenav <command> [path] [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(11)} ${c.summary}`)
  .join('\n')}

Options:
  --format F      text | json | sarif | github | markdown (services, cache)   [default: text]
  --config FILE   config file                                     [default: <path>/.codenav.yaml]
  --against REF   migrations: compare with a git ref (for example origin/main)
  --check         typegen: regenerate into a temporary place and fail when the committed output differs
  --package P     services --format markdown: the package to describe (for example backend/src/acme/billing)
  --output FILE   write the report to FILE instead of standard output
  --no-color      no colours in text output (default when stdout is not a terminal)
  -h, --help      this help
  -v, --version   the version

Exit codes: 0 no error findings, 1 at least one error finding, 2 usage or config error.`;

class UsageError extends Error {}

export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
  cwd: string;
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    io.stderr(`codenav: ${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, command, target } = parsed;
  if (values.help) return io.stdout(USAGE + '\n'), 0;
  if (values.version) return io.stdout(VERSION + '\n'), 0;
  if (!command) return io.stderr(USAGE + '\n'), 2;
  const spec = COMMANDS[command];
  if (!spec) return io.stderr(`codenav: unknown command "${command}"\n\n${USAGE}\n`), 2;
  const format = values.format ?? 'text';
  if (!spec.formats.includes(format)) return io.stderr(`codenav: ${command} does not support --format ${format} (use ${spec.formats.join(', ')})\n`), 2;

  const root = path.resolve(io.cwd, target ?? '.');
  try {
    if (!fs.statSync(root).isDirectory()) throw new Error('not a folder');
  } catch (err) {
    return io.stderr(`codenav: cannot analyse ${root}: ${(err as Error).message}\n`), 2;
  }
  const s = style(!values['no-color'] && io.isTTY && !values.output && format === 'text');
  const ws = await Workspace.open(root, { configPath: values.config });
  const configBroken = ws.configFindings.length > 0;

  let findings: Finding[];
  let results: Partial<Record<AnalyzerId, AnalyzerResult>> = {};
  let extra: string[] = [];
  if (command === 'typegen') {
    const r = await runTypegenOnce(ws, { check: !!values.check });
    findings = [...ws.configFindings, ...r.findings];
    extra = r.log;
  } else {
    const run = await runAnalyzers(ws, { against: values.against }, spec.analyzers);
    findings = run.findings;
    results = run.results;
    for (const f of run.failures) io.stderr(`codenav: the ${f.id} analyzer failed: ${f.message}\n`);
    if (run.failures.length) return 2;
  }

  const out = render(command, format, findings, results, ws, s, extra, { package: values.package, cwd: io.cwd });
  if (values.output) fs.writeFileSync(path.resolve(io.cwd, values.output), out.endsWith('\n') ? out : out + '\n');
  else io.stdout(out.endsWith('\n') ? out : out + '\n');
  if (configBroken) {
    if (format !== 'text') io.stderr(`codenav: ${ws.configFile}: invalid config (see config/invalid findings)\n`);
    return 2;
  }
  return hasErrors(findings) ? 1 : 0;
}

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: 'string', short: 'f' },
      config: { type: 'string', short: 'c' },
      against: { type: 'string' },
      check: { type: 'boolean' },
      package: { type: 'string' },
      output: { type: 'string', short: 'o' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  if (positionals.length > 2) throw new UsageError(`unexpected argument "${positionals[2]}"`);
  return { values, command: positionals[0], target: positionals[1] };
}

function render(
  command: string,
  format: string,
  findings: Finding[],
  results: Partial<Record<AnalyzerId, AnalyzerResult>>,
  ws: Workspace,
  s: Style,
  extra: string[],
  opts: { package?: string; cwd: string },
): string {
  switch (format) {
    case 'json': {
      const data = Object.assign({}, ...Object.values(results).map((r) => r?.data ?? {}));
      if (command === 'check') delete data.services; // two analyzers share the key; `services`/`cache` commands give each
      return JSON.stringify({ version: VERSION, root: ws.root, findings: findings.map(toJsonFinding), ...data, ...(extra.length ? { log: extra } : {}) }, null, 2);
    }
    case 'sarif':
      return renderSarif(findings, VERSION);
    case 'github':
      return renderGithub(findings, ws.root, opts.cwd);
    case 'markdown':
      return command === 'services'
        ? renderNavigationGuide(results.navigation?.data as NavigationData, { package: opts.package })
        : renderCacheAudit(results.cache?.data as CacheData);
    default: {
      const parts: string[] = [];
      for (const r of Object.values(results)) if (r?.notice) parts.push(s.dim(r.notice));
      parts.push(...extra);
      parts.push(...dataText(command, results, s));
      if (ws.skipped.length) parts.push(s.dim(`skipped ${ws.skipped.length} file(s): ${ws.skipped.slice(0, 3).map((x) => `${x.path} (${x.reason})`).join(', ')}${ws.skipped.length > 3 ? ', …' : ''}`));
      parts.push(renderText(findings, s), '', summaryLine(findings, s));
      return parts.filter((p) => p !== undefined).join('\n').replace(/^\n+/, '');
    }
  }
}

if (require.main === module) {
  main(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: !!process.stdout.isTTY,
    cwd: process.cwd(),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`codenav: internal error: ${(err as Error).stack ?? err}\n`);
      process.exitCode = 2;
    },
  );
}
