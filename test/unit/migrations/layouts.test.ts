import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { tempDir } from '../../support/tmp';
import { analyseDir, fixture, INI, lines, revisionPy } from './helpers';
import { runOracle } from './oracle';

const V = 'migrations/versions';

describe('migrations: discovery and layouts', () => {
  let t: { dir: string; cleanup: () => void };
  beforeEach(() => (t = tempDir('codenav-layouts-')));
  afterEach(() => t.cleanup());

  it('expand/contract: heads on their own branch labels (constants from another module) are info, and agree with Alembic', async () => {
    const r = await analyseDir(fixture('labelled-heads'));
    const env = r.data.environments[0];
    assert.deepEqual([...env.heads].sort(), ['c2c0a1b2c3d4', 'e2c0a1b2c3d4']);
    assert.deepEqual(env.branchLabels, { contract: 'c1c0a1b2c3d4', expand: 'e1c0a1b2c3d4' });
    assert.equal(env.headsIntentional, true);
    assert.deepEqual(r.findings.map((f) => `${f.rule} ${f.severity}`), ['migration/multiple-heads info', 'migration/multiple-heads info']);
    assert.ok(r.findings.every((f) => !f.fixes), 'no merge is offered for intentional heads');
    const oracle = runOracle<Record<string, { heads: string[] }>>('alembic_heads.py', [path.join(fixture('labelled-heads'), 'alembic.ini')]);
    assert.deepEqual(Object.values(oracle)[0].heads, [...env.heads].sort());
  });

  it('pyproject [tool.alembic], non-hex ids, the declared revision wins, the docstring never makes edges', async () => {
    const r = await analyseDir(fixture('pyproject'));
    const env = r.data.environments[0];
    assert.deepEqual([env.config, env.root, env.heads, env.bases], ['pyproject.toml', 'db/versions', ['mike'], ['kilo']]);
    assert.deepEqual(env.history.find((h) => h.id === 'mike')?.down, ['lima']);
    assert.deepEqual(lines(r.findings), ['migration/filename-revision-mismatch warning db/versions/067_lima.py:15']);
  });

  it('versions/ beside env.py without an ini, and version folders named in .codenav.yaml, sharing a base id', async () => {
    const r = await analyseDir(fixture('plain-and-config'));
    assert.deepEqual(
      r.data.environments.map((e) => [e.name, e.root, e.heads, e.bases]),
      [
        ['service/migrations', 'service/migrations/versions', ['1111bbbb1111'], ['0000aaaa0000']],
        ['reports', 'reports/history', ['2222cccc2222'], ['0000aaaa0000']],
      ],
    );
    assert.deepEqual(r.findings, []);
  });

  it('suppressions need a reason and a real rule; unresolved constants are reported', async () => {
    const r = await analyseDir(fixture('suppressions'));
    assert.deepEqual(lines(r.findings), [
      `migration/missing-downgrade warning ${V}/b2_quick_fix.py:24`,
      `migration/suppression warning ${V}/b2_quick_fix.py:1`,
      `migration/suppression warning ${V}/b3_typo.py:1`,
      `migration/unresolved warning ${V}/b4_label.py:15`,
    ]);
    assert.match(r.findings.find((f) => f.rule === 'migration/unresolved')!.message, /UNKNOWN_LABEL/);
  });

  it('reads ini sections, %(here)s, version_locations with each separator, and recursive folders', async () => {
    const ini = [
      '[alembic]',
      'script_location = %(here)s/one',
      'version_locations = %(here)s/one/versions;%(here)s/shared',
      'version_path_separator = ;',
      '',
      '[reports]',
      'script_location: two',
      'version_locations = two/versions  two/more',
      'recursive_version_locations = true',
      '',
    ].join('\n');
    const r = await analyseDir(t.dir, {
      'alembic.ini': ini,
      'one/versions/a_x.py': revisionPy('a', null),
      'shared/b_x.py': revisionPy('b', 'a'),
      'two/versions/c_x.py': revisionPy('c', null),
      'two/versions/2025/d_x.py': revisionPy('d', 'c'),
    });
    assert.deepEqual(
      r.data.environments.map((e) => [e.name, e.versions, e.revisions, e.heads]),
      [
        ['one', ['one/versions', 'shared'], 2, ['b']],
        ['two [reports]', ['two/versions', 'two/more'], 2, ['d']],
      ],
    );
  });

  it('expectedHeads in .codenav.yaml makes declared heads info, and an unexpected one an error', async () => {
    const files = {
      'alembic.ini': INI,
      [`${V}/a_x.py`]: revisionPy('a', null),
      [`${V}/b_x.py`]: revisionPy('b', 'a'),
      [`${V}/c_x.py`]: revisionPy('c', 'a'),
    };
    let r = await analyseDir(t.dir, { ...files, '.codenav.yaml': 'migrations:\n  expectedHeads: [b, c]\n' });
    assert.deepEqual(r.findings.map((f) => f.severity), ['info', 'info']);
    r = await analyseDir(t.dir, { '.codenav.yaml': 'migrations:\n  environments:\n    - versions: [migrations/versions]\n      expectedHeads: [b]\n' });
    assert.deepEqual(r.findings.map((f) => f.severity), ['error', 'error']);
    assert.match(r.findings[0].message, /not in expectedHeads: c/);
  });

  it('missingDowngrade: off, and a different severity; an empty upgrade needs no downgrade', async () => {
    const files = {
      'alembic.ini': INI,
      [`${V}/a_x.py`]: revisionPy('a', null, { downgrade: 'pass' }),
      [`${V}/b_x.py`]: revisionPy('b', 'a').replace(/def downgrade[\s\S]*$/, ''),
      [`${V}/c_merge.py`]: revisionPy('c', 'b', { downgrade: 'pass' }).replace('op.execute("SELECT 1")', 'pass'),
    };
    let r = await analyseDir(t.dir, files);
    assert.deepEqual(lines(r.findings), [`migration/missing-downgrade warning ${V}/a_x.py:21`, `migration/missing-downgrade warning ${V}/b_x.py:17`]);
    r = await analyseDir(t.dir, { '.codenav.yaml': 'migrations:\n  missingDowngrade: error\n' });
    assert.deepEqual(r.findings.map((f) => f.severity), ['error', 'error']);
    r = await analyseDir(t.dir, { '.codenav.yaml': 'migrations:\n  missingDowngrade: "off"\n' });
    assert.deepEqual(r.findings, []);
  });

  it('naming: file_template from the ini, a .codenav.yaml pattern, the create-date info, and the rename fix', async () => {
    const ini = INI + 'file_template = %%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d-%%(rev)s_%%(slug)s\n';
    const r = await analyseDir(t.dir, {
      'alembic.ini': ini,
      [`${V}/2025_02_03_1010-aaaa00000001_first.py`]: revisionPy('aaaa00000001', null, { message: 'first' }),
      [`${V}/2025_02_04_1010-aaaa00000002_second.py`]: revisionPy('aaaa00000002', 'aaaa00000001', { message: 'second' }),
      [`${V}/third.py`]: revisionPy('aaaa00000003', 'aaaa00000002', { message: 'Third: with punctuation!' }),
    });
    assert.deepEqual(lines(r.findings), [`migration/create-date-mismatch info ${V}/2025_02_04_1010-aaaa00000002_second.py:5`, `migration/naming warning ${V}/third.py:1`]);
    const naming = r.findings.find((f) => f.rule === 'migration/naming')!;
    assert.match(naming.message, /expected "2025_02_03_1010-aaaa00000003_third_with_punctuation\.py"/);
    assert.equal(naming.fixes?.[0].title, 'Rename to naming convention: 2025_02_03_1010-aaaa00000003_third_with_punctuation.py');
    const byPattern = await analyseDir(t.dir, { 'alembic.ini': INI, '.codenav.yaml': 'migrations:\n  naming: "YYYY_MM_DD-<rev>.py"\n  createDateMismatch: "off"\n' });
    assert.deepEqual(
      byPattern.findings.map((f) => f.message.replace(/.*expected /, '')),
      ['"2025_02_03-aaaa00000001.py"', '"2025_02_03-aaaa00000002.py"', '"2025_02_03-aaaa00000003.py"'],
    );
  });

  it('a dangling parent that is a typo of a real id suggests it, with a related location', async () => {
    const r = await analyseDir(t.dir, {
      'alembic.ini': INI,
      [`${V}/a_x.py`]: revisionPy('1975ea83b712', null),
      [`${V}/b_x.py`]: revisionPy('ae1027a6acf0', '1975ea83b7l2'),
    });
    const f = r.findings.find((x) => x.rule === 'migration/dangling-revision')!;
    assert.match(f.message, /names "1975ea83b7l2".*did you mean "1975ea83b712"\?/);
    assert.deepEqual(f.related?.map((x) => `${x.file}:${x.range.start.line + 1}`), [`${V}/a_x.py:11`]);
    assert.deepEqual(r.data.environments[0].heads, ['1975ea83b712', 'ae1027a6acf0'], 'the dangling revision is kept, as a head');
  });

  it('a binary file in a version folder is an unreadable finding, and the rest is analysed', async () => {
    const r = await analyseDir(t.dir, { 'alembic.ini': INI, [`${V}/a_x.py`]: revisionPy('a', null), [`${V}/b_x.py`]: 'revision = 1\0\0' });
    assert.deepEqual(lines(r.findings), [`migration/unreadable error ${V}/b_x.py:1`]);
    assert.match(r.findings[0].message, /binary file/);
    assert.deepEqual(r.data.environments[0].heads, ['a']);
  });

  it('an unusable ini setting is a finding on its line, not a crash', async () => {
    const r = await analyseDir(t.dir, {
      'alembic.ini': '[alembic]\nscript_location = %(here)s/migrations\nversion_locations = %(nowhere)s/v\nfile_template = %%(rev)s_%%(bogus)s\n',
      [`${V}/a_x.py`]: revisionPy('a', null),
    });
    assert.deepEqual(lines(r.findings), ['migration/environment warning alembic.ini:3', 'migration/environment warning alembic.ini:4']);
  });

  it('finds Django apps, with the app label from apps.py; a module without a Migration class is unreadable', async () => {
    const mig = (deps: string) => `from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    dependencies = [${deps}]\n    operations = []\n`;
    const r = await analyseDir(t.dir, {
      'shop/__init__.py': '',
      'shop/apps.py': 'from django.apps import AppConfig\n\n\nclass ShopConfig(AppConfig):\n    name = "shop"\n    label = "store"\n',
      'shop/migrations/__init__.py': '',
      'shop/migrations/0001_initial.py': mig(''),
      'shop/migrations/0002_a.py': mig("('store', '0001_initial')"),
      'shop/migrations/0002_b.py': mig("('store', '0001_initial'), ('auth', '0012_alter_user')"),
      'shop/migrations/0003_c.py': mig("('store', '0002_gone')"),
      'shop/migrations/0004_junk.py': 'x = 1\n',
      'shop/migrations/_helpers.py': 'x = 1\n',
    });
    const env = r.data.environments.find((e) => e.tool === 'django')!;
    assert.deepEqual([env.name, env.root, env.config, env.heads], ['store', 'shop/migrations', 'shop/apps.py', ['0002_a', '0002_b', '0003_c']]);
    assert.deepEqual(lines(r.findings), [
      'migration/dangling-revision error shop/migrations/0003_c.py:5',
      'migration/multiple-heads error shop/migrations/0002_a.py:4',
      'migration/multiple-heads error shop/migrations/0002_b.py:4',
      'migration/multiple-heads error shop/migrations/0003_c.py:4',
      'migration/unreadable error shop/migrations/0004_junk.py:1',
    ]);
    assert.match(r.findings.find((f) => f.rule === 'migration/multiple-heads')!.message, /makemigrations --merge store/);
  });
});
