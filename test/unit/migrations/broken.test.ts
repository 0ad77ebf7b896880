import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { tempDir, writeTree } from '../../support/tmp';
import { analyseDir, INI, lines, revisionPy } from './helpers';
import { runOracle } from './oracle';

type Answer = { heads: string[]; bases: string[]; warnings: string[] } | { error: string };

const V = 'migrations/versions';

/** Broken histories: what the real Alembic does with each, and the precise finding we give instead. */
const CASES: Record<string, { files: Record<string, string>; alembic: RegExp | string[]; findings: string[] }> = {
  dangling: {
    files: { [`${V}/a_base.py`]: revisionPy('a', null), [`${V}/b_next.py`]: revisionPy('b', ['a', 'zzz']) },
    alembic: /^KeyError: 'zzz'/,
    findings: [`migration/dangling-revision error ${V}/b_next.py:12`],
  },
  'dangling depends_on': {
    files: { [`${V}/a_base.py`]: revisionPy('a', null), [`${V}/b_next.py`]: revisionPy('b', 'a', { depends: "'nope'" }) },
    alembic: /^KeyError: 'nope'/,
    findings: [`migration/dangling-revision error ${V}/b_next.py:14`],
  },
  duplicate: {
    files: { [`${V}/a_base.py`]: revisionPy('a', null), [`${V}/b_one.py`]: revisionPy('b', 'a'), [`${V}/b_two.py`]: revisionPy('b', 'a'), [`${V}/c_next.py`]: revisionPy('c', 'b') },
    alembic: ['b', 'c'],
    findings: [`migration/duplicate-revision error ${V}/b_two.py:11`],
  },
  cycle: {
    files: { [`${V}/a_base.py`]: revisionPy('a', null), [`${V}/b_x.py`]: revisionPy('b', 'c'), [`${V}/c_y.py`]: revisionPy('c', 'b') },
    alembic: /^CycleDetected: Cycle is detected in revisions \(b, c\)/,
    findings: [`migration/cycle error ${V}/b_x.py:12`, `migration/cycle error ${V}/c_y.py:12`],
  },
  'self loop': {
    files: { [`${V}/a_base.py`]: revisionPy('a', null), [`${V}/b_x.py`]: revisionPy('b', ['a', 'b']) },
    alembic: /^LoopDetected/,
    findings: [`migration/cycle error ${V}/b_x.py:12`],
  },
  'no revision variable': {
    files: { [`${V}/a_base.py`]: revisionPy('a', null), [`${V}/b_typo.py`]: revisionPy('b', 'a').replace("revision = 'b'", "revison = 'b'") },
    alembic: /^CommandError: Could not determine revision id from filename b_typo\.py/,
    findings: [`migration/unreadable error ${V}/b_typo.py:1`],
  },
  'no down_revision': {
    files: { [`${V}/a_base.py`]: revisionPy('a', null), [`${V}/b_x.py`]: revisionPy('b', 'a').replace("down_revision = 'a'", '') },
    alembic: /^AttributeError: .*down_revision/,
    findings: [`migration/unreadable error ${V}/b_x.py:11`],
  },
  'syntax error': {
    files: { [`${V}/a_base.py`]: revisionPy('a', null), [`${V}/b_x.py`]: revisionPy('b', 'a').replace('def upgrade() -> None:', 'def upgrade( -> None:') },
    alembic: /^SyntaxError/,
    findings: [`migration/unreadable error ${V}/b_x.py:17`],
  },
  'duplicate branch label': {
    files: { [`${V}/a_base.py`]: revisionPy('a', null, { labels: "('x',)" }), [`${V}/b_x.py`]: revisionPy('b', 'a', { labels: "'x'" }) },
    alembic: /^RevisionError: Branch name 'x' in revision/,
    findings: [`migration/duplicate-branch-label error ${V}/b_x.py:13`],
  },
};

describe('migrations: broken histories, compared with what the real Alembic does', function () {
  this.timeout(60_000);
  let answers: Record<string, Answer>;
  let t: { dir: string; cleanup: () => void };

  before(() => {
    t = tempDir('codenav-broken-');
    const inis = Object.entries(CASES).map(([name, c]) => {
      const root = path.join(t.dir, name.replace(/\W/g, '_'));
      writeTree(root, { 'alembic.ini': INI, 'migrations/env.py': '', ...c.files });
      return path.join(root, 'alembic.ini');
    });
    answers = runOracle<Record<string, Answer>>('alembic_heads.py', inis);
  });
  after(() => t.cleanup());

  for (const [name, c] of Object.entries(CASES)) {
    it(`${name}: a precise finding where Alembic ${Array.isArray(c.alembic) ? 'reports a phantom head' : 'crashes'}`, async () => {
      const root = path.join(t.dir, name.replace(/\W/g, '_'));
      const answer = answers[path.join(root, 'alembic.ini')];
      if (Array.isArray(c.alembic)) assert.deepEqual('heads' in answer && answer.heads, c.alembic);
      else assert.match('error' in answer ? answer.error : JSON.stringify(answer), c.alembic);
      const r = await analyseDir(root);
      assert.deepEqual(lines(r.findings.filter((f) => f.rule !== 'migration/multiple-heads')), c.findings);
      if (name === 'duplicate') assert.deepEqual(r.data.environments[0].heads, ['c'], 'no phantom head');
    });
  }
});
