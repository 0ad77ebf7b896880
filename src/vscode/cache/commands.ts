import path = require('node:path');
import vscode = require('vscode');
import { renderCacheAudit, type CacheData } from '../../core/cache';
import { openAt, toUri } from '../convert';
import type { AnalysisHost } from '../host';
import type { ShowLocationsArgs } from './lenses';

/** Lists the places a lens names and opens the chosen one (directly, when there is only one). */
export async function showLocations(args?: ShowLocationsArgs): Promise<void> {
  const folder = args && vscode.workspace.workspaceFolders?.find((f) => f.uri.toString() === args.folder);
  if (!args || !folder) return;
  if (!args.places.length) {
    void vscode.window.showInformationMessage(`${args.title}: nothing to show.`);
    return;
  }
  let place = args.places[0];
  if (args.places.length > 1) {
    const picked = await vscode.window.showQuickPick(
      args.places.map((p) => ({ label: p.label, description: `${p.file}:${p.line}`, detail: p.detail, place: p })),
      { title: args.title, placeHolder: 'Open…', matchOnDescription: true },
    );
    if (!picked) return;
    place = picked.place;
  }
  await openAt(folder, place.file, place.line - 1);
}

async function pickFolder(host: AnalysisHost): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = host.folders().filter((f) => f.uri.scheme === 'file');
  if (folders.length <= 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: 'Export the cache audit of which folder?' });
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/**
 * "Export Cache Audit…": the Markdown report of `codenav cache --format markdown`.
 * Asks where (default `docs/cache-audit.md`) and before overwriting. A target
 * given as an argument skips the save dialog; `{ overwrite: true }` the question.
 */
export async function exportAudit(host: AnalysisHost, target?: vscode.Uri, options: { overwrite?: boolean } = {}): Promise<string | undefined> {
  const folder = (target && vscode.workspace.getWorkspaceFolder(target)) ?? (await pickFolder(host));
  if (!folder) {
    void vscode.window.showWarningMessage('Open a folder to export its cache audit.');
    return undefined;
  }
  const state = await host.ensure(folder);
  const data = state.results.cache?.data as CacheData | undefined;
  const markdown = renderCacheAudit(data ?? { services: [], coverage: { services: 0, writes: 0, invalidating: 0, reads: 0, readsCovered: 0, findings: { error: 0, warning: 0, info: 0 } } });
  const uri =
    target ??
    (await vscode.window.showSaveDialog({
      title: 'Export Cache Audit',
      defaultUri: toUri(folder, 'docs/cache-audit.md'),
      filters: { Markdown: ['md'] },
      saveLabel: 'Export',
    }));
  if (!uri) return undefined;
  if (!options.overwrite && (await exists(uri))) {
    const answer = await vscode.window.showWarningMessage(`${path.basename(uri.fsPath)} already exists. Overwrite it?`, { modal: true }, 'Overwrite');
    if (answer !== 'Overwrite') return undefined;
  }
  await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(uri, '..'));
  await vscode.workspace.fs.writeFile(uri, Buffer.from(markdown, 'utf8'));
  if (!target) await vscode.window.showTextDocument(uri, { preview: false });
  return uri.toString();
}
