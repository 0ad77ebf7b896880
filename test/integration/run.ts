import * as fs from 'fs';
import * as path from 'path';
import { openWorkbench, screenshotWorkbench, Workbench } from './host/browser';
import { CodeServer, ensureCodeServer, payloadUrl, startCodeServer, tail, writeUserSettings } from './host/codeServer';
import { hasExited, killAllGroups, poll } from './host/processes';
import { CONFIG_ENV, InHostConfig, InHostResults } from './host/protocol';
import { copyFixture, makeTempDir, removeDir, repoRoot } from './host/workspace';

/**
 * Runs the integration suites inside a real VS Code.
 *
 * Environment:
 *   CODENAV_TEST_HOST=electron      use @vscode/test-electron (needs the internet) instead of code-server
 *   CODENAV_TEST_RUNS=main,...      only these runs
 *   CODENAV_TEST_GLOB, _GREP        other suites (absolute or relative to out/test/integration) / a title filter
 *   CODENAV_TEST_FIXTURE            open this folder instead of the run's fixture
 *   CODENAV_EXTENSION_PATH          the extension to load (default: the repository)
 *   CODENAV_TEST_TIMEOUT_MS         limit per run (default 10 minutes)
 *   CODENAV_SCREENSHOT=file.png     where the main run's screenshot goes ("off" for none)
 *   CODENAV_TEST_VERBOSE=1          echo code-server's and the workbench's own logs
 *   CODENAV_KEEP_TEMP=1             keep the temporary workspaces and logs
 */

interface RunSpec {
  name: string;
  fixture: string;
  trusted: boolean;
  suites: string;
  git: boolean;
  screenshot: boolean;
  /** More fixtures to open beside `fixture`, as the folders of one multi-root workspace. */
  alongside?: string[];
}

const RUNS: RunSpec[] = [
  { name: 'main', fixture: 'test/fixtures/sample-faulty', trusted: true, suites: 'suite/*.test.js', git: true, screenshot: true },
  { name: 'untrusted', fixture: 'test/fixtures/sample', trusted: false, suites: 'untrusted/*.test.js', git: false, screenshot: false },
  {
    name: 'multi-root',
    fixture: 'test/fixtures/sample-faulty',
    alongside: ['test/fixtures/migrations/suppressions'],
    trusted: true,
    suites: 'multiroot/*.test.js',
    git: true,
    screenshot: false,
  },
];

interface RunOutcome {
  name: string;
  ok: boolean;
  results: InHostResults;
  seconds: number;
}

const env = process.env;
const verbose = env.CODENAV_TEST_VERBOSE === '1';
const keepTemp = env.CODENAV_KEEP_TEMP === '1';
const runTimeoutMs = Number(env.CODENAV_TEST_TIMEOUT_MS ?? 10 * 60_000);
const extensionPath = path.resolve(env.CODENAV_EXTENSION_PATH ?? repoRoot);
const extensionTestsPath = path.join(__dirname, 'index.js');
const screenshotFile =
  env.CODENAV_SCREENSHOT === 'off' ? undefined : path.resolve(env.CODENAV_SCREENSHOT ?? path.join(repoRoot, 'test-results', 'workbench.png'));

let currentTmp: string | undefined;

/** Prints what the in-host runner appends to its log file, as it arrives. */
class FileTail {
  private offset = 0;
  constructor(private readonly file: string) {}

  flush(): void {
    let fd: number;
    try {
      fd = fs.openSync(this.file, 'r');
    } catch {
      return;
    }
    try {
      const size = fs.fstatSync(fd).size;
      if (size > this.offset) {
        const buffer = Buffer.alloc(size - this.offset);
        fs.readSync(fd, buffer, 0, buffer.length, this.offset);
        this.offset = size;
        process.stdout.write(buffer);
      }
    } finally {
      fs.closeSync(fd);
    }
  }
}

interface Prepared {
  tmp: string;
  workspace: string;
  stateDir: string;
  configFile: string;
  config: InHostConfig;
}

type Host = 'code-server' | 'electron';

