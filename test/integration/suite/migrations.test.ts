import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, codeOf, diagnosticsFor, executeCommandWithRetry, exists, openFile, waitFor, workspaceUri } from '../util';

const VERSIONS = 'backend/alembic/versions';
const HEAD_1 = `${VERSIONS}/2025_04_15_1030-9d985ae16eff_add_invoice_pdf_url.py`;
const HEAD_2 = `${VERSIONS}/2025_04_22_1600-9f955a680dc9_backfill_booking_references.py`;
const NAMING = `${VERSIONS}/add_booking_notes.py`;
const MERGE_WITH_DANGLING = `${VERSIONS}/2025_04_18_0940-426f10479714_merge_customer_tax_branch.py`;

/** Every planted migration fault of sample-faulty (test/fixtures/README.md): file, rule, 1-based line. */
const PLANTED: [string, string, number][] = [
  [HEAD_1, 'migration/multiple-heads', 15],
  [HEAD_2, 'migration/multiple-heads', 15],
  [NAMING, 'migration/naming', 1],
  [`${VERSIONS}/2025_04_17_1105-54d997cdcee4_add_customer_tax_id.py`, 'migration/filename-revision-mismatch', 15],
  [MERGE_WITH_DANGLING, 'migration/dangling-revision', 16],
  [`${VERSIONS}/2025_04_16_1537-cdce92b10050_add_credit_note_reason_code.py`, 'migration/duplicate-revision', 15],
  [HEAD_2, 'migration/missing-downgrade', 27],
  [`${VERSIONS}/2025_04_23_1010-e4a25fc1902d_add_refund_reason.py`, 'migration/unreadable', 1],
  ['backend/legacy/migrations/versions/40aab76ce85a_create_report_snapshots.py', 'migration/cycle', 14],
  ['backend/legacy/migrations/versions/c23e525b3eb5_add_snapshot_indexes.py', 'migration/cycle', 14],
];

function hasRule(rel: string, rule: string, line?: number): boolean {
  return diagnosticsFor(rel).some((d) => codeOf(d) === rule && (line === undefined || d.range.start.line === line - 1));
}

async function codeActions(rel: string, rule: string): Promise<vscode.CodeAction[]> {
  const d = diagnosticsFor(rel).find((x) => codeOf(x) === rule);
  assert.ok(d, `no ${rule} diagnostic on ${rel}`);
  // Code actions are computed on an open document.
  await vscode.workspace.openTextDocument(workspaceUri(rel));
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', workspaceUri(rel), d.range);
  return actions.filter((a): a is vscode.CodeAction => typeof (a as vscode.Command).command !== 'string');
}

