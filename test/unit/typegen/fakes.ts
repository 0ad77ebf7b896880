import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type { SpawnOptions } from 'node:child_process';
import type { Clock } from '../../../src/core/typegen/process/clock';
import type { ProcessDeps, ProcessHandle } from '../../../src/core/typegen/process/runner';
import type { TypegenRunResult } from '../../../src/core/typegen';

/** A clock that only moves when the test says so. */
export class FakeClock implements Clock {
  private t = 0;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  get pending(): number {
    return this.timers.size;
  }

  /** Moves time forward, firing due timers in order (including timers they set). */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const next = [...this.timers.entries()].filter(([, v]) => v.at <= end).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!next) break;
      this.timers.delete(next[0]);
      this.t = next[1].at;
      next[1].fn();
    }
    this.t = end;
  }
}

/** A child process that does what the test tells it. */
export class FakeProcess extends EventEmitter implements ProcessHandle {
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  killed = false;
  exited = false;

  constructor(
    readonly pid: number,
    readonly file: string,
    readonly args: string[],
    readonly options: SpawnOptions,
  ) {
    super();
    this.once('exit', () => (this.exited = true));
  }

  write(text: string, stream: 'stdout' | 'stderr' = 'stdout'): void {
    this[stream].write(text);
  }

  exit(code: number | null, signal: NodeJS.Signals | null = null, emitExit = true): void {
    this.stdout.end();
    this.stderr.end();
    if (emitExit) this.emit('exit', code, signal);
    // 'close' follows once both pipes have ended, as with a real child.
    setImmediate(() => this.emit('close', code, signal));
  }
}

/** Fake spawn + killTree: records every process and every tree kill. */
export class FakeProcesses {
  readonly spawned: FakeProcess[] = [];
  readonly killedTrees: number[] = [];
  private nextPid = 1000;

  constructor(readonly clock: FakeClock = new FakeClock()) {}

  get deps(): ProcessDeps {
    return {
      clock: this.clock,
      which: (name) => `/fake/bin/${name}`,
      spawn: (file, args, options) => {
        const p = new FakeProcess(this.nextPid++, file, args, options);
        this.spawned.push(p);
        return p;
      },
      killTree: async (pid) => {
        this.killedTrees.push(pid);
        const p = this.spawned.find((x) => x.pid === pid);
        if (p && !p.killed) {
          p.killed = true;
          // The leader may be gone already; killing the rest of the tree releases the pipes.
          if (p.exited) p.exit(null, null, false);
          else p.exit(null, 'SIGTERM');
        }
      },
    };
  }

  last(): FakeProcess {
    const p = this.spawned[this.spawned.length - 1];
    if (!p) throw new Error('nothing was spawned');
    return p;
  }
}

export function okResult(extra: Partial<TypegenRunResult> = {}): TypegenRunResult {
  return { ok: true, cancelled: false, timedOut: false, durationMs: 0, findings: [], changes: [], log: [], ...extra };
}

/** Resolves once the event loop has run pending callbacks and promise continuations. */
export function settle(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

/** Polls `fn` until true, failing after `ms`. */
export async function until(fn: () => boolean | Promise<boolean>, ms = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
