import * as assert from 'node:assert/strict';
import { analyse, removeTempWorkspaces, tempWorkspace } from './helpers';

const FILES: Record<string, string> = {
  '.codenav.yaml': [
    'deprecated:',
    '  - module: app.payments.v1',
    '    replacement: app.payments.v2',
    '    removeBy: 2026-03-01',
    '    reason: the v1 provider API is switched off',
    '  - symbol: app.helpers.old_round',
    '    replacement: app.helpers.round_cents',
    '  - module: app/not_there.py',
    '',
  ].join('\n'),
  'app/__init__.py': '',
  'app/payments/__init__.py': '',
  'app/payments/v1.py': 'def charge(amount):\n    return amount\n\n\nclass PaymentClient:\n    pass\n',
  'app/payments/v2.py': 'def charge(amount):\n    return amount\n\n\nclass PaymentClient:\n    pass\n',
  'app/helpers.py': [
    'import warnings',
    'from typing_extensions import deprecated',
    '',
    '',
    '@deprecated("Use total_cents instead")',
    'def old_total(x):',
    '    return x',
    '',
    'def total_cents(x):',
    '    return x',
    '',
    'def old_round(x):',
    '    return x',
    '',
    'def round_cents(x):',
    '    return x',
    '',
    'class LegacyGateway:',
    '    def __init__(self):',
    '        warnings.warn("LegacyGateway is deprecated; use app.payments.v2", DeprecationWarning)',
    '',
    'class TaxManager:',
    '    """Tax rules.',
    '',
    '    .. deprecated:: 2.0',
    '       Moved to app.tax.',
    '    """',
    '',
    'class ReportService:',
    '    def run(self): ...',
    '',
    '    @deprecated("use run")',
    '    def run_old(self): ...',
    '',
  ].join('\n'),
  'app/legacy/__init__.py': '# DEPRECATED: this whole package goes away; use app.payments.v2\nfrom .tools import tool\n',
  'app/legacy/tools.py': 'def tool():\n    pass\n',
  'app/notes.py': '"""Notes about deprecated APIs in general; nothing here is."""\n# DEPRECATED in a comment after the first statement is not a module marker\nx = 1\n',
  'web/package.json': '{"name":"web"}',
  'web/src/lib/old.ts': '/**\n * Old formatting helpers.\n * @deprecated use ./format instead\n * @module\n */\nexport function money(c: number): string { return String(c); }\nexport const LABEL = "x";\n',
  'web/src/lib/format.ts': 'export function money(c: number): string { return String(c); }\nexport const LABEL = "y";\n/** @deprecated use money */\nexport function cents(c: number): string { return String(c); }\n',
  'web/src/lib/first.ts': '/** @deprecated use money from ./format */\nexport function first(): void {}\nexport function second(): void {}\n',
};

describe('navigation: deprecation markers', () => {
  after(removeTempWorkspaces);

  it('reads every marker, merges them per module or symbol, and links replacements that resolve', async () => {
    const { data } = await analyse(tempWorkspace(FILES));
    const rows = data.deprecations.map((d) => [d.kind, d.name, d.line, d.source, d.replacement, d.replacementFile, d.removeBy].join(' | '));
    assert.deepEqual(rows, [
      'symbol | app.helpers.old_total | 5 | pep702 | app.helpers.total_cents | app/helpers.py | ',
      'symbol | app.helpers.old_round | 12 | config | app.helpers.round_cents | app/helpers.py | ',
      'symbol | app.helpers.LegacyGateway | 20 | warning | app.payments.v2 | app/payments/v2.py | ',
      'symbol | app.helpers.TaxManager | 22 | docstring | app.tax |  | ',
      'symbol | app.helpers.ReportService.run_old | 32 | pep702 | run |  | ',
      'module | app.legacy | 1 | comment | app.payments.v2 | app/payments/v2.py | ',
      'module | app.payments.v1 | 1 | config | app.payments.v2 | app/payments/v2.py | 2026-03-01',
      'symbol | web/src/lib/first.first | 2 | jsdoc | money |  | ',
      'symbol | web/src/lib/format.cents | 4 | jsdoc | money | web/src/lib/format.ts | ',
      'module | web/src/lib/old | 3 | jsdoc | web/src/lib/format | web/src/lib/format.ts | ',
    ]);
    const legacy = data.deprecations.find((d) => d.name === 'app.legacy')!;
    assert.equal(legacy.reason, 'this whole package goes away; use app.payments.v2');
    assert.equal(data.deprecations.find((d) => d.name === 'app.payments.v1')!.reason, 'the v1 provider API is switched off');
    assert.deepEqual(data.problems.map((p) => p.message), ['deprecated: module "app/not_there.py" is not in the workspace']);
  });

  it('marks services deprecated through their class, their module, or a deprecated method', async () => {
    const { data } = await analyse(tempWorkspace(FILES));
    const svc = (module: string, name: string) => data.services.find((s) => s.module === module && s.name === name)!;
    assert.deepEqual([svc('app.helpers', 'LegacyGateway').deprecated, svc('app.helpers', 'LegacyGateway').replacement], [true, 'app.payments.v2']);
    assert.deepEqual([svc('app.payments.v1', 'PaymentClient').deprecated, svc('app.payments.v1', 'PaymentClient').removeBy], [true, '2026-03-01']);
    assert.equal(svc('app.payments.v2', 'PaymentClient').deprecated, false);
    const report = svc('app.helpers', 'ReportService');
    assert.equal(report.deprecated, false);
    assert.deepEqual(report.methods.map((m) => `${m.name}:${m.deprecated}`), ['run:false', 'run_old:true']);
  });

  it('finds nothing in modules whose docstring does not carry the marker', async () => {
    const { data } = await analyse(tempWorkspace(FILES));
    assert.ok(!data.deprecations.some((d) => d.file === 'app/notes.py'));
  });
});