describe('migrations', () => {
  before(async () => {
    await activateExtension();
  });

  it('shows every planted migration fault in the Problems panel, on its line', async () => {
    await waitFor(() => PLANTED.every(([file, rule, line]) => hasRule(file, rule, line)), {
      timeoutMs: 30_000,
      message: `the migration diagnostics; missing: ${PLANTED.filter(([f, r, l]) => !hasRule(f, r, l)).map(([f, r]) => `${r} on ${f}`).join(', ')}`,
    });
    const heads = diagnosticsFor(HEAD_1).find((d) => codeOf(d) === 'migration/multiple-heads')!;
    assert.strictEqual(heads.severity, vscode.DiagnosticSeverity.Error);
    assert.match(heads.message, /9d985ae16eff/);
    assert.match(heads.message, /9f955a680dc9/);
    assert.ok(heads.relatedInformation?.some((r) => r.message.includes('branch point ecf891e89b57')), 'the branch point is a related location');
    assert.match(diagnosticsFor(NAMING).find((d) => codeOf(d) === 'migration/naming')!.message, /2025_04_16_1102-64ca947c63e0_add_booking_notes\.py/);
    assert.ok(!diagnosticsFor('backend/ai/migrations/versions/c3fab9fc4213_add_prompt_templates.py').length, 'the ai environment is clean');
  });

  it('re-analyses on save: fixing the dangling parent removes its diagnostic', async () => {
    const editor = await openFile(MERGE_WITH_DANGLING);
    const text = editor.document.getText();
    const at = text.indexOf('    "6882ea7d3788",\n');
    assert.ok(at > 0, 'the dangling id is in the file');
    await editor.edit((b) => b.delete(new vscode.Range(editor.document.positionAt(at), editor.document.positionAt(at + '    "6882ea7d3788",\n'.length))));
    await editor.document.save();
    await waitFor(() => !hasRule(MERGE_WITH_DANGLING, 'migration/dangling-revision'), { message: 'the dangling-revision diagnostic to go' });
    assert.ok(hasRule(HEAD_1, 'migration/multiple-heads'), 'the heads are still two');
  });

  it('"Rename to naming convention" renames the file through an undoable WorkspaceEdit', async () => {
    const fix = (await codeActions(NAMING, 'migration/naming')).find((a) => a.title.startsWith('Rename to naming convention'));
    assert.ok(fix?.edit, 'the rename quick fix carries a WorkspaceEdit');
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    const renamed = `${VERSIONS}/2025_04_16_1102-64ca947c63e0_add_booking_notes.py`;
    await waitFor(async () => (await exists(workspaceUri(renamed))) && !(await exists(workspaceUri(NAMING))), { message: 'the renamed file' });
    await waitFor(() => !hasRule(NAMING, 'migration/naming') && !hasRule(renamed, 'migration/naming'), { message: 'the naming diagnostic to go' });
  });

  it('the "Create merge migration" quick fix brings the environment to one head', async () => {
    const fix = (await codeActions(HEAD_1, 'migration/multiple-heads')).find((a) => a.command?.command === 'codenav.migrations.createMerge');
    assert.ok(fix?.command, 'the multiple-heads diagnostic offers the merge command');
    assert.deepStrictEqual(fix.command.arguments, [VERSIONS]);
    // The command asks with a modal first; automation passes skipConfirm instead of clicking.
    const created = await vscode.commands.executeCommand<string>(fix.command.command, ...(fix.command.arguments ?? []), { skipConfirm: true });
    assert.ok(created && (await exists(vscode.Uri.file(created))), `created ${created}`);
    const content = Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.file(created))).toString('utf8');
    assert.match(content, /down_revision: Union\[str, None\] = \('9d985ae16eff', '9f955a680dc9'\)/);
    assert.match(created.replace(/\\/g, '/'), /backend\/alembic\/versions\/\d{4}_\d{2}_\d{2}_\d{4}-[0-9a-f]{12}_merge_heads\.py$/);
    await waitFor(() => !hasRule(HEAD_1, 'migration/multiple-heads') && !hasRule(HEAD_2, 'migration/multiple-heads'), { message: 'one head after the merge' });
    const rel = vscode.workspace.asRelativePath(created, false);
    assert.deepStrictEqual(diagnosticsFor(rel).map((d) => codeOf(d)), [], 'the merge migration itself is clean');
  });

  it('reveals a revision file in the Migrations view', async () => {
    await openFile(HEAD_1);
    const lineage = await executeCommandWithRetry<string[]>('codenav.migrations.reveal');
    assert.ok(Array.isArray(lineage), `reveal returned ${JSON.stringify(lineage)}`);
    assert.strictEqual(lineage[0], 'backend/alembic');
    assert.strictEqual(lineage[lineage.length - 1], '9d985ae16eff');
  });

  it('updates on create and delete: a new revision with a wrong date and a reasonless suppression', async () => {
    const rel = `${VERSIONS}/2025_05_01_0900-aaaabbbbcccc_check_dates.py`;
    const uri = workspaceUri(rel);
    const body = [
      '"""check dates',
      '',
      'Revision ID: aaaabbbbcccc',
      'Revises: ecf891e89b57',
      'Create Date: 2025-05-02 09:00:00.000000',
      '',
      '"""',
      '# codenav: ignore migration/missing-downgrade',
      "revision = 'aaaabbbbcccc'",
      "down_revision = 'ecf891e89b57'",
      'branch_labels = None',
      'depends_on = None',
      '',
      '',
      'def upgrade() -> None:',
      '    op.execute("SELECT 1")',
      '',
      '',
      'def downgrade() -> None:',
      '    pass',
      '',
    ].join('\n');
    await vscode.workspace.fs.writeFile(uri, Buffer.from(body, 'utf8'));
    await waitFor(() => hasRule(rel, 'migration/create-date-mismatch', 5) && hasRule(rel, 'migration/suppression', 8) && hasRule(rel, 'migration/missing-downgrade'), {
      message: 'create-date, suppression and missing-downgrade diagnostics on the new file',
    });
    assert.ok(hasRule(rel, 'migration/multiple-heads'), 'the new revision is a second head');
    await vscode.workspace.fs.delete(uri);
    const mentionsDeleted = () => vscode.languages.getDiagnostics().some(([, list]) => list.some((d) => d.message.includes('aaaabbbbcccc')));
    await waitFor(() => diagnosticsFor(rel).length === 0 && !mentionsDeleted(), { message: 'the diagnostics of the deleted file to go' });
  });
});
