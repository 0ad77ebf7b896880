import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Finding, TextEdit } from '../../../src/core/findings';
import { analyse, removeTempWorkspaces, SAMPLE, SAMPLE_FAULTY, tempWorkspace } from './helpers';

/** Applies the edits of a fix to the file's text. */
function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  for (const e of [...edits].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character)) {
    const { start, end } = e.range;
    const head = lines[start.line].slice(0, start.character);
    const tail = lines[end.line].slice(end.character);
    lines.splice(start.line, end.line - start.line + 1, ...(head + e.newText + tail).split('\n'));
  }
  return lines.join('\n');
}

function at(f: Finding): string {
  return `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
}

const FILES: Record<string, string> = {
  '.codenav.yaml': 'deprecated:\n  - module: app.payments.v1\n    replacement: app.payments.v2\n    removeBy: 2026-03-01\n',
  'app/__init__.py': '',
  'app/payments/__init__.py': '',
  'app/payments/v1.py': 'def charge(amount):\n    return amount\n\n\nclass PaymentClient:\n    pass\n',
  'app/payments/v2.py': 'def charge(amount):\n    return amount\n\n\nclass PaymentClient:\n    pass\n',
  'app/payments/v0.py': '"""DEPRECATED: use v2; v0 has no PaymentClient equivalent here."""\ndef charge(amount):\n    return amount\n\n\ndef refund(amount):\n    return amount\n',
  'app/helpers.py': 'from typing_extensions import deprecated\n\n\n@deprecated("Use total_cents instead")\ndef old_total(x):\n    return x\n\n\ndef total_cents(x):\n    return x\n',
  'app/reexport/__init__.py': 'from ..helpers import old_total\n',
  'app/consumer.py': [
    'import app.payments.v1 as pay',
    'import app.payments.v1',
    'from app.payments import v1',
    'from app.payments import v1 as p1',
    'from app.payments.v1 import charge, PaymentClient',
    'from .payments.v1 import charge as c2',
    'from .payments.v0 import refund',
    'from .helpers import old_total, total_cents',
    'from .reexport import old_total as ot',
    'from .payments.v2 import charge as fine',
    '',
  ].join('\n'),
  'web/package.json': '{"name":"web"}',
  'web/tsconfig.json': '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["src/*"] } } }',
  'web/src/lib/old.ts': '/**\n * @deprecated use ./format instead\n * @module\n */\nexport function money(c: number): string { return String(c); }\nexport const LABEL = "x";\n',
  'web/src/lib/format.ts': 'export function money(c: number): string { return String(c); }\nexport const LABEL = "y";\n/** @deprecated use money */\nexport function cents(c: number): string { return String(c); }\n',
  'web/src/lib/index.ts': 'export { cents as legacyCents } from "./format";\n',
  'web/src/use.ts': [
    'import { money, LABEL } from "./lib/old";',
    "import { money as m2 } from '@/lib/old';",
    'import { cents } from "@/lib/format";',
    'import { legacyCents } from "./lib";',
    'import { money as fine } from "./lib/format";',
    'export const x = [money, LABEL, m2, cents, legacyCents, fine];',
    '',
  ].join('\n'),
};

describe('navigation: deprecated/usage', () => {
  after(removeTempWorkspaces);

  it('flags every Python import form and every TypeScript import of a deprecated export, and nothing else', async () => {
    const { findings } = await analyse(tempWorkspace(FILES), { now: new Date('2025-06-01') });
    assert.ok(findings.every((f) => f.rule === 'deprecated/usage'));
    assert.deepEqual(findings.map(at), [
      'app/consumer.py:1:8',
      'app/consumer.py:2:8',
      'app/consumer.py:3:26',
      'app/consumer.py:4:26',
      'app/consumer.py:5:6',
      'app/consumer.py:6:6',
      'app/consumer.py:7:6',
      'app/consumer.py:8:22',
      'app/consumer.py:9:23',
      'app/reexport/__init__.py:1:23',
      'web/src/use.ts:1:30',
      'web/src/use.ts:2:29',
      'web/src/use.ts:3:10',
      'web/src/use.ts:4:10',
    ]);
    const first = findings[0];
    assert.equal(first.message, 'app.payments.v1 is deprecated: use app.payments.v2 instead (to be removed by 2026-03-01).');
    assert.equal(first.related?.[0].file, 'app/payments/v1.py');
    assert.equal(findings[7].message, 'old_total (app.helpers) is deprecated: use app.helpers.total_cents instead.');
    assert.equal(findings[12].message, 'cents (web/src/lib/format) is deprecated: use money instead.');
  });

  it('raises the severity as removeBy approaches (options.now)', async () => {
    const root = tempWorkspace(FILES);
    const sev = async (now: string) => (await analyse(root, { now: new Date(now) })).findings.find((f) => f.file === 'app/consumer.py')!.severity;
    assert.equal(await sev('2025-06-01'), 'info');
    assert.equal(await sev('2026-01-15'), 'warning');
    assert.equal(await sev('2026-02-25'), 'error');
    assert.equal(await sev('2026-04-01'), 'error');
  });

  it('offers an import rewrite to the replacement module when the same names exist there', async () => {
    const root = tempWorkspace(FILES);
    const { findings } = await analyse(root);
    const text = fs.readFileSync(path.join(root, 'app', 'consumer.py'), 'utf8');
    const fixed = (line: number) => {
      const f = findings.find((x) => x.file === 'app/consumer.py' && x.range.start.line === line - 1)!;
      return f.fixes?.length ? applyEdits(text, f.fixes[0].edits!).split('\n')[line - 1] : undefined;
    };
    assert.equal(fixed(1), 'import app.payments.v2 as pay');
    assert.equal(fixed(2), undefined, 'without an alias the module name is used in the code: no rewrite');
    assert.equal(fixed(3), 'from app.payments import v2 as v1');
    assert.equal(fixed(4), 'from app.payments import v2 as p1');
    assert.equal(fixed(5), 'from app.payments.v2 import charge, PaymentClient');
    assert.equal(fixed(6), 'from .payments.v2 import charge as c2');
    assert.equal(fixed(7), undefined, 'v2 has no refund(): no rewrite');
    assert.equal(fixed(8), undefined, 'symbols are not rewritten');
    const ts = fs.readFileSync(path.join(root, 'web', 'src', 'use.ts'), 'utf8');
    const tsFixed = (line: number) => {
      const f = findings.find((x) => x.file === 'web/src/use.ts' && x.range.start.line === line - 1)!;
      return f.fixes?.length ? applyEdits(ts, f.fixes[0].edits!).split('\n')[line - 1] : undefined;
    };
    assert.equal(tsFixed(1), 'import { money, LABEL } from "./lib/format";');
    assert.equal(tsFixed(2), "import { money as m2 } from '@/lib/format';");
    assert.equal(tsFixed(3), undefined);
  });

  it('sample: no usage; sample-faulty: exactly the planted relative import, with the rewrite fix', async () => {
    const clean = await analyse(SAMPLE);
    assert.deepEqual(clean.findings, []);
    const faulty = await analyse(SAMPLE_FAULTY);
    assert.deepEqual(faulty.findings.map((f) => `${at(f)} ${f.severity}`), ['backend/src/acme/platform/billing/reports/legacy_export.py:6:6 warning']);
    const f = faulty.findings[0];
    assert.match(f.message, /acme\.platform\.billing\.invoicing\.service is deprecated: use acme\.platform\.billing\.invoicing\.money_service instead/);
    assert.equal(f.fixes?.[0].title, 'Import from acme.platform.billing.invoicing.money_service instead');
    const text = fs.readFileSync(path.join(SAMPLE_FAULTY, f.file), 'utf8');
    assert.equal(applyEdits(text, f.fixes![0].edits!).split('\n')[5], 'from ..invoicing.money_service import InvoiceService');
  });
});
