import vscode = require('vscode');
import { SOURCE, toWorkspaceEdit } from './convert';
import type { DiagnosticsAdapter } from './diagnostics';

/** Offers every `Finding.fixes` entry of our diagnostics as a quick fix. */
export class QuickFixProvider implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly diagnostics: DiagnosticsAdapter) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      if (d.source !== SOURCE) continue;
      const hit = this.diagnostics.findingFor(doc.uri, d);
      for (const fix of hit?.finding.fixes ?? []) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [d];
        action.isPreferred = fix.preferred;
        const edit = toWorkspaceEdit(hit!.folder, fix);
        if (edit) action.edit = edit;
        if (fix.command) action.command = { command: fix.command.id, title: fix.title, arguments: fix.command.args };
        actions.push(action);
      }
    }
    return actions;
  }
}
