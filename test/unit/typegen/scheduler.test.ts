import * as assert from 'node:assert/strict';
import { TypegenScheduler, type SchedulerEvent, type TypegenRunResult } from '../../../src/core/typegen';
import { runProcess } from '../../../src/core/typegen/process/runner';
import { FakeClock, FakeProcesses, okResult, settle } from './fakes';

interface Call {
  folder: string;
  triggers: string[];
  signal: AbortSignal;
  finish: (r?: Partial<TypegenRunResult>) => void;
}

/** A scheduler whose job waits until the test finishes it (or its signal aborts). */
function setup(opts: { mode?: 'restart' | 'queue'; debounceMs?: number; trusted?: () => boolean } = {}) {
  const clock = new FakeClock();
  const calls: Call[] = [];
  const events: SchedulerEvent[] = [];
  const scheduler = new TypegenScheduler({
    clock,
    trusted: opts.trusted ?? (() => true),
    policy: () => ({ debounceMs: opts.debounceMs ?? 300, mode: opts.mode ?? 'restart' }),
    job: (folder, triggers, signal) =>
      new Promise<TypegenRunResult>((resolve) => {
        const call: Call = { folder, triggers, signal, finish: (r) => resolve(okResult(r)) };
        signal.addEventListener('abort', () => resolve(okResult({ ok: false, cancelled: true })));
        calls.push(call);
      }),
  });
  scheduler.onEvent((e) => events.push(e));
  return { clock, calls, events, scheduler };
}

describe('typegen scheduler', () => {
  it('debounces: nothing runs before the quiet period ends', async () => {
    const { clock, calls, scheduler } = setup({ debounceMs: 300 });
    scheduler.notify('ws', 'backend/models.py');
    clock.advance(299);
    await settle();
    assert.equal(calls.length, 0);
    assert.equal(scheduler.state('ws'), 'pending');
    clock.advance(1);
    await settle();
    assert.equal(calls.length, 1);
    assert.equal(scheduler.state('ws'), 'running');
  });

  it('coalesces a burst of twenty saves into one run that names every saved file', async () => {
    const { clock, calls, scheduler } = setup({ debounceMs: 300 });
    for (let i = 0; i < 20; i++) {
      scheduler.notify('ws', i % 2 ? 'backend/models.py' : 'backend/schemas.py');
      clock.advance(100); // each save lands inside the previous one's quiet period
    }
    await settle();
    assert.equal(calls.length, 0);
    clock.advance(300);
    await settle();
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0].triggers.sort(), ['backend/models.py', 'backend/schemas.py']);
    calls[0].finish();
    await settle();
    clock.advance(10_000);
    await settle();
    assert.equal(calls.length, 1, 'no second run after the burst');
  });

  it('restart mode: a save during a run aborts it, and the next run starts only after it ended', async () => {
    const { clock, calls, events, scheduler } = setup({ mode: 'restart', debounceMs: 100 });
    scheduler.notify('ws', 'a/models.py');
    clock.advance(100);
    await settle();
    assert.equal(calls.length, 1);
    scheduler.notify('ws', 'b/schemas.py');
    clock.advance(100);
    await settle();
    assert.equal(calls[0].signal.aborted, true);
    assert.equal(calls.length, 2);
    assert.deepEqual(calls[1].triggers.sort(), ['a/models.py', 'b/schemas.py'], 'the restarted run keeps the files of the aborted one');
    const order = events.filter((e) => e.type === 'started' || e.type === 'finished').map((e) => e.type);
    assert.deepEqual(order, ['started', 'finished', 'started'], 'one run per folder at a time');
  });

  it('queue mode: a save during a run lets it finish, then runs exactly once more', async () => {
    const { clock, calls, scheduler } = setup({ mode: 'queue', debounceMs: 100 });
    scheduler.notify('ws', 'a/models.py');
    clock.advance(100);
    await settle();
    for (let i = 0; i < 5; i++) {
      scheduler.notify('ws', 'a/models.py');
      clock.advance(100);
    }
    await settle();
    assert.equal(calls[0].signal.aborted, false);
    assert.equal(calls.length, 1, 'still one run while the first is going');
    calls[0].finish();
    await settle();
    await settle();
    assert.equal(calls.length, 2);
    calls[1].finish();
    await settle();
    assert.equal(calls.length, 2);
    assert.equal(scheduler.state('ws'), 'idle');
  });

  it('runs different workspace folders independently', async () => {
    const { clock, calls, scheduler } = setup({ debounceMs: 100 });
    scheduler.notify('one', 'models.py');
    scheduler.notify('two', 'models.py');
    clock.advance(100);
    await settle();
    assert.deepEqual(calls.map((c) => c.folder).sort(), ['one', 'two']);
    assert.equal(calls.some((c) => c.signal.aborted), false);
  });

  it('runNow skips the debounce, takes in pending saves, and resolves with the run result', async () => {
    const { calls, scheduler } = setup({ debounceMs: 10_000 });
    scheduler.notify('ws', 'models.py');
    const p = scheduler.runNow('ws');
    await settle();
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0].triggers, ['models.py']);
    calls[0].finish({ durationMs: 1234 });
    const r = await p;
    assert.equal(r.ran, true);
    assert.equal(r.ran && r.result.durationMs, 1234);
    assert.equal(scheduler.state('ws'), 'idle');
  });

  it('cancel drops pending saves and aborts the running job', async () => {
    const { clock, calls, scheduler } = setup({ debounceMs: 100 });
    scheduler.notify('ws', 'models.py');
    clock.advance(100);
    await settle();
    scheduler.notify('ws', 'models.py');
    assert.equal(scheduler.cancel('ws'), true);
    await settle();
    assert.equal(calls[0].signal.aborted, true);
    clock.advance(1000);
    await settle();
    assert.equal(calls.length, 1);
    assert.equal(scheduler.cancel('ws'), false, 'nothing left to cancel');
  });

  it('never runs the job in an untrusted workspace, from a save or from the command', async () => {
    let trusted = false;
    const { clock, calls, events, scheduler } = setup({ trusted: () => trusted });
    assert.equal(scheduler.notify('ws', 'models.py'), false);
    clock.advance(10_000);
    assert.deepEqual(await scheduler.runNow('ws'), { ran: false, reason: 'untrusted' });
    await settle();
    assert.equal(calls.length, 0);
    assert.equal(events.filter((e) => e.type === 'refused').length, 2);
    trusted = true;
    scheduler.notify('ws', 'models.py');
    clock.advance(10_000);
    await settle();
    assert.equal(calls.length, 1, 'runs once trust is granted');
  });

  it('trust withdrawn during the debounce: the pending save does not run', async () => {
    let trusted = true;
    const { clock, calls, scheduler } = setup({ trusted: () => trusted, debounceMs: 100 });
    scheduler.notify('ws', 'models.py');
    trusted = false;
    clock.advance(100);
    await settle();
    assert.equal(calls.length, 0);
  });
});

