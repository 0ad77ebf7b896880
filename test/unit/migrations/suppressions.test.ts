import * as assert from 'node:assert/strict';
import { pointRange } from '../../../src/core/findings';
import { readSuppressions } from '../../../src/core/migrations/suppressions';

const comments = (...texts: string[]) => texts.map((text, i) => ({ text, range: pointRange(i) }));

describe('migrations: suppression comments', () => {
  it('takes " -- " or an em dash before the reason, and lists every rule named', () => {
    const r = readSuppressions('v/a.py', comments('codenav: ignore migration/naming -- legacy name', 'codenav: ignore migration/naming, migration/missing-downgrade \u2014 data migration', 'a plain comment'));
    assert.deepEqual(r.findings, []);
    assert.deepEqual(
      r.suppressions.map((s) => `${s.rules.join('+')}: ${s.reason}`),
      ['migration/naming: legacy name', 'migration/naming+migration/missing-downgrade: data migration'],
    );
  });

  it('reports a directive without a reason, or with a rule that is unknown or not a migration rule, and keeps the valid rules', () => {
    const r = readSuppressions('v/a.py', comments('codenav: ignore migration/naming', 'codenav: ignore migration/nmaing, migration/cycle -- typo', 'codenav: ignore cache/never-invalidated -- wrong file'));
    assert.deepEqual(
      r.findings.map((f) => `${f.range.start.line} ${f.rule}`),
      ['0 migration/suppression', '1 migration/suppression', '2 migration/suppression'],
    );
    assert.match(r.findings[0].message, /needs a reason/);
    assert.match(r.findings[1].message, /"migration\/nmaing" is not a rule id/);
    assert.deepEqual(r.suppressions.map((s) => s.rules), [['migration/cycle']]);
  });
});
