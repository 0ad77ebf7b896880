import fg from 'fast-glob';
import * as fs from 'fs';
import type MochaType = require('mocha');
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { CONFIG_ENV, InHostConfig, InHostResults } from './host/protocol';

// The CommonJS build, so this loads in any extension host's Node (mocha's main entry is ESM).
const Mocha: typeof MochaType = require('mocha/lib/mocha.cjs');

function readConfig(): InHostConfig {
  const file = process.env[CONFIG_ENV];
  if (file && fs.existsSync(file)) {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as InHostConfig;
  }
  return { run: 'main', suites: 'suite/*.test.js', resultsFile: path.join(os.tmpdir(), `codenav-it-results-${process.pid}.json`) };
}

class Report {
  constructor(private readonly logFile?: string) {}

  line(text: string): void {
    console.log(text);
    if (this.logFile) {
      fs.appendFileSync(this.logFile, `${text}\n`);
    }
  }
}

function errorText(err: unknown): string {
  if (err instanceof Error) {
    return err.stack ?? `${err.name}: ${err.message}`;
  }
  return String(err);
}

function makeReporter(report: Report, results: InHostResults, save: () => void): MochaType.ReporterConstructor {
  return class LineReporter extends Mocha.reporters.Base {
    constructor(runner: MochaType.Runner, options?: MochaType.MochaOptions) {
      super(runner, options);
      let depth = 0;
      const indent = (): string => '  '.repeat(depth);
      runner.on('suite', (suite: MochaType.Suite) => {
        if (!suite.root) {
          report.line(`${indent()}${suite.title}`);
          depth++;
        }
      });
      runner.on('suite end', (suite: MochaType.Suite) => {
        if (!suite.root) {
          depth--;
        }
      });
      runner.on('pass', (test: MochaType.Test) => {
        results.passed++;
        report.line(`${indent()}ok ${test.title} (${test.duration ?? 0} ms)`);
      });
      runner.on('pending', (test: MochaType.Test) => {
        results.pending++;
        report.line(`${indent()}skipped ${test.title}`);
      });
      runner.on('fail', (test: MochaType.Runnable, err: unknown) => {
        results.failed++;
        results.failures.push({ title: test.fullTitle(), error: errorText(err) });
        report.line(`${indent()}FAILED ${test.title}`);
      });
      runner.on('test end', save);
    }
  };
}

/** Shows the file of the first error or warning from `source`, as a person would after opening the Problems panel. */
async function revealFirstDiagnostic(source: string): Promise<void> {
  const found = vscode.languages
    .getDiagnostics()
    .flatMap(([uri, diagnostics]) => diagnostics.filter((d) => d.source === source).map((d) => ({ uri, d })))
    .sort((a, b) => a.d.severity - b.d.severity || a.uri.fsPath.localeCompare(b.uri.fsPath) || a.d.range.start.line - b.d.range.start.line)[0];
  if (found) {
    await vscode.window.showTextDocument(found.uri, { selection: found.d.range, preview: false });
  }
}

async function arrangeForScreenshot(shot: NonNullable<InHostConfig['screenshot']>, report: Report): Promise<void> {
  type Step = [name: string, run: () => Thenable<unknown>];
  const steps: Step[] = [['close editors', () => vscode.commands.executeCommand('workbench.action.closeAllEditors')]];
  const source = shot.revealDiagnosticsFrom;
  if (source) {
    steps.push(['reveal a diagnostic', () => revealFirstDiagnostic(source)]);
  }
  for (const command of shot.commands) {
    steps.push([command, () => vscode.commands.executeCommand(command)]);
  }
  for (const [name, step] of steps) {
    try {
      await step();
    } catch (err) {
      report.line(`(screenshot) ${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  fs.writeFileSync(shot.readyFile, '');
  const deadline = Date.now() + 60_000;
  while (!fs.existsSync(shot.doneFile) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Entry point for the extension host (code-server or @vscode/test-electron). */
export async function run(): Promise<void> {
  const config = readConfig();
  const report = new Report(config.logFile);
  const results: InHostResults = { complete: false, passed: 0, failed: 0, pending: 0, durationMs: 0, failures: [] };
  const started = Date.now();
  const writeResults = (): void => {
    results.durationMs = Date.now() - started;
    fs.writeFileSync(config.resultsFile, JSON.stringify(results, null, 2));
  };

  try {
    const cwd = path.isAbsolute(config.suites) ? undefined : __dirname;
    const files = (await fg(config.suites, { cwd, absolute: true, onlyFiles: true, followSymbolicLinks: false })).sort();
    if (files.length === 0) {
      throw new Error(`no test files match ${config.suites} (in ${cwd ?? '/'})`);
    }
    report.line(`[${config.run}] ${files.length} suite file(s), workspace ${vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '(none)'}`);
    const mocha = new Mocha({
      ui: 'bdd',
      timeout: 60_000,
      color: false,
      reporter: makeReporter(report, results, writeResults),
      grep: config.grep,
    });
    files.forEach((file) => mocha.addFile(file));
    await new Promise<void>((resolve) => mocha.run(() => resolve()));
  } catch (err) {
    results.failed++;
    results.failures.push({ title: `loading ${config.run} suites`, error: errorText(err) });
  }

  for (const [i, failure] of results.failures.entries()) {
    report.line(`\n${i + 1}) ${failure.title}\n${failure.error}`);
  }
  results.complete = true;
  report.line(`\n[${config.run}] ${results.passed} passing, ${results.failed} failing, ${results.pending} pending (${Date.now() - started} ms)`);
  writeResults();

  if (config.screenshot) {
    await arrangeForScreenshot(config.screenshot, report);
  }
  if (results.failed > 0) {
    throw new Error(`${results.failed} test(s) failed`);
  }
}
