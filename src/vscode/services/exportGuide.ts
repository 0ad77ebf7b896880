import path = require('node:path');
import vscode = require('vscode');
import { findPackage, renderNavigationGuide } from '../../core/navigation/guide';
import type { NavigationData, PackageEntry } from '../../core/navigation';
import type { AnalysisHost } from '../host';
import { indexes } from './pickers';
import type { SvcNode } from './model';

export interface ExportOptions {
  /** Where to write (absolute, or relative to the folder); skips the save dialog. */
  target?: string;
  /** Overwrite an existing file without asking (automation only). */
  overwrite?: boolean;
}

/**
 * "Export Navigation Guide…": the Markdown guide of one package, saved where
 * the user says (by default docs/<package>/NAVIGATION.md), asking before it
 * replaces a file. The package comes from the view item, a string argument
 * (label, dotted name or folder) or a pick. Returns the written file's path.
 */
export async function exportGuide(host: AnalysisHost, arg?: unknown, options: ExportOptions = {}): Promise<string | undefined> {
  const all = await indexes(host);
  let chosen: { folder: vscode.WorkspaceFolder; data: NavigationData; pkg: PackageEntry } | undefined;
  const node = arg && typeof arg === 'object' && (arg as SvcNode).kind === 'package' ? (arg as Extract<SvcNode, { kind: 'package' }>) : undefined;
  if (node) {
    const hit = all.find((x) => x.folder.uri.toString() === node.folder);
    const pkg = hit && hit.data.packages.find((p) => p.dir === node.pkg.dir);
    if (hit && pkg) chosen = { ...hit, pkg };
  } else if (typeof arg === 'string' && arg.trim()) {
    for (const x of all) {
      const pkg = findPackage(x.data, arg);
      if (pkg) {
        chosen = { ...x, pkg };
        break;
      }
    }
    if (!chosen) {
      void vscode.window.showErrorMessage(`No package matches "${arg}".`);
      return undefined;
    }
  } else {
    const items = all.flatMap((x) => x.data.packages.map((pkg) => ({ label: `$(package) ${pkg.label}`, description: pkg.name, detail: `${pkg.dir}/ · ${pkg.services} services · ${pkg.routes} routes${all.length > 1 ? ` · ${x.folder.name}` : ''}`, pick: { ...x, pkg } })));
    if (items.length === 0) {
      void vscode.window.showInformationMessage('No package is indexed yet, so there is no guide to export.');
      return undefined;
    }
    chosen = (await vscode.window.showQuickPick(items, { placeHolder: 'Export the navigation guide of which package?', matchOnDescription: true, matchOnDetail: true }))?.pick;
  }
  if (!chosen) return undefined;
  const { folder, data, pkg } = chosen;
  let uri: vscode.Uri | undefined;
  if (options.target) uri = path.isAbsolute(options.target) ? vscode.Uri.file(options.target) : vscode.Uri.joinPath(folder.uri, ...options.target.split('/'));
  else {
    const suggested = vscode.Uri.joinPath(folder.uri, 'docs', pkg.label, 'NAVIGATION.md');
    uri = await vscode.window.showSaveDialog({ defaultUri: suggested, filters: { Markdown: ['md'] }, saveLabel: 'Export Guide', title: `Navigation guide of ${pkg.label}` });
  }
  if (!uri) return undefined;
  const present = await Promise.resolve(vscode.workspace.fs.stat(uri)).then(
    () => true,
    () => false,
  );
  if (!options.overwrite && present) {
    const answer = await vscode.window.showWarningMessage(`${vscode.workspace.asRelativePath(uri)} exists. Replace it with the generated guide?`, { modal: true }, 'Replace');
    if (answer !== 'Replace') return undefined;
  }
  await vscode.workspace.fs.writeFile(uri, Buffer.from(renderNavigationGuide(data, { package: pkg.dir }), 'utf8'));
  void vscode.window.showInformationMessage(`Wrote the navigation guide of ${pkg.label} to ${vscode.workspace.asRelativePath(uri)}.`, 'Open').then((a) => a && vscode.window.showTextDocument(uri));
  return uri.fsPath;
}
