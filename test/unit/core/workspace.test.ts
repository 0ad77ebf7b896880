import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { contentHash } from '../../../src/core/workspace/factCache';
import { Workspace } from '../../../src/core/workspace/workspace';
import { repoRoot, tempDir, writeTree } from '../../support/tmp';

describe('Workspace and the fact cache', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => (t = tempDir()));
  afterEach(() => t.cleanup());

  it('parses an unchanged file once, and an edited file alone', async () => {
    writeTree(t.dir, { 'a.py': 'class A:\n    pass\n', 'b.py': 'class B:\n    pass\n', 'c.ts': 'export class C {}\n' });
    const ws = await Workspace.open(t.dir, { noGit: true });
    for (const f of ['a.py', 'b.py', 'c.ts']) assert.ok(await ws.facts(f));
    assert.equal(ws.cache.parses, 3);
    for (const f of ['a.py', 'b.py', 'c.ts']) await ws.facts(f);
    assert.equal(ws.cache.parses, 3, 'a second pass parses nothing');

    fs.writeFileSync(path.join(t.dir, 'b.py'), 'class B2:\n    pass\n');
    assert.equal(await ws.update('b.py'), 'changed');
    const b = await ws.python('b.py');
    assert.equal(b?.classes[0].name, 'B2');
    await ws.facts('a.py');
    await ws.facts('c.ts');
    assert.equal(ws.cache.parses, 4, 'only b.py was parsed again');
  });

  it('tells file versions apart by content hash: every one-character edit of a file changes it', () => {
    const base = fs.readFileSync(path.join(repoRoot(), 'test/fixtures/sample/backend/alembic.ini'), 'utf8');
    const seen = new Map<string, string>();
    const add = (text: string) => {
      const h = contentHash(text);
      assert.equal(contentHash(text), h, 'the same text, the same hash');
      const other = seen.get(h);
      assert.ok(other === undefined || other === text, `two texts share ${h}`);
      seen.set(h, text);
    };
    // Each position replaced by each of a few characters, deleted, and doubled; swaps of neighbours; non-ASCII and astral characters.
    for (let i = 0; i < base.length; i++) {
      for (const ch of ['a', ' ', '\n', 'é', '😀']) add(base.slice(0, i) + ch + base.slice(i + 1));
      add(base.slice(0, i) + base.slice(i + 1));
      add(base.slice(0, i + 1) + base.slice(i));
      if (i + 1 < base.length) add(base.slice(0, i) + base[i + 1] + base[i] + base.slice(i + 2));
    }
    add('');
    assert.ok(seen.size > 5 * base.length, `${seen.size} distinct texts`);
  });

  it('shares facts between folders with the same content', async () => {
    writeTree(t.dir, { 'one/x.py': 'X = 1\n', 'two/x.py': 'X = 1\n' });
    const one = await Workspace.open(path.join(t.dir, 'one'), { noGit: true });
    const two = await Workspace.open(path.join(t.dir, 'two'), { noGit: true, cache: one.cache });
    await one.facts('x.py');
    await two.facts('x.py');
    assert.equal(one.cache.parses, 1);
  });

  it('tracks created and deleted files', async () => {
    writeTree(t.dir, { 'a.py': '' });
    const ws = await Workspace.open(t.dir, { noGit: true });
    writeTree(t.dir, { 'z/new.py': 'def f():\n    pass\n' });
    assert.equal(await ws.update('z/new.py'), 'created');
    assert.deepEqual(ws.files.map((f) => f.path), ['a.py', 'z/new.py']);
    fs.rmSync(path.join(t.dir, 'a.py'));
    assert.equal(await ws.update('a.py'), 'deleted');
    assert.deepEqual(ws.files.map((f) => f.path), ['z/new.py']);
    assert.equal(await ws.update('never.py'), 'ignored');
  });

  it('records the files work reads, and tells whether they, or the file list, changed since, counting an update still in flight', async () => {
    writeTree(t.dir, { 'a.py': 'x = 1\n', 'b.py': '', 'c.ts': '' });
    const ws = await Workspace.open(t.dir, { noGit: true });
    const g0 = ws.generation;
    const { result, reads } = await ws.recordReads(async () => {
      ws.text('a.py');
      ws.stamp('missing.py');
      await ws.python('a.py');
      return 7;
    });
    assert.equal(result, 7);
    assert.deepEqual([...reads].sort(), ['a.py', 'missing.py'], 'reads are recorded whether the file exists or not');
    ws.text('b.py');
    assert.deepEqual([...reads].sort(), ['a.py', 'missing.py'], 'nothing is recorded once the work ended');
    assert.equal(ws.changedSince(g0, reads), false);
    await ws.update('b.py');
    await ws.update('c.ts');
    assert.equal(ws.changedSince(g0, reads), false, 'files it did not read changed');
    await ws.update('a.py');
    assert.equal(ws.changedSince(g0, reads), true, 'a file it read changed');
    const g1 = ws.generation;
    writeTree(t.dir, { 'z/new.md': '' });
    await ws.update('z/new.md');
    assert.equal(ws.changedSince(g1, reads), true, 'a created file changes the file list');
    const g2 = ws.generation;
    fs.rmSync(path.join(t.dir, 'c.ts'));
    await ws.update('c.ts');
    assert.equal(ws.changedSince(g2, reads), true, 'so does a deleted one');
    const g3 = ws.generation;
    await ws.update('never.py');
    assert.equal(ws.changedSince(g3, reads), false, 'a path that is no file, before or after, changes nothing');
    const pending = ws.update('a.py');
    const during = ws.generation; // what work starting now would record
    await pending;
    assert.equal(ws.changedSince(during, reads), true, 'the update ended after that work began');
    assert.equal(ws.changedSince(ws.generation, reads), false);
    const g4 = ws.generation;
    await ws.reload();
    assert.equal(ws.changedSince(g4, new Set()), true, 'a reload changes everything');
  });

  it('gives no facts for a binary file, and records why', async () => {
    writeTree(t.dir, { 'blob.py': Buffer.from([0x63, 0x6c, 0x00, 0x01, 0xff, 0x00]) });
    const ws = await Workspace.open(t.dir, { noGit: true });
    assert.equal(await ws.facts('blob.py'), undefined);
    assert.equal(ws.problems.get('blob.py'), 'binary file');
    assert.equal(ws.grep('blob.py', /cl/), false);
  });

  it('stamps a file version: the same stamp while the content stays (saved unchanged, reloaded), a new one when it changes', async () => {
    const large = 'x = 1\n'.repeat(20_000); // past the 64 K characters kept in memory
    writeTree(t.dir, { 'a.py': 'A = 1\n', 'b.py': 'A = 1\n', 'big.py': large, 'bin.py': Buffer.from([0, 1, 2]) });
    const ws = await Workspace.open(t.dir, { noGit: true });
    const first = Object.fromEntries(['a.py', 'b.py', 'big.py', 'bin.py'].map((f) => [f, ws.stamp(f)]));
    assert.equal(new Set(Object.values(first)).size, 4, 'each file has its own stamp, even with the same content');
    assert.equal(ws.hash('a.py'), contentHash('A = 1\n'));
    assert.equal(ws.hash('a.py'), ws.hash('b.py'));

    // Saved unchanged, then reloaded: every stamp stays.
    writeTree(t.dir, { 'a.py': 'A = 1\n', 'big.py': large, 'bin.py': Buffer.from([0, 1, 2]) });
    for (const f of ['a.py', 'big.py', 'bin.py']) await ws.update(f);
    await ws.reload();
    for (const f of ['a.py', 'b.py', 'big.py', 'bin.py']) assert.equal(ws.stamp(f), first[f], `${f} unchanged`);

    // Changed: new stamps (a one-byte change in the large file and in the binary one too).
    writeTree(t.dir, { 'a.py': 'A = 2\n', 'big.py': large.replace(/1\n$/, '2\n'), 'bin.py': Buffer.from([0, 1, 3]) });
    for (const f of ['a.py', 'big.py', 'bin.py']) await ws.update(f);
    for (const f of ['a.py', 'big.py', 'bin.py']) assert.notEqual(ws.stamp(f), first[f], `${f} changed`);
    assert.equal(ws.stamp('b.py'), first['b.py']);
    assert.equal(ws.hash('a.py'), contentHash('A = 2\n'));
    assert.equal(ws.stamp('big.py'), ws.stamp('big.py'), 'a large file read again keeps its stamp');
  });

  it('calls a file binary for a NUL in its first 8,192 bytes, counted in bytes, and hashes binaries byte for byte', async () => {
    const e = (n: number) => 'é'.repeat(n); // two bytes each
    writeTree(t.dir, {
      'last-byte.py': `${e(4095)}a\0tail`, // NUL at byte 8191
      'past.py': `${e(4096)}\0tail`, // NUL at byte 8192, character 4096
      'b1.py': Buffer.from([0x00, 0xff, 0x61]),
      'b2.py': Buffer.from([0x00, 0xfe, 0x61]),
      // 3,000 invalid bytes decode to 3,000 replacement characters (9,000 bytes as UTF-8), but the NUL is at byte 3,000 of the file.
      'latin1.py': Buffer.concat([Buffer.alloc(3000, 0xe9), Buffer.from('\0tail')]),
      'latin1-past.py': Buffer.concat([Buffer.alloc(8192, 0xe9), Buffer.from('\0tail')]),
    });
    const ws = await Workspace.open(t.dir, { noGit: true });
    assert.equal(ws.text('last-byte.py'), undefined);
    assert.equal(ws.problems.get('last-byte.py'), 'binary file');
    assert.equal(ws.text('past.py'), `${e(4096)}\0tail`);
    assert.equal(ws.problems.has('past.py'), false);
    assert.equal(ws.text('b1.py'), undefined);
    assert.notEqual(ws.hash('b1.py'), ws.hash('b2.py'), 'binaries that differ only in invalid UTF-8 bytes');
    assert.equal(ws.text('latin1.py'), undefined, 'counted in the bytes of the file, not of its decoded text');
    assert.equal(ws.problems.get('latin1.py'), 'binary file');
    assert.equal(ws.text('latin1-past.py')?.endsWith('\0tail'), true);
    assert.equal(ws.problems.has('latin1-past.py'), false);
  });

  it('reads a file with invalid UTF-8 and still extracts its facts', async () => {
    const bytes = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9, 0xff]), Buffer.from('\nclass Invoice:\n    """\xc3"""\n')]);
    writeTree(t.dir, { 'bad.py': bytes, 'bad.ts': Buffer.concat([Buffer.from('// \xfe\n'), Buffer.from('export class K {}\n')]) });
    const ws = await Workspace.open(t.dir, { noGit: true });
    const py = await ws.python('bad.py');
    assert.equal(py?.classes[0].name, 'Invoice');
    assert.equal((await ws.typescript('bad.ts'))?.classes[0].name, 'K');
  });

  it('extracts facts from a file with syntax errors, with the error ranges', async () => {
    writeTree(t.dir, { 'broken.py': 'class Good:\n    def ok(self):\n        return 1\n\ndef broken(:\n    pass\n' });
    const ws = await Workspace.open(t.dir, { noGit: true });
    const py = await ws.python('broken.py');
    assert.equal(py?.classes[0].name, 'Good');
    assert.ok(py!.errors.length > 0);
    assert.equal(py!.errors[0].start.line, 4);
  });

  it('keeps config findings and applies config excludes', async () => {
    writeTree(t.dir, { '.codenav.yaml': 'exclude: ["gen/**"]\nbogus: 1\n', 'gen/a.py': '', 'b.py': '' });
    const ws = await Workspace.open(t.dir, { noGit: true });
    assert.deepEqual(ws.files.map((f) => f.path), ['.codenav.yaml', 'b.py']);
    assert.equal(ws.configFindings.length, 1);
    assert.equal(ws.configFindings[0].range.start.line, 1);
  });
});
