import type { TypegenRunResult } from './generate';
import { systemClock, type Clock } from './process/clock';

/** Runs type generation for one folder; must end the process tree when `signal` aborts. */
export type TypegenJob = (folder: string, triggers: string[], signal: AbortSignal) => Promise<TypegenRunResult>;

export interface FolderPolicy {
  debounceMs: number;
  /** What a save during a run does: end the run's process tree and start again, or run once more afterwards. */
  mode: 'restart' | 'queue';
}

export interface SchedulerOptions {
  job: TypegenJob;
  /** Nothing is ever started while this says no (workspace trust). */
  trusted: () => boolean;
  policy: (folder: string) => FolderPolicy;
  clock?: Clock;
}

export type RunNowResult = { ran: false; reason: 'untrusted' | 'cancelled' } | { ran: true; result: TypegenRunResult };

export type SchedulerEvent =
  | { type: 'pending'; folder: string; triggers: string[] }
  | { type: 'started'; folder: string; triggers: string[] }
  | { type: 'finished'; folder: string; triggers: string[]; result: TypegenRunResult }
  | { type: 'refused'; folder: string; reason: 'untrusted' };

type Waiter = (r: RunNowResult) => void;

interface Slot {
  timer?: unknown;
  pending: Set<string>;
  running?: { controller: AbortController; triggers: string[] };
  next?: { triggers: Set<string>; waiters: Waiter[] };
}

function crashed(err: unknown): TypegenRunResult {
  return {
    ok: false,
    cancelled: false,
    timedOut: false,
    durationMs: 0,
    findings: [],
    changes: [],
    log: [`✗ internal error: ${(err as Error)?.stack ?? String(err)}`],
  };
}

/**
 * Decides when type generation runs. Saves are debounced, then coalesced: a
 * burst of saves is one run. One run per folder at a time; a save during a
 * run restarts it (the job's signal aborts, which ends its process tree) or
 * queues one more run. Nothing runs when `trusted()` is false.
 */
export class TypegenScheduler {
  private readonly slots = new Map<string, Slot>();
  private readonly listeners = new Set<(e: SchedulerEvent) => void>();
  private readonly clock: Clock;
  private disposed = false;

  constructor(private readonly options: SchedulerOptions) {
    this.clock = options.clock ?? systemClock;
  }

  onEvent(listener: (e: SchedulerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  state(folder: string): 'idle' | 'pending' | 'running' {
    const s = this.slots.get(folder);
    return s?.running ? 'running' : s?.timer !== undefined ? 'pending' : 'idle';
  }

  /** A trigger file was saved. Returns false when nothing was scheduled (untrusted). */
  notify(folder: string, trigger: string): boolean {
    if (this.disposed) return false;
    if (!this.options.trusted()) {
      this.emit({ type: 'refused', folder, reason: 'untrusted' });
      return false;
    }
    const slot = this.slot(folder);
    slot.pending.add(trigger);
    if (slot.timer !== undefined) this.clock.clearTimeout(slot.timer);
    slot.timer = this.clock.setTimeout(() => this.fire(folder), this.options.policy(folder).debounceMs);
    this.emit({ type: 'pending', folder, triggers: [...slot.pending] });
    return true;
  }

  /** Runs now (pending saves join in); resolves with the result of the run that served this request. */
  runNow(folder: string, triggers: string[] = []): Promise<RunNowResult> {
    if (this.disposed) return Promise.resolve({ ran: false, reason: 'cancelled' });
    if (!this.options.trusted()) {
      this.emit({ type: 'refused', folder, reason: 'untrusted' });
      return Promise.resolve({ ran: false, reason: 'untrusted' });
    }
    const slot = this.slot(folder);
    const all = [...slot.pending, ...triggers];
    this.clearPending(slot);
    return new Promise<RunNowResult>((resolve) => this.enqueue(folder, all, resolve));
  }

  /** Drops pending saves and ends the running generation of one folder, or of all. True if anything was stopped. */
  cancel(folder?: string): boolean {
    let any = false;
    for (const [key, slot] of this.slots) {
      if (folder !== undefined && key !== folder) continue;
      if (slot.timer !== undefined || slot.running || slot.next) any = true;
      this.clearPending(slot);
      const next = slot.next;
      slot.next = undefined;
      next?.waiters.forEach((w) => w({ ran: false, reason: 'cancelled' }));
      slot.running?.controller.abort();
    }
    return any;
  }

  dispose(): void {
    this.cancel();
    this.disposed = true;
    this.listeners.clear();
  }

  private slot(folder: string): Slot {
    let s = this.slots.get(folder);
    if (!s) this.slots.set(folder, (s = { pending: new Set() }));
    return s;
  }

  private clearPending(slot: Slot): void {
    if (slot.timer !== undefined) this.clock.clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.pending.clear();
  }

  private fire(folder: string): void {
    const slot = this.slot(folder);
    slot.timer = undefined;
    const triggers = [...slot.pending];
    slot.pending.clear();
    if (this.disposed) return;
    if (!this.options.trusted()) return this.emit({ type: 'refused', folder, reason: 'untrusted' });
    this.enqueue(folder, triggers);
  }

  private enqueue(folder: string, triggers: string[], waiter?: Waiter): void {
    const slot = this.slot(folder);
    if (!slot.running) return this.start(folder, triggers, waiter ? [waiter] : []);
    slot.next ??= { triggers: new Set(), waiters: [] };
    triggers.forEach((t) => slot.next!.triggers.add(t));
    if (waiter) slot.next.waiters.push(waiter);
    if (this.options.policy(folder).mode === 'restart') slot.running.controller.abort();
  }

  private start(folder: string, triggers: string[], waiters: Waiter[]): void {
    const slot = this.slot(folder);
    const controller = new AbortController();
    slot.running = { controller, triggers };
    this.emit({ type: 'started', folder, triggers });
    void Promise.resolve()
      .then(() => this.options.job(folder, triggers, controller.signal))
      .catch(crashed)
      .then((result) => {
        slot.running = undefined;
        this.emit({ type: 'finished', folder, triggers, result });
        const next = slot.next;
        slot.next = undefined;
        // A restarted run hands its callers over to the run that replaces it.
        if (next && result.cancelled) next.waiters.unshift(...waiters);
        else waiters.forEach((w) => w({ ran: true, result }));
        if (!next) return;
        if (!this.disposed && this.options.trusted()) this.start(folder, [...new Set([...(result.cancelled ? triggers : []), ...next.triggers])], next.waiters);
        else next.waiters.forEach((w) => w({ ran: false, reason: this.disposed ? 'cancelled' : 'untrusted' }));
      });
  }

  private emit(e: SchedulerEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        /* a listener's bug never stops the scheduler */
      }
    }
  }
}
