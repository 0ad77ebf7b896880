import * as fs from 'fs';
import * as path from 'path';
import { ensureCodeServer, payloadUrl, startCodeServer } from './host/codeServer';
import { killAllGroups } from './host/processes';
import { copyFixture, makeTempDir, removeDir, repoRoot } from './host/workspace';

/**
 * `npm run demo:ui`: serves the real VS Code workbench with Codebase Navigator loaded on a scratch
 * copy of the faulty sample, for a person to open in a browser. Ctrl-C stops it and cleans up.
 *
 * Environment: PORT (default: a free port), CODENAV_DEMO_FIXTURE (default test/fixtures/sample-faulty),
 * CODENAV_EXTENSION_PATH (default: the repository).
 */
async function main(): Promise<void> {
  ensureCodeServer();
  const extensionPath = path.resolve(process.env.CODENAV_EXTENSION_PATH ?? repoRoot);
  if (!fs.existsSync(path.join(extensionPath, 'dist', 'extension.js')) && !process.env.CODENAV_EXTENSION_PATH) {
    throw new Error('dist/extension.js is missing: run `npm run build` first');
  }
  const tmp = makeTempDir('codenav-demo-');
  let stopping = false;
  const cleanup = (): void => {
    killAllGroups();
    removeDir(tmp);
  };

  try {
    const workspace = copyFixture(process.env.CODENAV_DEMO_FIXTURE ?? 'test/fixtures/sample-faulty', tmp, { git: true });
    const stateDir = path.join(tmp, 'host');
    fs.mkdirSync(stateDir);
    const port = process.env.PORT ? Number(process.env.PORT) : undefined;
    const server = await startCodeServer({ stateDir, port, trusted: true });
    const url = payloadUrl(server, { folder: workspace, extensionDevelopmentPath: extensionPath });

    console.log('');
    console.log('Codebase Navigator is running in code-server (VS Code in the browser).');
    console.log(`Workspace (a scratch copy, deleted on exit): ${workspace}`);
    console.log(`code-server log: ${server.logFile}`);
    console.log('');
    console.log('Open this URL:');
    console.log(url);
    console.log('');
    console.log('Press Ctrl-C to stop.');

    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      console.log(`\n${signal}: stopping code-server`);
      server.stop().finally(() => {
        removeDir(tmp);
        process.exit(0);
      });
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
    server.child.once('exit', (code, signal) => {
      if (stopping) return;
      console.log(`code-server exited (${code ?? signal}); see ${server.logFile}`);
      removeDir(tmp);
      process.exit(1);
    });
  } catch (err) {
    cleanup();
    throw err;
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
