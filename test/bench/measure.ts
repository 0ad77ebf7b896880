import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface Stats {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function median(values: readonly number[]): number {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function stats(values: readonly number[]): Stats {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), runs: values.length };
}

/** Milliseconds taken by `fn`, with its result. */
export async function timed<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  platform: string;
  date: string;
  git?: string;
  python?: string;
}

export function machine(): Machine {
  let cpuModel = os.cpus()[0]?.model ?? 'unknown';
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) cpuModel = m[1].trim();
  } catch {
    /* not Linux: os.cpus() has it */
  }
  const version = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim().split('\n')[0];
    } catch {
      return undefined;
    }
  };
  return {
    cpus: typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length,
    cpuModel,
    memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    git: version('git', ['--version']),
    python: version('/usr/bin/python3', ['--version']),
  };
}

export interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time of the whole process, spawn to exit. */
  wallMs: number;
  /** `process.resourceUsage()` of the child at exit (maxRSS in KB), from the preload below. */
  rusage?: NodeJS.ResourceUsage & { heapUsed: number; peakMallocedMemory: number };
}

const PRELOAD = path.join(__dirname, 'rusage.js');

/**
 * Runs `node <args>` in a fresh process and collects its wall time and, through a preloaded
 * module, its own `process.resourceUsage()` at exit: peak RSS without /usr/bin/time.
 */
export function runNode(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; nodeArgs?: string[] } = {}): Promise<ChildRun> {
  const report = path.join(os.tmpdir(), `codenav-bench-rusage-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--require', PRELOAD, ...args], {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env, CODENAV_BENCH_RUSAGE_FILE: report },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 900_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const wallMs = performance.now() - t0;
      let rusage: ChildRun['rusage'];
      try {
        rusage = JSON.parse(fs.readFileSync(report, 'utf8'));
        fs.rmSync(report, { force: true });
      } catch {
        rusage = undefined;
      }
      resolve({ code, stdout, stderr: timedOut ? `${stderr}\nkilled after ${Math.round(wallMs / 1000)} s (time limit)` : stderr, wallMs, rusage });
    });
  });
}

/** Marks the one line of a child's stdout that carries its JSON result. */
export const RESULT_MARK = '@@codenav-bench-result ';

export function emitResult(value: unknown): void {
  process.stdout.write(`\n${RESULT_MARK}${JSON.stringify(value)}\n`);
}

/** The JSON a child printed with `emitResult`; throws with the child's stderr when it crashed. */
export function childResult<T>(run: ChildRun, what: string): T & { maxRssMb?: number } {
  const line = run.stdout.split('\n').find((l) => l.startsWith(RESULT_MARK));
  if (run.code !== 0 || !line) {
    const tail = (run.stderr || run.stdout).trim().split('\n').slice(-15).join('\n');
    throw new Error(`${what} exited with code ${run.code}${line ? '' : ' and no result'}:\n${tail}`);
  }
  const value = JSON.parse(line.slice(RESULT_MARK.length)) as T & { maxRssMb?: number };
  if (run.rusage) value.maxRssMb = run.rusage.maxRSS / 1024;
  return value;
}

/**
 * Runs up to `times` fresh child processes one after the other: always one, then more while
 * another run of average length still ends before `deadline` (epoch ms).
 */
export async function repeatChild<T>(times: number, what: string, args: string[], opts: Parameters<typeof runNode>[1] & { deadline?: number } = {}): Promise<(T & { maxRssMb?: number; wallMs: number })[]> {
  const out: (T & { maxRssMb?: number; wallMs: number })[] = [];
  for (let i = 0; i < times; i++) {
    const avg = out.reduce((s, x) => s + x.wallMs, 0) / Math.max(1, out.length);
    if (i > 0 && opts.deadline !== undefined && Date.now() + avg > opts.deadline) break;
    const run = await runNode(args, opts);
    out.push({ ...childResult<T>(run, what), wallMs: run.wallMs });
  }
  return out;
}

export const round = (n: number, digits = 1): number => (Number.isFinite(n) ? Math.round(n * 10 ** digits) / 10 ** digits : n);