function prepare(spec: RunSpec, host: Host): Prepared {
  const tmp = makeTempDir(`codenav-it-${spec.name}-`);
  const first = copyFixture(env.CODENAV_TEST_FIXTURE ?? spec.fixture, tmp, { git: spec.git });
  const workspace = spec.alongside ? multiRootFile(tmp, [first, ...spec.alongside.map((f) => copyFixture(f, tmp, { git: spec.git }))]) : first;
  const stateDir = path.join(tmp, 'host');
  fs.mkdirSync(stateDir);
  const config: InHostConfig = {
    run: spec.name,
    suites: env.CODENAV_TEST_GLOB ?? spec.suites,
    grep: env.CODENAV_TEST_GREP,
    resultsFile: path.join(stateDir, 'results.json'),
    logFile: host === 'code-server' ? path.join(stateDir, 'tests.log') : undefined,
  };
  if (spec.screenshot && screenshotFile && host === 'code-server') {
    config.screenshot = {
      revealDiagnosticsFrom: 'Codebase Navigator',
      commands: [
        'notifications.clearAll',
        'workbench.view.extension.codebaseNavigator',
        'workbench.panel.markers.view.focus',
      ],
      readyFile: path.join(stateDir, 'screenshot.ready'),
      doneFile: path.join(stateDir, 'screenshot.done'),
    };
  }
  const configFile = path.join(stateDir, 'config.json');
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  return { tmp, workspace, stateDir, configFile, config };
}

/** A `.code-workspace` file whose folders are the given copies, in order. */
function multiRootFile(dir: string, folders: string[]): string {
  const file = path.join(dir, 'codenav-tests.code-workspace');
  fs.writeFileSync(file, JSON.stringify({ folders: folders.map((f) => ({ path: f })) }, null, 2));
  return file;
}

function readResults(file: string): InHostResults | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as InHostResults;
  } catch {
    return undefined;
  }
}

/** The workbench log's last lines, without the test report lines already printed. */
function workbenchLogTail(stateDir: string, testsLog?: string): string {
  const printed = new Set(testsLog && fs.existsSync(testsLog) ? fs.readFileSync(testsLog, 'utf8').split('\n') : []);
  const lines = tail(path.join(stateDir, 'workbench.log'), 400)
    .split('\n')
    .filter((line) => !printed.has(line.replace(/^\[(trace|debug|info|warn|error)\] /, '')));
  return lines.slice(-40).join('\n');
}

const noResults = (): InHostResults => ({ complete: false, passed: 0, failed: 0, pending: 0, durationMs: 0, failures: [] });

async function runInCodeServer(spec: RunSpec, prepared: Prepared): Promise<{ ok: boolean; results?: InHostResults }> {
  const { config, stateDir, configFile, workspace } = prepared;
  const automationLog = fs.createWriteStream(path.join(stateDir, 'workbench.log'));
  const tests = config.logFile ? new FileTail(config.logFile) : undefined;
  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;
  let exitCode: number | undefined;
  let shotTaken = false;
  try {
    server = await startCodeServer({ stateDir, trusted: spec.trusted, env: { [CONFIG_ENV]: configFile }, echo: verbose });
    const url = payloadUrl(server, { folder: workspace, extensionDevelopmentPath: extensionPath, extensionTestsPath });
    const running = server;
    workbench = await openWorkbench(url, {
      onLog: (type, message) => {
        automationLog.write(`[${type}] ${message}\n`);
        if (verbose) console.log(`[workbench ${type}] ${message}`);
      },
      onExit: (code) => (exitCode = code),
    });
    const page = workbench.page;
    let crashed = false;
    page.on('crash', () => (crashed = true));

    const outcome = await poll(async () => {
      tests?.flush();
      const shot = config.screenshot;
      if (shot && screenshotFile && !shotTaken && fs.existsSync(shot.readyFile)) {
        shotTaken = true;
        await screenshotWorkbench(page, screenshotFile).then(
          () => console.log(`[${spec.name}] screenshot: ${screenshotFile}`),
          (err: Error) => console.log(`[${spec.name}] screenshot failed: ${err.message}`),
        );
        fs.writeFileSync(shot.doneFile, '');
      }
      if (exitCode !== undefined) return 'exited';
      if (hasExited(running.child)) return 'code-server exited';
      if (crashed) return 'the browser page crashed';
      return undefined;
    }, runTimeoutMs);
    tests?.flush();

    const results = readResults(config.resultsFile);
    if (outcome !== 'exited') {
      console.log(`[${spec.name}] ${outcome ?? `timed out after ${runTimeoutMs} ms`}`);
    }
    const ok = outcome === 'exited' && exitCode === 0 && !!results && results.failed === 0;
    if (!ok) {
      if (!results || outcome !== 'exited') {
        console.log(`--- code-server log (last lines) ---\n${tail(server.logFile, 40)}`);
      }
      await new Promise<void>((resolve) => automationLog.end(resolve));
      console.log(`--- workbench log, with the extension host's console (last lines) ---\n${workbenchLogTail(stateDir, config.logFile)}`);
    }
    return { ok, results };
  } finally {
    automationLog.end();
    await workbench?.close();
    await server?.stop();
  }
}

