#!/usr/bin/env node
import fs = require('node:fs');
import path = require('node:path');
import { parseArgs } from 'node:util';
import type { AnalyzerId } from './core/analyzer';
import type { CliIO, CliRequest } from './cli/execute';
import { useCompileCache } from './cli/compileCache';
import { descriptorWriter } from './cli/output';
import { tuneV8ForShortRuns } from './cli/v8Tuning';
import { inGitWorkTree } from './core/workspace/gitWorkTree';

export type { CliIO } from './cli/execute';

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

const COMMANDS: Record<string, { analyzers: AnalyzerId[]; formats: string[]; summary: string }> = {
  check: { analyzers: ['navigation', 'migrations', 'cache', 'typegen'], formats: ['text', 'json', 'sarif', 'github'], summary: 'every analyzer; all findings' },
  services: { analyzers: ['navigation'], formats: ['text', 'json', 'sarif', 'github', 'markdown'], summary: 'the service index and routes (--format markdown: the navigation guide)' },
  migrations: { analyzers: ['migrations'], formats: ['text', 'json', 'sarif', 'github'], summary: 'migration environments, revision graphs and findings (--against REF)' },
  cache: { analyzers: ['cache'], formats: ['text', 'json', 'sarif', 'github', 'markdown'], summary: 'cache-decorator coverage (--format markdown: the audit report)' },
  typegen: { analyzers: [], formats: ['text', 'json', 'sarif', 'github'], summary: 'run the configured type generation once (--check: fail when stale)' },
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

/**
 * Runs one command line. `setup` is called once the request is checked, just
 * before the command's engine loads: the entry point's process-wide set-up
 * (tests leave it out).
 */
export async function main(argv: string[], io: CliIO, setup?: (req: CliRequest) => void): Promise<number> {
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
  const req: CliRequest = {
    command,
    analyzers: spec.analyzers,
    format,
    root,
    version: VERSION,
    config: values.config,
    against: values.against,
    check: values.check,
    package: values.package,
    output: values.output,
    color: format === 'text' && !values['no-color'] && !values.output && io.isTTY,
  };
  setup?.(req);
  return engine(command).run(req, io);
}

/**
 * The code behind a command. Each engine is a file of its own in dist/, so
 * `codenav migrations` (the command CI runs on every push) loads only what it needs.
 */
function engine(command: string): { run: (req: CliRequest, io: CliIO) => Promise<number> } {
  return command === 'migrations' ? require('./cli/engines/migrations') : require('./cli/engines/full');
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

/**
 * Tunes the process for one short run. Node modules the run will need are
 * loaded before V8 is tuned (see v8Tuning.ts): git lists the files of a work
 * tree, and `--against` reads the base through git.
 */
function setUpProcess(req: CliRequest): void {
  if (req.against || inGitWorkTree(req.root)) require('node:child_process');
  tuneV8ForShortRuns();
  useCompileCache(__dirname);
}

if (require.main === module) {
  const stdout = descriptorWriter(1, () => process.stdout);
  const stderr = descriptorWriter(2, () => process.stderr);
  const io: CliIO = {
    stdout: stdout.write,
    stderr: stderr.write,
    get isTTY() {
      return !!process.stdout.isTTY;
    },
    cwd: process.cwd(),
  };
  main(process.argv.slice(2), io, setUpProcess).then(
    (code) => {
      // The report is out: exit now rather than wait for the engine's background compilation to finish.
      if (!stdout.buffered() && !stderr.buffered()) process.exit(code);
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`codenav: internal error: ${(err as Error).stack ?? err}\n`);
      process.exitCode = 2;
    },
  );
}
