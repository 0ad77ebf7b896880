import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TypegenScheduler } from '../../../src/core/typegen';
import { killProcessTree } from '../../../src/core/typegen/process/killTree';
import { runProcess, systemProcessDeps, type ProcessDeps } from '../../../src/core/typegen/process/runner';
import { okResult, until } from './fakes';

const TREE = path.resolve(__dirname, '../../../../test/fixtures/typegen/proc/tree.js');

function alive(pid: number): boolean {
  if (process.platform === 'linux') {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function pids(file: string): Map<string, number> {
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  return new Map(text.split('\n').filter(Boolean).map((l) => [l.split(' ')[0], Number(l.split(' ')[1])] as [string, number]));
}

const deps: ProcessDeps = { ...systemProcessDeps, killTree: (pid) => killProcessTree(pid, { graceMs: 300 }) };

(process.platform === 'win32' ? describe.skip : describe)('typegen process tree (real processes)', function () {
  this.timeout(30_000);
  let dir: string;
  const started: number[] = [];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'codenav-tree-'));
  });

  afterEach(() => {
    for (const pid of started.splice(0))
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone, as it should be */
      }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('restart kills the whole tree, including a grandchild that left the group and ignores SIGTERM', async () => {
    const runs: string[] = [];
    const scheduler = new TypegenScheduler({
      trusted: () => true,
      policy: () => ({ debounceMs: 0, mode: 'restart' }),
      job: async (_folder, _triggers, signal) => {
        const pidfile = path.join(dir, `run${runs.length}.pids`);
        runs.push(pidfile);
        const o = await runProcess({ argv: ['node', TREE, pidfile], cwd: dir, root: dir, timeoutMs: 60_000, signal }, deps);
        return okResult({ ok: o.code === 0, cancelled: o.cancelled });
      },
    });
    const finished: boolean[] = [];
    scheduler.onEvent((e) => e.type === 'finished' && finished.push(e.result.cancelled));

    scheduler.notify('ws', 'models.py');
    await until(() => pids(path.join(dir, 'run0.pids')).size === 3, 10_000, 'three processes of the first run');
    const first = pids(path.join(dir, 'run0.pids'));
    started.push(...first.values());
    assert.equal([...first.values()].every(alive), true);

    scheduler.notify('ws', 'models.py');
    await until(() => finished.length === 1, 10_000, 'the first run to end');
    assert.deepEqual(finished, [true], 'the first run was cancelled by the restart');
    for (const [role, pid] of first) assert.equal(alive(pid), false, `${role} ${pid} is still alive`);

    await until(() => pids(path.join(dir, 'run1.pids')).size === 3, 10_000, 'the restarted run');
    started.push(...pids(path.join(dir, 'run1.pids')).values());
    scheduler.cancel('ws');
    await until(() => finished.length === 2, 10_000, 'the second run to end');
    for (const [role, pid] of pids(path.join(dir, 'run1.pids'))) assert.equal(alive(pid), false, `${role} ${pid} is still alive after cancel`);
  });

  it('a timeout ends the run and its whole tree', async () => {
    const pidfile = path.join(dir, 'timeout.pids');
    const run = runProcess({ argv: ['node', TREE, pidfile], cwd: dir, root: dir, timeoutMs: 1500 }, deps);
    const o = await run;
    const all = pids(pidfile);
    started.push(...all.values());
    assert.equal(o.timedOut, true);
    assert.equal(all.size, 3, 'the whole tree had started before the timeout');
    for (const [role, pid] of all) assert.equal(alive(pid), false, `${role} ${pid} is still alive`);
    assert.match(o.output, /parent \d+ started/);
  });
});
