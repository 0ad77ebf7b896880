import { strict as assert } from 'node:assert';
import { loadConfig, parseConfigText } from '../../../src/core/workspace/config';
import { tempDir, writeTree } from '../../support/tmp';

describe('config file (.codenav.yaml)', () => {
  it('reads a valid config into typed values', () => {
    const r = parseConfigText(
      ['exclude: ["**/gen/**"]', 'deprecated:', '  - module: a.b', '    replacement: a.c', '    removeBy: 2027-03-01', 'migrations:', '  missingDowngrade: off', ''].join('\n'),
      '.codenav.yaml',
    );
    assert.deepEqual(r.findings, []);
    assert.deepEqual(r.config.exclude, ['**/gen/**']);
    assert.deepEqual(r.config.deprecated, [{ module: 'a.b', replacement: 'a.c', removeBy: '2027-03-01' }]);
    assert.equal(r.config.migrations?.missingDowngrade, 'off');
  });

  it('reports a YAML syntax error with its line, and does not throw', () => {
    const r = parseConfigText('exclude:\n  - a\n  b: [\n', '.codenav.yaml');
    assert.equal(r.fatal, true);
    assert.ok(r.findings.length >= 1);
    assert.equal(r.findings[0].rule, 'config/invalid');
    assert.equal(r.findings[0].severity, 'error');
    assert.ok(r.findings[0].range.start.line >= 1, `line ${r.findings[0].range.start.line}`);
  });

  it('names the key and the line of a wrong type, and keeps the rest', () => {
    const r = parseConfigText(['exclude: ["x"]', 'migrations:', '  missingDowngrade: sometimes', 'maxFileSizeKb: big', ''].join('\n'), 'c.yaml');
    assert.equal(r.fatal, false);
    const byLine = r.findings.map((f) => [f.range.start.line, f.message]);
    assert.deepEqual(byLine.map((x) => x[0]), [2, 3]);
    assert.match(String(byLine[0][1]), /^migrations\.missingDowngrade: must be one of error, warning, info, off; got "sometimes"/);
    assert.match(String(byLine[1][1]), /^maxFileSizeKb: expected a number/);
    assert.deepEqual(r.config.exclude, ['x']);
    assert.equal(r.config.maxFileSizeKb, undefined);
  });

  it('suggests the nearest key for a misspelt one', () => {
    const r = parseConfigText('migratons:\n  naming: x\n', 'c.yaml');
    assert.equal(r.findings.length, 1);
    assert.equal(r.findings[0].range.start.line, 0);
    assert.match(r.findings[0].message, /unknown key "migratons" \(did you mean "migrations"\?\)/);
  });

  it('rejects a non-date removeBy and a non-local typegen URL', () => {
    const r = parseConfigText('deprecated:\n  - module: a\n    removeBy: soon\ntypegen:\n  openapi:\n    url: https://example.com/openapi.json\n', 'c.yaml');
    assert.deepEqual(
      r.findings.map((f) => f.range.start.line),
      [2, 5],
    );
    assert.match(r.findings[0].message, /deprecated\[0\]\.removeBy: expected a date/);
    assert.match(r.findings[1].message, /typegen\.openapi\.url: expected a local http URL/);
  });

  it('accepts a script name or an argv list for typegen.command', () => {
    assert.deepEqual(parseConfigText('typegen:\n  command: generate:types\n', 'c').config.typegen?.command, 'generate:types');
    assert.deepEqual(parseConfigText('typegen:\n  command: [npx, openapi-typescript]\n', 'c').config.typegen?.command, ['npx', 'openapi-typescript']);
    assert.equal(parseConfigText('typegen:\n  command: 3\n', 'c').findings.length, 1);
  });

  it('treats a top-level list as a fatal mistake', () => {
    const r = parseConfigText('- a\n- b\n', 'c.yaml');
    assert.equal(r.fatal, true);
    assert.match(r.findings[0].message, /must be a mapping/);
  });

  it('a missing default file is no error; a missing explicit file is', () => {
    const t = tempDir();
    try {
      assert.deepEqual(loadConfig(t.dir).findings, []);
      const r = loadConfig(t.dir, 'nope.yaml');
      assert.equal(r.findings[0].rule, 'config/invalid');
      assert.match(r.findings[0].message, /cannot read config file/);
      writeTree(t.dir, { '.codenav.yaml': 'exclude: 1\n' });
      assert.equal(loadConfig(t.dir).findings[0].file, '.codenav.yaml');
    } finally {
      t.cleanup();
    }
  });
});