describe('typegen scheduler with the process runner (fake processes)', () => {
  function withRunner(mode: 'restart' | 'queue', trusted = () => true) {
    const procs = new FakeProcesses();
    const scheduler = new TypegenScheduler({
      clock: procs.clock,
      trusted,
      policy: () => ({ debounceMs: 50, mode }),
      job: async (_folder, _triggers, signal) => {
        const o = await runProcess({ argv: ['openapi-typescript', 'openapi.json', '-o', 'api.ts'], cwd: '/ws', root: '/ws', timeoutMs: 60_000, signal }, procs.deps);
        return okResult({ ok: o.code === 0, cancelled: o.cancelled });
      },
    });
    return { procs, scheduler };
  }

  it('restart kills the running process tree (by its group leader) before starting the next', async () => {
    const { procs, scheduler } = withRunner('restart');
    scheduler.notify('ws', 'models.py');
    procs.clock.advance(50);
    await settle();
    const first = procs.last();
    assert.equal(first.options.shell, false);
    assert.equal(first.options.detached, process.platform !== 'win32');
    scheduler.notify('ws', 'models.py');
    procs.clock.advance(50);
    await settle();
    await settle();
    assert.deepEqual(procs.killedTrees, [first.pid]);
    assert.equal(procs.spawned.length, 2);
    assert.notEqual(procs.last().pid, first.pid);
    procs.last().exit(0);
    await settle();
    assert.equal(procs.killedTrees.length, 1, 'a run that ends normally is not killed');
  });

  it('an untrusted workspace never spawns', async () => {
    const { procs, scheduler } = withRunner('restart', () => false);
    scheduler.notify('ws', 'models.py');
    procs.clock.advance(10_000);
    await scheduler.runNow('ws');
    await settle();
    assert.equal(procs.spawned.length, 0);
  });
});
