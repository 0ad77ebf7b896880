import * as assert from 'node:assert/strict';
import { runProcess, succeeded, type RunOutcome } from '../../../src/core/typegen/process/runner';
import { FakeProcesses, settle } from './fakes';

const spec = { argv: ['openapi-typescript', '../backend/openapi.json', '-o', 'src/api.ts'], cwd: '/ws/frontend', root: '/ws', timeoutMs: 5000 };

describe('typegen process runner (fake processes)', () => {
  it('spawns the resolved program with argv, no shell, in its own process group', async () => {
    const procs = new FakeProcesses();
    const lines: string[] = [];
    const run = runProcess({ ...spec, onLine: (s, l) => lines.push(`${s}:${l}`) }, procs.deps);
    const p = procs.last();
    assert.equal(p.file, '/fake/bin/openapi-typescript');
    assert.deepEqual(p.args, ['../backend/openapi.json', '-o', 'src/api.ts']);
    assert.equal(p.options.shell, false);
    assert.equal(p.options.cwd, '/ws/frontend');
    assert.equal(p.options.detached, process.platform !== 'win32');
    p.write('✨ openapi-typescript 7.13.0\n🚀 done');
    p.write('warn: x\n', 'stderr');
    await settle();
    p.exit(0);
    const o = await run;
    assert.equal(succeeded(o), true);
    assert.deepEqual(lines.sort(), ['stderr:warn: x', 'stdout:✨ openapi-typescript 7.13.0', 'stdout:🚀 done'].sort());
    assert.deepEqual(procs.killedTrees, []);
  });

  it('a timeout kills the process tree and ends the run as timed out', async () => {
    const procs = new FakeProcesses();
    const run = runProcess(spec, procs.deps);
    procs.clock.advance(4999);
    await settle();
    assert.deepEqual(procs.killedTrees, []);
    procs.clock.advance(1);
    const o: RunOutcome = await run;
    assert.equal(o.timedOut, true);
    assert.equal(succeeded(o), false);
    assert.deepEqual(procs.killedTrees, [procs.last().pid]);
    assert.equal(o.durationMs, 5000);
  });

  it('aborting the signal kills the tree and reports a cancel, not a failure', async () => {
    const procs = new FakeProcesses();
    const ac = new AbortController();
    const run = runProcess({ ...spec, signal: ac.signal }, procs.deps);
    ac.abort();
    const o = await run;
    assert.equal(o.cancelled, true);
    assert.equal(o.timedOut, false);
    assert.deepEqual(procs.killedTrees, [procs.last().pid]);
  });

  it('a program that exits while something it started holds the pipes is ended after a grace period', async () => {
    const procs = new FakeProcesses();
    const run = runProcess(spec, procs.deps);
    const p = procs.last();
    p.emit('exit', 0, null); // no 'close': a grandchild still has stdout
    await settle();
    procs.clock.advance(2000);
    const o = await run;
    assert.equal(o.code, 0);
    assert.deepEqual(procs.killedTrees, [p.pid]);
  });

  it('reports a program that is not found without spawning anything', async () => {
    const procs = new FakeProcesses();
    const o = await runProcess(spec, { ...procs.deps, which: () => undefined });
    assert.equal(procs.spawned.length, 0);
    assert.match(o.error ?? '', /"openapi-typescript" was not found/);
  });

  it('reports a non-zero exit with its output', async () => {
    const procs = new FakeProcesses();
    const run = runProcess(spec, procs.deps);
    procs.last().write('Error: Unsupported Swagger version: 2.x\n', 'stderr');
    await settle();
    procs.last().exit(1);
    const o = await run;
    assert.equal(o.code, 1);
    assert.equal(succeeded(o), false);
    assert.match(o.output, /Unsupported Swagger version/);
  });
});
