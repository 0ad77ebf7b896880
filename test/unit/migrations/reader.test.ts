import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fg from 'fast-glob';
import { toRevision, type Unresolved } from '../../../src/core/migrations/alembic/revision';
import { FIELD_MENTION, parseDoc, parseDocByLines, plainFields, readRevisionSource } from '../../../src/core/migrations/alembic/revisionFile';
import { outlineFromFacts, readOutline } from '../../../src/core/migrations/pyreader/outline';
import { LineIndex, tokenize } from '../../../src/core/migrations/pyreader/tokens';
import { extractPython } from '../../../src/core/parsing/python';
import { repoRoot } from '../../support/tmp';
import { Rng } from '../../bench/gen/prng';
import { generateHistory } from './gen/alembicGen';

/** JSON with sorted keys and without undefined fields, so two outlines compare by content. */
function canon(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(
          Object.keys(x)
            .sort()
            .filter((k) => (x as Record<string, unknown>)[k] !== undefined)
            .map((k) => [k, (x as Record<string, unknown>)[k]]),
        )
      : x,
  );
}

async function viaFacts(src: string) {
  return outlineFromFacts(await extractPython(src), src);
}

describe('migrations: the fast module reader', () => {
  it('reads every fixture revision file exactly as the tree-sitter facts do', async () => {
    const files = await fg('test/fixtures/**/{versions,history}/*.py', { cwd: repoRoot() });
    assert.ok(files.length >= 40, `${files.length} fixture files`);
    for (const f of files) {
      const src = fs.readFileSync(path.join(repoRoot(), f), 'utf8');
      const fast = readOutline(src);
      assert.ok(fast, `${f} is read by the fast reader`);
      assert.equal(canon(fast), canon(await viaFacts(src)), f);
    }
  });

  it('agrees with the facts on 600 generated revision files, or hands the file over', async () => {
    let read = 0;
    let handedOver = 0;
    for (let seed = 0; seed < 40; seed++) {
      for (const [file, src] of Object.entries(generateHistory(seed).files)) {
        if (!file.endsWith('.py') || file.endsWith('env.py')) continue;
        const fast = readOutline(src);
        if (!fast) {
          handedOver++;
          assert.match(src, /^if TYPE_CHECKING:/m, `${file} was handed over without a module-level block`);
          continue;
        }
        read++;
        assert.equal(canon(fast), canon(await viaFacts(src)), `seed ${seed} ${file}\n${src}`);
      }
    }
    assert.ok(read > 600, `${read} files read`);
    assert.ok(handedOver > 0, 'some files use a module-level if block');
  });

  it('a focused reading gives the same revision as the whole reading, whenever it suffices', async () => {
    // What a revision is made of, without the outline it was read from.
    const revisionOf = (file: string, src: string, focus?: RegExp) => {
      const o = readOutline(src, focus);
      if (!o) return undefined;
      const source = readRevisionSource(file, o);
      const { outline, ...rest } = source;
      const unresolved: Unresolved[] = [];
      const rev = toRevision(source, undefined, unresolved);
      return canon({ ...rest, id: rev?.id, down: rev?.down, labels: rev?.labels, dependsOn: rev?.dependsOn, unresolved, comments: outline.comments, errors: outline.errors, docstring: outline.docstring, functions: outline.functions, lineCount: outline.lineCount });
    };
    const fixtures = await fg('test/fixtures/**/{versions,history}/*.py', { cwd: repoRoot() });
    const sources: [string, string][] = fixtures.map((f) => [f, fs.readFileSync(path.join(repoRoot(), f), 'utf8')]);
    for (let seed = 0; seed < 40; seed++) for (const [file, src] of Object.entries(generateHistory(seed).files)) if (file.endsWith('.py') && !file.endsWith('env.py')) sources.push([file, src]);
    let focused = 0;
    let declined = 0;
    for (const [file, src] of sources) {
      const whole = revisionOf(file, src);
      if (!whole) continue;
      const lean = readOutline(src, FIELD_MENTION);
      assert.ok(lean, `${file}: read whole but not focused`);
      if (!plainFields(readRevisionSource(file, lean).fields)) {
        declined++;
        continue;
      }
      focused++;
      assert.equal(revisionOf(file, src, FIELD_MENTION), whole, file);
    }
    assert.ok(focused > 600, `${focused} files read focused`);
    assert.ok(declined > 0, 'files whose fields name constants are read whole');
  });

  it('a focused reading skims what does not mention a field, and declines when a field names a constant', () => {
    const src = ['"""doc"""', 'from x import PREV', 'other = lambda: 1', 'revision = "b"  # codenav: ignore migration/naming -- legacy', 'down_revision = PREV', 'def upgrade():\n    pass'].join('\n');
    assert.equal(readOutline(src), undefined, 'the whole reading hands lambdas over');
    const lean = readOutline(src, FIELD_MENTION)!;
    assert.deepEqual(lean.imports, []);
    assert.deepEqual(lean.assignments.map((a) => a.targets[0]), ['revision', 'down_revision']);
    assert.equal(lean.comments.length, 1, 'comments of every line are kept');
    assert.deepEqual(lean.functions.map((f) => f.name), ['upgrade']);
    const suffices = (outline: NonNullable<typeof lean>) => plainFields(readRevisionSource('v/b.py', outline).fields);
    assert.equal(suffices(lean), false, 'down_revision names a constant: read the whole file');
    assert.equal(suffices(readOutline(src.replace('= PREV', '= ("a", "c")'), FIELD_MENTION)!), true);
  });

  it('passes over tricky function bodies with the same result as the facts', async () => {
    const body = [
      '    op.add_column("t", sa.Column("c", sa.Integer(), nullable=True))',
      '    x = {"a": [1, (2, {3: [4]})]}  ',
      '',
      '    op.execute("SELECT \'(\' FROM t")',
      "    op.execute('a \\' b')",
      '    op.create_table(',
      '        "t",',
      '    )',
      '    # codenav: ignore migration/naming -- a comment in a body',
      '    y = f(g(h(i(j(k(1))))))',
      '    sql = """',
      'revision = "not-a-field"',
      '"""',
      '    z = 1 \\',
      '        + 2',
      '\t\tw = [1, 2]',
      '    last = "end"   ',
    ];
    const src = ['"""doc"""', 'revision = "a"', 'down_revision = None', '', '', 'def upgrade():', ...body, '', '', 'def downgrade():', '    op.drop_table("t")', ''].join('\n');
    const fast = readOutline(src)!;
    assert.ok(fast);
    assert.equal(canon(fast), canon(await viaFacts(src)));
    assert.deepEqual(fast.assignments.map((a) => a.targets[0]), ['revision', 'down_revision'], 'a string in a body is not read as a statement');
    assert.equal(fast.functions[0].range.end.line, 6 + body.length - 1);
    assert.equal(fast.comments.length, 1);
  });

  it('reads the shapes matched natively (docstrings, imports, plain assignments, function headers, plain body lines) as the facts do, on 300 random files', async () => {
    const docstrings = ['"""doc\n\nRevision ID: x\n"""', '"""a "quoted" ""word"" """', '"""doc"""  ', '"""esc \\" q"""', 'r"""raw \\d"""', "'''single'''", '"""doc"""  # note', '"""doc"""; x = 1', '"doc"', '"""a""" "b"', '"""unfinished'];
    const imports = ['from alembic import op', 'import sqlalchemy as sa', 'from typing import Sequence, Union', 'from . import models', 'from ..pkg.mod import *', 'import a.b as c, d', 'from x import (a, b)', 'import os  # note', 'from x import y2', 'from consts import revision', 'import a as b', 'from x import 1a', 'fromage = 1', 'import_x = 2', ''];
    const values = ['None', '"abc"', "'x y'", '("a", "b")', '("a",)', '("a")', '()', '[]', '[\n    "a",\n    "b",\n]', '(\n    "p1",  # first\n    "p2",\n)', '"a" "b"', 'r"raw"', '"esc\\"q"', 'PREV', '("a", PREV)', '"a"  # note', '"a"; x = 1', '1'];
    const annotations = ['', ': str', ': Union[str, None]', ': Union[str, Sequence[str], None]', ': str | None', ': tuple[str, ...]', ': Optional[ str ]', ': typing.Optional[str]', ': dict[str, list[int]]'];
    const targets = ['revision', 'down_revision', 'branch_labels', 'depends_on', 'other', 'match'];
    const headers = ['def upgrade() -> None:', 'def downgrade():', 'async def f(a, b=1) -> Optional[str]:', 'def g(x: int = f(1)):', 'def  h ( ) :  ', '@dec\ndef k():', 'def m(): pass', 'def t():\n\tq = [1,\n\t\t2]\n\tr = "#"  # tabs'];
    const bodyLines = [
      '    op.add_column("t", sa.Column("c", sa.Integer(), nullable=True))',
      '    op.execute("SELECT \'#\' FROM t")  ',
      '    x = {"a": [1, (2, {3: [4]})]}',
      '    y = f(g(h(i(j(1)))))',
      '    # a comment line',
      '    z = 1  # trailing comment',
      '        # a deeper comment line',
      '  # a shallower comment line',
      '    sql = """\nSELECT 1\n# not a comment\nrevision = "no"\n"""',
      "    s = '''it''s'''",
      '    w = 1 + \\\n        2',
      '    op.create_table(\n"t",\n        sa.Column("id"),\n    )',
      '',
      '    pass',
      '    ...',
      '    "doc"',
      '    e = "esc \\" quote"',
    ];
    const rng = new Rng(11);
    const rnd = (n: number) => rng.int(0, n - 1);
    let compared = 0;
    for (let file = 0; file < 300; file++) {
      const parts = [docstrings[rnd(docstrings.length)]];
      for (let i = 0; i < rnd(5); i++) parts.push(imports[rnd(imports.length)]);
      for (let i = 0; i < 2 + rnd(4); i++) parts.push(`${targets[rnd(targets.length)]}${annotations[rnd(annotations.length)]} = ${values[rnd(values.length)]}`);
      for (let f = 0; f < 1 + rnd(2); f++) {
        parts.push('', '', headers[rnd(headers.length)]);
        if (!/pass$|tabs$/.test(parts[parts.length - 1])) for (let l = 0; l < 1 + rnd(5); l++) parts.push(bodyLines[rnd(bodyLines.length)]);
      }
      let src = parts.join('\n') + (rnd(3) ? '\n' : '');
      if (rnd(5) === 0) src = src.replace(/\n/g, '\r\n');
      const fast = readOutline(src);
      const focused = readOutline(src, FIELD_MENTION);
      if (!fast) continue;
      compared++;
      assert.equal(canon(fast), canon(await viaFacts(src)), JSON.stringify(src));
      // The focused reading keeps every simple statement that mentions a field, skims some others, and reads all else alike.
      assert.ok(focused, JSON.stringify(src));
      assert.equal(canon({ ...focused, assignments: [], imports: [] }), canon({ ...fast, assignments: [], imports: [] }), JSON.stringify(src));
      const mentions = (names: string[]) => names.some((n) => FIELD_MENTION.test(n));
      for (const [kept, all, needed] of [
        [focused.assignments, fast.assignments, fast.assignments.filter((a) => mentions(a.targets))],
        [focused.imports, fast.imports, fast.imports.filter((i) => mentions(i.names.map((n) => n.name)))],
      ] as const) {
        const keptSet = new Set(kept.map(canon));
        assert.ok(keptSet.size === kept.length && kept.every((k) => all.some((a) => canon(a) === canon(k))), JSON.stringify(src));
        assert.ok(needed.every((n) => keptSet.has(canon(n))), JSON.stringify(src));
      }
    }
    assert.ok(compared > 200, `${compared} files compared`);
  });

  it('reads annotated, chained, multi-line, continued and semicolon-separated assignments', () => {
    const src = [
      '"""doc"""',
      "revision: str = 'abc'",
      'down_revision: Union[str, None] = (',
      '    "p1",  # first',
      "    'p2',",
      ')',
      'a = b = "x"',
      'branch_labels = \\',
      '    ("lab",)',
      'depends_on = None; other = 1',
      'names = "con" "cat"',
      'bare: int',
      'x += 1',
      'f = call(a, key="v", *rest)',
    ].join('\n');
    const o = readOutline(src)!;
    const byTarget = (t: string) => o.assignments.find((a) => a.targets.includes(t));
    assert.equal(o.docstring?.value, 'doc');
    assert.equal(byTarget('revision')?.annotation, 'str');
    const down = byTarget('down_revision')!;
    assert.equal(down.annotation, 'Union[str, None]');
    assert.deepEqual(down.value?.kind === 'seq' && down.value.items.map((i) => (i.kind === 'str' ? i.value : '?')), ['p1', 'p2']);
    assert.equal(down.range.start.line, 2);
    assert.equal(down.range.end.line, 5);
    assert.deepEqual(byTarget('a')?.targets, ['a', 'b']);
    assert.equal(byTarget('branch_labels')?.value?.kind, 'seq');
    assert.equal(byTarget('depends_on')?.value?.kind, 'none');
    assert.deepEqual(byTarget('names')?.value?.kind === 'str' && byTarget('names')!.value!.kind, 'str');
    assert.equal(byTarget('bare')?.value, undefined);
    assert.equal(byTarget('x'), undefined, 'augmented assignments are not assignments');
    const call = byTarget('f')!.value!;
    assert.ok(call.kind === 'call' && call.callee === 'call' && call.args.length === 3 && call.args[2].spread);
  });

  it('tells empty function bodies from real ones', () => {
    const o = readOutline(
      [
        'def a():\n    pass',
        'def b():\n    """doc"""\n    ...',
        'def c(): pass',
        'async def d():\n    pass; pass',
        '@decorator\ndef e():\n    op.drop_table("t")',
        'def f():\n    if x:\n        pass',
        'class K:\n    def upgrade(self):\n        pass',
      ].join('\n\n\n'),
    )!;
    assert.deepEqual(
      o.functions.map((f) => [f.name, f.emptyBody]),
      [
        ['a', true],
        ['b', true],
        ['c', true],
        ['d', true],
        ['e', false],
        ['f', false],
      ],
    );
    assert.equal(o.functions[4].range.start.line, 16, 'a decorated function starts at its decorator');
  });

  it('hands module-level blocks, lambdas and broken tokens over to the full parser', () => {
    assert.equal(readOutline('if TYPE_CHECKING:\n    import x\nrevision = "a"\n'), undefined);
    assert.equal(readOutline('try:\n    import x\nexcept ImportError:\n    pass\n'), undefined);
    assert.equal(readOutline('f = lambda x=1: x\n'), undefined);
    assert.equal(readOutline('revision = "abc\n'), undefined);
    assert.equal(readOutline('down_revision = ("a",\n'), undefined);
    assert.ok(readOutline('match = 1\nrevision = "a"\n'), '`match` as a name is fine');
  });

  it('decodes every string form and keeps UTF-16 columns', async () => {
    const { lines } = tokenize("x = r'\\d' + b\"\\x41\" + '\\u00e9' + f'{a}' + '''multi\nline''' + \"é\" + 'z'\n");
    const strings = lines[0].tokens.filter((t) => t.kind === 'string');
    assert.deepEqual(
      strings.map((t) => t.value),
      ['\\d', 'A', 'é', '{a}', 'multi\nline', 'é', 'z'],
    );
    assert.ok(strings[3].template);
    const src = 'x = "𝒳"; revision = "abc"\n';
    const o = readOutline(src)!;
    assert.equal(o.assignments[1].value?.range.start.character, 21);
    assert.equal(canon(o), canon(await viaFacts(src)));
  });

  it('reads a docstring\'s fields as a look at each line does, on 2,000 random docstrings', () => {
    const rng = new Rng(5);
    const pick = <T>(xs: readonly T[]): T => xs[rng.int(0, xs.length - 1)];
    const blanks = ['', ' ', '  ', '\t', '\u00a0', '\ufeff'];
    const parts = ['Revision ID', 'Revises', 'Create Date', 'Revision', 'revises', 'Message', ''];
    const values = ['', 'abc123', 'a, b', 'a,b , c', ' x ', '2024-01-02 03:04:05.123456', 'x: y', 'é', ',', 'a  b'];
    for (let round = 0; round < 2000; round++) {
      const lines: string[] = [];
      for (let n = rng.int(0, 8); n > 0; n--) {
        const r = rng.next();
        lines.push(r < 0.6 ? `${pick(blanks)}${pick(parts)}${pick(blanks)}:${pick(blanks)}${pick(values)}${pick(blanks)}` : r < 0.8 ? pick(values) : pick(blanks));
      }
      const value = lines.join(rng.next() < 0.1 ? '\r\n' : '\n');
      const doc = { value, line: rng.int(0, 3) };
      assert.deepEqual(parseDoc(doc), parseDocByLines(doc), JSON.stringify(value));
    }
  });

  it('gives the line and column of any offset, asked in any order', () => {
    const rng = new Rng(11);
    for (let round = 0; round < 200; round++) {
      let src = '';
      for (let n = rng.int(0, 60); n > 0; n--) src += 'x'.repeat(rng.int(0, 5)) + (rng.next() < 0.3 ? '\r\n' : '\n');
      src += 'x'.repeat(rng.int(0, 3));
      const idx = new LineIndex(src);
      // Mostly forward and near, as a reading asks; sometimes back, or far ahead.
      let at = 0;
      for (let q = 0; q < 40; q++) {
        const r = rng.next();
        at = r < 0.6 ? Math.min(src.length, at + rng.int(0, 12)) : r < 0.8 ? rng.int(0, src.length) : Math.max(0, at - rng.int(0, 20));
        const before = src.slice(0, at);
        const line = before.split('\n').length - 1;
        assert.deepEqual(idx.position(at), { line, character: at - (before.lastIndexOf('\n') + 1) }, `offset ${at} of ${JSON.stringify(src)}`);
      }
    }
  });
});