async function runInElectron(spec: RunSpec, prepared: Prepared): Promise<{ ok: boolean; results?: InHostResults }> {
  const { runTests } = await import('@vscode/test-electron');
  const userDataDir = path.join(prepared.stateDir, 'user-data');
  writeUserSettings(userDataDir);
  const launchArgs = [
    prepared.workspace,
    '--disable-extensions',
    '--skip-welcome',
    '--skip-release-notes',
    '--user-data-dir', userDataDir,
    ...(spec.trusted ? ['--disable-workspace-trust'] : []),
  ];
  let ok = true;
  try {
    await runTests({
      extensionDevelopmentPath: extensionPath,
      extensionTestsPath,
      launchArgs,
      extensionTestsEnv: { [CONFIG_ENV]: prepared.configFile },
    });
  } catch (err) {
    ok = false;
    console.log(`[${spec.name}] ${err instanceof Error ? err.message : String(err)}`);
  }
  const results = readResults(prepared.config.resultsFile);
  return { ok: ok && !!results && results.failed === 0, results };
}

async function runOne(spec: RunSpec, host: Host): Promise<RunOutcome> {
  const started = Date.now();
  console.log(`\n=== run "${spec.name}" (${host}, ${spec.trusted ? 'trusted' : 'untrusted'}, ${env.CODENAV_TEST_FIXTURE ?? spec.fixture}) ===`);
  let prepared: Prepared | undefined;
  let outcome: { ok: boolean; results?: InHostResults } = { ok: false };
  try {
    prepared = prepare(spec, host);
    currentTmp = keepTemp ? undefined : prepared.tmp;
    outcome = host === 'electron' ? await runInElectron(spec, prepared) : await runInCodeServer(spec, prepared);
  } catch (err) {
    console.log(`[${spec.name}] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  } finally {
    if (prepared && keepTemp) {
      console.log(`[${spec.name}] kept ${prepared.tmp}`);
    } else if (prepared) {
      removeDir(prepared.tmp);
    }
    currentTmp = undefined;
  }
  const results = outcome.results ?? noResults();
  if (!results.complete || (!outcome.ok && results.failed === 0)) {
    results.failed++;
  }
  const seconds = (Date.now() - started) / 1000;
  console.log(`[${spec.name}] ${results.passed} passed, ${results.failed} failed, ${results.pending} pending in ${seconds.toFixed(1)} s`);
  return { name: spec.name, ok: outcome.ok, results, seconds };
}

async function main(): Promise<number> {
  const host: Host = env.CODENAV_TEST_HOST === 'electron' ? 'electron' : 'code-server';
  const wanted = env.CODENAV_TEST_RUNS?.split(',').map((s) => s.trim()).filter(Boolean);
  const runs = wanted ? RUNS.filter((r) => wanted.includes(r.name)) : RUNS;
  if (runs.length === 0) {
    console.log(`no runs match CODENAV_TEST_RUNS=${env.CODENAV_TEST_RUNS}; known: ${RUNS.map((r) => r.name).join(', ')}`);
    return 2;
  }
  if (!fs.existsSync(path.join(extensionPath, 'package.json'))) {
    console.log(`no extension at ${extensionPath}`);
    return 2;
  }
  if (host === 'code-server') {
    ensureCodeServer();
  }
  const outcomes: RunOutcome[] = [];
  for (const spec of runs) {
    outcomes.push(await runOne(spec, host));
  }
  const passed = outcomes.reduce((n, o) => n + o.results.passed, 0);
  const failed = outcomes.reduce((n, o) => n + o.results.failed, 0);
  console.log('');
  console.log(`integration: ${passed} passed, ${failed} failed`);
  return outcomes.every((o) => o.ok) ? 0 : 1;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAllGroups();
    if (currentTmp) removeDir(currentTmp);
    process.exit(130);
  });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    console.log('integration: 0 passed, 1 failed');
    process.exit(1);
  },
);
