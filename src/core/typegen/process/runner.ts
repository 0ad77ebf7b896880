import { spawn, type SpawnOptions } from 'node:child_process';
import path = require('node:path');
import { systemClock, type Clock } from './clock';
import { killProcessTree } from './killTree';
import { binDirs, which } from './which';

/** The part of a ChildProcess the runner uses, so tests can hand in fakes. */
export interface ProcessHandle {
  readonly pid?: number;
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  on(event: 'error' | 'exit' | 'close', listener: (...args: any[]) => void): unknown;
}

export type SpawnFn = (file: string, args: string[], options: SpawnOptions) => ProcessHandle;

export interface ProcessDeps {
  spawn: SpawnFn;
  /** Ends the process and all its descendants; resolves when they are gone. */
  killTree: (pid: number) => Promise<void>;
  clock: Clock;
  which: (name: string, cwd: string, extraDirs: string[]) => string | undefined;
}

export const systemProcessDeps: ProcessDeps = {
  spawn: (file, args, options) => spawn(file, args, options),
  killTree: (pid) => killProcessTree(pid),
  clock: systemClock,
  which: (name, cwd, extra) => which(name, cwd, extra),
};

export interface RunSpec {
  argv: string[];
  /** Absolute folder to run in. */
  cwd: string;
  /** The workspace root: `node_modules/.bin` folders between it and `cwd` are searched first. */
  root: string;
  env?: Record<string, string | undefined>;
  timeoutMs: number;
  signal?: AbortSignal;
  onLine?: (stream: 'stdout' | 'stderr', line: string) => void;
}

export interface RunOutcome {
  /** The argv as people read it. */
  command: string;
  code: number | null;
  signal: string | null;
  timedOut: boolean;
  cancelled: boolean;
  durationMs: number;
  /** The last part of stdout and stderr, interleaved as they arrived. */
  output: string;
  /** The program could not be started (not found, not executable). */
  error?: string;
}

export function succeeded(o: RunOutcome): boolean {
  return o.code === 0 && !o.error && !o.timedOut && !o.cancelled;
}

const MAX_OUTPUT = 256 * 1024;
/** How long to wait for the pipes to close after the program exits before ending what still holds them. */
const CLOSE_GRACE_MS = 2000;

export function displayArgv(argv: string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./{}-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}

/**
 * Runs one program with argv and no shell. The program starts in a process
 * group of its own, so a timeout or a cancel ends the whole tree it started.
 */
export function runProcess(spec: RunSpec, deps: ProcessDeps = systemProcessDeps): Promise<RunOutcome> {
  const started = deps.clock.now();
  const base: RunOutcome = { command: displayArgv(spec.argv), code: null, signal: null, timedOut: false, cancelled: false, durationMs: 0, output: '' };
  if (spec.signal?.aborted) return Promise.resolve({ ...base, cancelled: true });
  const bins = binDirs(spec.cwd, spec.root);
  const program = deps.which(spec.argv[0], spec.cwd, bins);
  if (!program) return Promise.resolve({ ...base, error: `"${spec.argv[0]}" was not found in node_modules/.bin or on PATH` });
  const env: Record<string, string | undefined> = {
    ...process.env,
    ...spec.env,
    PATH: [...bins, spec.env?.PATH ?? process.env.PATH ?? ''].filter(Boolean).join(path.delimiter),
    FORCE_COLOR: '0',
    NO_COLOR: '1',
  };
  let child: ProcessHandle;
  try {
    child = deps.spawn(program, spec.argv.slice(1), {
      cwd: spec.cwd,
      env,
      shell: false,
      detached: process.platform !== 'win32',
      windowsHide: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    return Promise.resolve({ ...base, error: (err as Error).message });
  }

  return new Promise<RunOutcome>((resolve) => {
    let output = '';
    const partial = { stdout: '', stderr: '' };
    let exited = false;
    let settled = false;
    let killing: Promise<void> | undefined;
    let lateTimer: unknown;
    const result = { ...base };

    const emit = (stream: 'stdout' | 'stderr', text: string) => {
      output += text;
      if (output.length > MAX_OUTPUT) output = output.slice(output.length - MAX_OUTPUT);
      const lines = (partial[stream] + text).split(/\r?\n/);
      partial[stream] = lines.pop() ?? '';
      for (const l of lines) spec.onLine?.(stream, l);
    };
    const kill = (): Promise<void> => {
      if (!killing) killing = child.pid ? deps.killTree(child.pid).catch(() => undefined) : Promise.resolve();
      return killing;
    };
    const finish = async (error?: string) => {
      if (settled) return;
      settled = true;
      deps.clock.clearTimeout(timer);
      if (lateTimer !== undefined) deps.clock.clearTimeout(lateTimer);
      spec.signal?.removeEventListener('abort', onAbort);
      if (killing) await killing;
      for (const s of ['stdout', 'stderr'] as const) if (partial[s]) spec.onLine?.(s, partial[s]);
      resolve({ ...result, output, error: error ?? result.error, durationMs: deps.clock.now() - started });
    };
    const stopAndFinish = () => {
      void kill().then(() => {
        if (!exited) lateTimer = deps.clock.setTimeout(() => void finish(), CLOSE_GRACE_MS);
      });
    };
    const timer = deps.clock.setTimeout(() => {
      result.timedOut = true;
      stopAndFinish();
    }, spec.timeoutMs);
    const onAbort = () => {
      result.cancelled = true;
      stopAndFinish();
    };
    spec.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout?.on('data', (b: Buffer | string) => emit('stdout', b.toString()));
    child.stderr?.on('data', (b: Buffer | string) => emit('stderr', b.toString()));
    child.on('error', (err: Error) => void finish(err.message));
    child.on('exit', (code: number | null, signal: NodeJS.Signals | null) => {
      exited = true;
      result.code = code;
      result.signal = signal;
      // Something the program started may still hold the pipes open: end it after a grace period.
      if (lateTimer !== undefined) deps.clock.clearTimeout(lateTimer);
      lateTimer = deps.clock.setTimeout(() => void kill().then(() => finish()), CLOSE_GRACE_MS);
    });
    child.on('close', () => void finish());
  });
}
