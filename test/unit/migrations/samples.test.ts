import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { migrationsAnalyzer } from '../../../src/core/migrations';
import { Workspace } from '../../../src/core/workspace/workspace';
import { repoRoot } from '../../support/tmp';

const V = 'backend/alembic/versions';

async function analyse(fixture: string) {
  const ws = await Workspace.open(path.join(repoRoot(), 'test', 'fixtures', fixture), { noGit: true });
  return migrationsAnalyzer.run(ws);
}

describe('migrations: the sample workspaces', () => {
  it('sample (clean): one head per environment, the README graph, no finding', async () => {
    const r = await analyse('sample');
    assert.deepEqual(r.findings, []);
    const main = r.data.environments.find((e) => e.root === V)!;
    const ai = r.data.environments.find((e) => e.root === 'backend/ai/migrations/versions')!;
    assert.equal(r.data.environments.length, 2);
    assert.deepEqual([main.revisions, main.heads, main.bases, main.merges, main.branchPoints], [14, ['ecf891e89b57'], ['3bffe5fba641'], ['a4c8bfad8b2a'], ['fd4e2bab627e']]);
    assert.deepEqual(main.branchLabels, { billing: 'ff3d5ef6de4b' });
    assert.deepEqual(main.history.find((h) => h.id === 'ecf891e89b57')?.carried, ['billing'], 'Alembic carries the label through the merge');
    assert.equal(main.config, 'backend/alembic.ini');
    assert.deepEqual([ai.revisions, ai.heads, ai.bases], [4, ['c3fab9fc4213'], ['7b48b79b9656']]);
  });

  it('sample-faulty: exactly the planted migration faults, on their lines', async () => {
    const r = await analyse('sample-faulty');
    const got = r.findings.map((f) => `${f.rule} ${f.severity} ${f.file}:${f.range.start.line + 1}`).sort();
    assert.deepEqual(got, [
      `migration/cycle error backend/legacy/migrations/versions/40aab76ce85a_create_report_snapshots.py:14`,
      `migration/cycle error backend/legacy/migrations/versions/c23e525b3eb5_add_snapshot_indexes.py:14`,
      `migration/dangling-revision error ${V}/2025_04_18_0940-426f10479714_merge_customer_tax_branch.py:16`,
      `migration/duplicate-revision error ${V}/2025_04_16_1537-cdce92b10050_add_credit_note_reason_code.py:15`,
      `migration/filename-revision-mismatch warning ${V}/2025_04_17_1105-54d997cdcee4_add_customer_tax_id.py:15`,
      `migration/missing-downgrade warning ${V}/2025_04_22_1600-9f955a680dc9_backfill_booking_references.py:27`,
      `migration/multiple-heads error ${V}/2025_04_15_1030-9d985ae16eff_add_invoice_pdf_url.py:15`,
      `migration/multiple-heads error ${V}/2025_04_22_1600-9f955a680dc9_backfill_booking_references.py:15`,
      `migration/naming warning ${V}/add_booking_notes.py:1`,
      `migration/unreadable error ${V}/2025_04_23_1010-e4a25fc1902d_add_refund_reason.py:1`,
    ]);
    const main = r.data.environments.find((e) => e.root === V)!;
    assert.deepEqual(main.heads, ['9d985ae16eff', '9f955a680dc9']);
    assert.deepEqual(main.bases, ['3bffe5fba641']);
    assert.deepEqual(main.merges, ['a4c8bfad8b2a', '426f10479714']);
    const ai = r.data.environments.find((e) => e.root === 'backend/ai/migrations/versions')!;
    assert.deepEqual(ai.heads, ['c3fab9fc4213']);
  });

  it('sample-faulty: messages name what to do, and related locations point at the right lines', async () => {
    const r = await analyse('sample-faulty');
    const find = (rule: string, file?: string) => r.findings.find((f) => f.rule === rule && (!file || f.file.endsWith(file)))!;
    const heads = find('migration/multiple-heads', '9d985ae16eff_add_invoice_pdf_url.py');
    assert.match(heads.message, /2 heads in backend\/alembic\/versions: 9d985ae16eff \(billing\) \(this file\), 9f955a680dc9 \(billing\); they diverged at ecf891e89b57/);
    assert.deepEqual(
      heads.related?.map((x) => `${path.basename(x.file)}:${x.range.start.line + 1}`),
      ['2025_04_22_1600-9f955a680dc9_backfill_booking_references.py:15', '2025_04_08_0945-ecf891e89b57_add_money_columns_to_invoices.py:15'],
    );
    assert.deepEqual(heads.fixes?.[0].command, { id: 'codenav.migrations.createMerge', args: [V] });
    const dangling = find('migration/dangling-revision');
    assert.equal(dangling.range.end.line + 1, 18, 'the range ends on the missing id');
    assert.match(dangling.message, /"6882ea7d3788"/);
    const dup = find('migration/duplicate-revision');
    assert.equal(dup.related?.[0].file, `${V}/2025_03_17_1125-cdce92b10050_create_credit_notes.py`);
    assert.equal(dup.related?.[0].range.start.line + 1, 15);
    const naming = find('migration/naming');
    assert.match(naming.message, /expected "2025_04_16_1102-64ca947c63e0_add_booking_notes\.py"/);
    assert.deepEqual(naming.fixes?.[0].renameFiles, [{ from: `${V}/add_booking_notes.py`, to: `${V}/2025_04_16_1102-64ca947c63e0_add_booking_notes.py` }]);
    assert.match(find('migration/filename-revision-mismatch').message, /"54d997cdcee4".*"be0a3feae2ed"/);
    const cycle = find('migration/cycle', '40aab76ce85a_create_report_snapshots.py');
    assert.match(cycle.message, /40aab76ce85a → c23e525b3eb5 → 40aab76ce85a/);
    assert.equal(cycle.related?.[0].file, 'backend/legacy/migrations/versions/c23e525b3eb5_add_snapshot_indexes.py');
  });
});
