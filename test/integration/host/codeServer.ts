import { ChildProcess, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { freePort, hasExited, killGroup, poll, spawnGroup } from './processes';
import { repoRoot } from './workspace';

export const CODE_SERVER_VERSION = '4.100.3';

const installDir = process.env.CODENAV_CODE_SERVER_DIR ?? path.join(repoRoot, '.vscode-test', 'code-server');
const entryScript = path.join(installDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

const userSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'chat.commandCenter.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'security.workspace.trust.startupPrompt': 'never',
};

/** Quiet, offline-friendly user settings for a fresh test profile (code-server or desktop). */
export function writeUserSettings(userDataDir: string): void {
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(userSettings, null, 2));
}

/** Runs scripts/install-code-server.sh (a quick no-op when the right version is already there). */
export function ensureCodeServer(): void {
  const script = path.join(repoRoot, 'scripts', 'install-code-server.sh');
  const result = spawnSync('bash', [script], { stdio: 'inherit', env: { ...process.env, CODENAV_CODE_SERVER_DIR: installDir } });
  if (result.status !== 0 || !fs.existsSync(entryScript)) {
    throw new Error(`installing code-server ${CODE_SERVER_VERSION} failed (exit ${result.status ?? result.signal})`);
  }
}

export interface CodeServerOptions {
  /** Holds user-data/, extensions/, config.yaml and code-server.log. */
  stateDir: string;
  /** Loopback port; a free one when omitted. */
  port?: number;
  /** false keeps Workspace Trust on, so the opened folder starts untrusted. */
  trusted: boolean;
  /** Extra environment for code-server and, through it, the extension host. */
  env?: Record<string, string>;
  /** Also copy code-server's own output to this process's stdout. */
  echo?: boolean;
}

export interface CodeServer {
  port: number;
  baseUrl: string;
  logFile: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('VSCODE_') && key !== 'ELECTRON_RUN_AS_NODE') {
      env[key] = value;
    }
  }
  return { ...env, ...extra };
}

/** Starts code-server on 127.0.0.1 with fresh user-data and extensions dirs and waits until it answers. */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const port = options.port ?? (await freePort());
  const userDataDir = path.join(options.stateDir, 'user-data');
  const extensionsDir = path.join(options.stateDir, 'extensions');
  const configFile = path.join(options.stateDir, 'config.yaml');
  const logFile = path.join(options.stateDir, 'code-server.log');
  writeUserSettings(userDataDir);
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.writeFileSync(configFile, '');

  const args = [
    entryScript,
    '--config', configFile,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    ...(options.trusted ? ['--disable-workspace-trust'] : []),
  ];
  const child = spawnGroup(process.execPath, args, {
    cwd: options.stateDir,
    env: cleanEnv({ XDG_DATA_HOME: path.join(options.stateDir, 'data'), ...options.env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = fs.createWriteStream(logFile);
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      log.write(chunk);
      if (options.echo) {
        process.stdout.write(chunk);
      }
    });
  }
  const stop = async (): Promise<void> => {
    await killGroup(child);
    await new Promise<void>((resolve) => log.end(resolve));
  };

  const baseUrl = `http://127.0.0.1:${port}`;
  const ready = await poll(async () => {
    if (hasExited(child)) {
      return false;
    }
    try {
      const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(5_000) });
      return response.ok ? true : undefined;
    } catch {
      return undefined;
    }
  }, 60_000);
  if (ready !== true) {
    const code = child.exitCode ?? child.signalCode;
    await stop();
    throw new Error(`code-server did not start on ${baseUrl} (${code === null ? 'timed out' : `exited: ${code}`}); see ${logFile}:\n${tail(logFile, 30)}`);
  }
  return { port, baseUrl, logFile, child, stop };
}

export function tail(file: string, lines: number): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

function remoteUri(port: number, fsPath: string): string {
  const encoded = path.resolve(fsPath).split(path.sep).map(encodeURIComponent).join('/');
  return `vscode-remote://127.0.0.1:${port}${encoded}`;
}

export interface PayloadOptions {
  /** A folder, or a `.code-workspace` file for a multi-root workspace. */
  folder: string;
  extensionDevelopmentPath: string;
  extensionTestsPath?: string;
}

/** The workbench URL that opens `folder` with the extension under development (and its tests) loaded. */
export function payloadUrl(server: Pick<CodeServer, 'port' | 'baseUrl'>, options: PayloadOptions): string {
  const payload: [string, string][] = [
    ['extensionDevelopmentPath', remoteUri(server.port, options.extensionDevelopmentPath)],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  if (options.extensionTestsPath) {
    payload.splice(1, 0, ['extensionTestsPath', remoteUri(server.port, options.extensionTestsPath)]);
  }
  const target = encodeURIComponent(path.resolve(options.folder)).replace(/%2F/g, '/');
  const kind = options.folder.endsWith('.code-workspace') ? 'workspace' : 'folder';
  return `${server.baseUrl}/?${kind}=${target}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}
