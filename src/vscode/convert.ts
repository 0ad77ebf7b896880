import path = require('node:path');
import vscode = require('vscode');
import type { Fix, Range, Severity } from '../core/findings';

export const SOURCE = 'Codebase Navigator';

export function toRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

export function toUri(folder: vscode.WorkspaceFolder, rel: string): vscode.Uri {
  return vscode.Uri.file(path.join(folder.uri.fsPath, ...rel.split('/')));
}

export function toSeverity(s: Severity): vscode.DiagnosticSeverity {
  return s === 'error' ? vscode.DiagnosticSeverity.Error : s === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
}

/** A fix's edits as one undoable WorkspaceEdit; files are created without overwriting. */
export function toWorkspaceEdit(folder: vscode.WorkspaceFolder, fix: Fix): vscode.WorkspaceEdit | undefined {
  if (!fix.edits?.length && !fix.createFiles?.length && !fix.renameFiles?.length) return undefined;
  const edit = new vscode.WorkspaceEdit();
  for (const e of fix.edits ?? []) edit.replace(toUri(folder, e.file), toRange(e.range), e.newText);
  for (const c of fix.createFiles ?? []) {
    const uri = toUri(folder, c.file);
    edit.createFile(uri, { overwrite: false, ignoreIfExists: false, contents: Buffer.from(c.content, 'utf8') });
  }
  for (const r of fix.renameFiles ?? []) edit.renameFile(toUri(folder, r.from), toUri(folder, r.to), { overwrite: false });
  return edit;
}

/** Opens a workspace-relative file at a 0-based line. */
export async function openAt(folder: vscode.WorkspaceFolder, rel: string, line: number, character = 0): Promise<vscode.TextEditor> {
  const pos = new vscode.Position(Math.max(0, line), Math.max(0, character));
  return vscode.window.showTextDocument(toUri(folder, rel), { selection: new vscode.Range(pos, pos), preview: true });
}
