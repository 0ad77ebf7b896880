import vscode = require('vscode');
import type { Feature } from '../feature';
import { exportAudit, showLocations } from './commands';
import { CacheLensProvider, SHOW_LOCATIONS } from './lenses';
import { CacheTree } from './tree';

const CODE_LENS_LANGUAGES = ['python', 'typescript', 'typescriptreact'];

/** Cache coverage in the editor: the Cache Coverage view, CodeLenses, Export Cache Audit. */
export const registerCache: Feature = ({ host, config }) => {
  const tree = new CacheTree(host);
  const lenses = new CacheLensProvider(host, config);
  const view = vscode.window.createTreeView('codenav.cache', { treeDataProvider: tree, showCollapseAll: true });
  return [
    tree,
    lenses,
    view,
    vscode.languages.registerCodeLensProvider(
      CODE_LENS_LANGUAGES.map((language) => ({ language, scheme: 'file' })),
      lenses,
    ),
    vscode.commands.registerCommand(SHOW_LOCATIONS, showLocations),
    vscode.commands.registerCommand('codenav.cache.exportAudit', (target?: vscode.Uri, options?: { overwrite?: boolean }) =>
      exportAudit(host, target instanceof vscode.Uri ? target : undefined, options),
    ),
    vscode.commands.registerCommand('codenav.cache.snapshot', () => tree.snapshot()),
  ];
};
