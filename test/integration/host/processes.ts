import { ChildProcess, spawn, SpawnOptions } from 'child_process';
import * as net from 'net';

const live = new Set<ChildProcess>();
let handlersInstalled = false;

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) {
    return;
  }
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

function installExitHandlers(): void {
  if (handlersInstalled) {
    return;
  }
  handlersInstalled = true;
  process.on('exit', () => {
    for (const child of live) {
      signalGroup(child, 'SIGKILL');
    }
  });
}

/** Spawns a child as the leader of its own process group, so it can be killed with all its descendants. */
export function spawnGroup(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
  installExitHandlers();
  const child = spawn(command, args, { ...options, detached: true });
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** SIGTERM to the whole group, then SIGKILL after a grace period. Resolves once the leader is gone. */
export async function killGroup(child: ChildProcess, graceMs = 5000): Promise<void> {
  const exited = new Promise<void>((resolve) => {
    if (hasExited(child)) {
      resolve();
    } else {
      child.once('exit', () => resolve());
    }
  });
  signalGroup(child, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), graceMs);
  });
  const outcome = await Promise.race([exited.then(() => 'exited' as const), grace]);
  clearTimeout(timer);
  // Descendants may outlive the leader; make sure the group is gone either way.
  signalGroup(child, 'SIGKILL');
  if (outcome === 'timeout') {
    await exited;
  }
  live.delete(child);
}

/** Kills every live group synchronously; for signal handlers. */
export function killAllGroups(): void {
  for (const child of live) {
    signalGroup(child, 'SIGKILL');
  }
}

/** A TCP port that is free on the loopback interface right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/** Polls `check` every `intervalMs` until it returns a value other than undefined, or the deadline passes. */
export async function poll<T>(
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 200,
): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() >= deadline) {
      return undefined;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
