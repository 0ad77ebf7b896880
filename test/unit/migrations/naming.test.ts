import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { iniGet, parseIni } from '../../../src/core/migrations/alembic/ini';
import { matchName, parseTemplate, patternToTemplate, renderName, slugOf, type TemplatePiece } from '../../../src/core/migrations/naming';
import { PYTHON } from './oracle';

/** Runs a Python snippet that reads JSON on stdin and prints JSON. */
function python<T>(code: string, input: unknown): T {
  return JSON.parse(execFileSync(PYTHON, ['-c', code], { input: JSON.stringify(input), env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } }).toString('utf8')) as T;
}

const TEMPLATES = [
  '%(rev)s_%(slug)s',
  '%(year)d_%(month).2d_%(day).2d_%(hour).2d%(minute).2d-%(rev)s_%(slug)s',
  '%(epoch)s_%(rev)s',
  '%(year)04d-%(month)02d-%(day)2d_%(second)-3d_%(rev).6s_%(slug)s',
  '100%%_%(rev)s',
];
const MESSAGES = ['add users table', 'Fix: drop "legacy" column (again)!', 'ünïcode Ärger', '', 'a'.repeat(30) + ' ' + 'b'.repeat(30), 'x_y-z 12'];

describe('migrations: file names', () => {
  it("renders file_template and slugs exactly as Alembic's ScriptDirectory._rev_path", () => {
    const cases = TEMPLATES.flatMap((template) => MESSAGES.map((message, i) => ({ template, message, rev: `ab12cd34ef${i}0`, date: [2025, 3 + i, 1 + i, 9, 5 * i, 7], truncate: i % 2 ? 40 : 20 })));
    const want = python<string[]>(
      [
        'import json, sys, datetime, os',
        'from alembic.script import ScriptDirectory',
        'out = []',
        'for c in json.load(sys.stdin):',
        '    sd = ScriptDirectory.__new__(ScriptDirectory)',
        '    sd.file_template = c["template"]; sd.truncate_slug_length = c["truncate"]',
        '    out.append(os.path.basename(sd._rev_path("/x", c["rev"], c["message"], datetime.datetime(*c["date"]))))',
        'print(json.dumps(out))',
      ].join('\n'),
      cases,
    );
    const got = cases.map((c) => {
      const pieces = parseTemplate(c.template) as TemplatePiece[];
      const [year, month, day, hour, minute, second] = c.date;
      return renderName(pieces, { rev: c.rev, slug: slugOf(c.message, c.truncate), date: { year, month, day, hour, minute, second } }).name;
    });
    // %(epoch)s depends on the local time zone in both; compare every other template exactly.
    assert.deepEqual(
      got.filter((_, i) => !cases[i].template.includes('epoch')),
      want.filter((_, i) => !cases[i].template.includes('epoch')),
    );
    assert.deepEqual(
      got.filter((_, i) => cases[i].template.includes('epoch')).map((n) => n.replace(/^\d+/, 'E')),
      want.filter((_, i) => cases[i].template.includes('epoch')).map((n) => n.replace(/^\d+/, 'E')),
    );
  });

  it('recognises names a template produced, and what the revision part says', () => {
    const dated = parseTemplate(TEMPLATES[1]) as TemplatePiece[];
    assert.deepEqual(matchName(dated, '2025_04_17_1105-54d997cdcee4_add_customer_tax_id'), { rev: '54d997cdcee4', date: { year: 2025, month: 4, day: 17, hour: 11, minute: 5 } });
    assert.equal(matchName(dated, '2025_04_17_1105-54d997cdcee4_add_customer_tax_id', 'be0a3feae2ed'), undefined);
    assert.equal(matchName(dated, 'add_booking_notes'), undefined);
    const plain = parseTemplate(TEMPLATES[0]) as TemplatePiece[];
    assert.deepEqual(matchName(plain, 'kilo_start', 'kilo')?.rev, 'kilo');
    assert.ok(parseTemplate('%(rev)s_%(nope)s') instanceof Error);
    assert.ok(parseTemplate('%(rev)s_%') instanceof Error);
  });

  it('turns a .codenav.yaml pattern into a file_template', () => {
    assert.equal(patternToTemplate('YYYY_MM_DD_HHMM-<rev>_<slug>.py'), '%(year)d_%(month).2d_%(day).2d_%(hour).2d%(minute).2d-%(rev)s_%(slug)s');
    assert.equal(patternToTemplate('<epoch>_<rev>'), '%(epoch)s_%(rev)s');
    assert.equal(patternToTemplate('YYYYMMDD_HHmmSS_100%_<rev>.py'), '%(year)d%(month).2d%(day).2d_%(hour).2d%(minute).2d%(second).2d_100%%_%(rev)s');
  });
});

describe('migrations: alembic.ini as Python configparser reads it', () => {
  it('gives the values configparser gives (delimiters, comments, continuation lines, DEFAULT, interpolation)', () => {
    const text = [
      '# comment',
      '[DEFAULT]',
      'base = /srv',
      '[alembic]',
      'script_location = %(here)s/alembic',
      'File_Template = %%(rev)s_%%(slug)s',
      'version_locations: %(base)s/a',
      '    %(base)s/b',
      '',
      '    %(base)s/c',
      'inline = value ; not a comment',
      '  ; indented comment',
      'sqlalchemy.url = driver://u:p@h/db?x=1',
      'empty =',
      '[other]',
      'script_location = other',
    ].join('\n');
    const keys = ['script_location', 'file_template', 'version_locations', 'inline', 'sqlalchemy.url', 'empty', 'base'];
    const want = python<Record<string, string>>(
      ['import json, sys, configparser', 'c = json.load(sys.stdin)', 'p = configparser.ConfigParser({"here": "/h"})', 'p.read_string(c["text"])', 'print(json.dumps({k: p.get("alembic", k) for k in c["keys"]}))'].join('\n'),
      { text, keys },
    );
    const ini = parseIni(text);
    const got = Object.fromEntries(keys.map((k) => [k, iniGet(ini, 'alembic', k, { here: '/h' })]));
    assert.deepEqual(got, want);
    assert.deepEqual([...ini.sections.keys()], ['alembic', 'other']);
    assert.ok(iniGet(parseIni('[a]\nx = %(missing)s\n'), 'a', 'x') instanceof Error);
    assert.ok(iniGet(parseIni('[a]\nx = 50%\n'), 'a', 'x') instanceof Error);
  });
});
