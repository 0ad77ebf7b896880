import * as assert from 'node:assert/strict';
import { deprecatedPattern, deprecationReason, removalNote, replacementCandidates, usageSeverity } from '../../../src/core/navigation/deprecationText';

describe('navigation: deprecation text', () => {
  const { re } = deprecatedPattern(undefined);

  it('takes the paragraph holding the marker as the reason, without the marker', () => {
    const doc = 'Invoice service with float amounts.\n\nDEPRECATED: use money_service instead. This module\nsums floats.\n\nMore text.';
    assert.equal(deprecationReason(doc, re), 'use money_service instead. This module sums floats.');
    assert.equal(deprecationReason('Tax rules.\n\n.. deprecated:: 2.0\n   Moved to app.tax.', re), '2.0 Moved to app.tax.');
    assert.equal(deprecationReason('Deprecated since 3.1', re), 'since 3.1');
  });

  it('does not read "not deprecated" or an ordinary docstring as a marker', () => {
    assert.equal(deprecationReason('This helper is not deprecated yet.', re), undefined);
    assert.equal(deprecationReason('Invoices in integer cents.', re), undefined);
    assert.equal(deprecationReason(undefined, re), undefined);
  });

  it('uses a configured pattern, and falls back to the default on an invalid one', () => {
    const custom = deprecatedPattern('^OBSOLETE');
    assert.equal(deprecationReason('OBSOLETE: use new_api', custom.re), 'use new_api');
    assert.equal(custom.error, undefined);
    const broken = deprecatedPattern('(unclosed');
    assert.match(broken.error ?? '', /not a valid regular expression/);
    assert.equal(deprecationReason('DEPRECATED: x', broken.re), 'x');
  });

  it('finds replacement names in the order they are written', () => {
    assert.deepEqual(replacementCandidates('use money_service instead.'), ['money_service']);
    assert.deepEqual(replacementCandidates('Use ``acme.billing.money_service`` instead'), ['acme.billing.money_service']);
    assert.deepEqual(replacementCandidates('replaced by `NewClient`; see also the docs, in favour of v2.'), ['NewClient', 'v2']);
    assert.deepEqual(replacementCandidates('Moved to app/payments/v2.py.'), ['app/payments/v2.py']);
    assert.deepEqual(replacementCandidates('Use of this class is discouraged; it is used by nothing.'), []);
    assert.deepEqual(replacementCandidates(null), []);
  });

  it('raises the severity as removeBy approaches', () => {
    const now = new Date('2026-01-01T12:00:00Z');
    assert.equal(usageSeverity(null, now), 'warning');
    assert.equal(usageSeverity('2026-12-31', now), 'info');
    assert.equal(usageSeverity('2026-03-01', now), 'warning');
    assert.equal(usageSeverity('2026-01-10', now), 'error');
    assert.equal(usageSeverity('2025-06-01', now), 'error');
    assert.equal(usageSeverity('not-a-date', now), 'warning');
    assert.equal(removalNote('2025-06-01', now), ' (removal was due 2025-06-01)');
    assert.equal(removalNote('2026-06-01', now), ' (to be removed by 2026-06-01)');
    assert.equal(removalNote(null, now), '');
  });
});
