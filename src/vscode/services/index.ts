import vscode = require('vscode');
import type { NavigationData } from '../../core/navigation';
import type { Feature } from '../feature';
import type { FolderState } from '../host';
import { exportGuide, type ExportOptions } from './exportGuide';
import type { GroupBy, Snapshot, SvcNode } from './model';
import { goToRoute, goToService } from './pickers';
import { ServicesTree, VIEW_ID } from './tree';

const CONTEXT_GROUP_BY = 'codenav.services.groupBy';

/** The Services view, its title buttons and the navigation commands. */
export const registerServices: Feature = ({ host, config }) => {
  const tree = new ServicesTree();
  const view = vscode.window.createTreeView<SvcNode>(VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });

  const applyGroupBy = (value: GroupBy): void => {
    void vscode.commands.executeCommand('setContext', CONTEXT_GROUP_BY, value);
    if (tree.model.setGroupBy(value)) tree.refresh();
  };
  applyGroupBy(config.settings.servicesGroupBy === 'routePrefix' ? 'routePrefix' : 'package');

  const show = (state: FolderState): void => {
    const data = state.results.navigation?.data as NavigationData | undefined;
    if (!tree.model.setData(state.folder.uri.toString(), state.folder.name, data)) return;
    tree.refresh();
    const problems = tree.model.allData().reduce((n, x) => n + x.data.problems.length, 0);
    view.message = problems ? `Some routes could not be followed statically (${problems}); \`codenav services\` lists them.` : undefined;
    if (view.visible) void revealActive(false);
  };

  /** Selects the active editor's module in the view (only while the view is visible, unless asked explicitly). */
  const revealActive = async (explicit: boolean): Promise<boolean> => {
    const uri = vscode.window.activeTextEditor?.document.uri;
    const folder = uri && vscode.workspace.getWorkspaceFolder(uri);
    if (!uri || !folder || (!explicit && !view.visible)) return false;
    if (explicit && tree.model.groupBy !== 'package') await config.update('servicesGroupBy', 'package', vscode.ConfigurationTarget.Global);
    applyGroupBy('package');
    if (explicit) show(await host.ensure(folder));
    const state = host.state(folder);
    const node = state && tree.model.moduleNode(folder.uri.toString(), state.ws.rel(uri.fsPath));
    if (!node) {
      if (explicit) void vscode.window.showInformationMessage(`${vscode.workspace.asRelativePath(uri)} has no services, routes or deprecations in the index.`);
      return false;
    }
    const reveal = () => view.reveal(node, { select: true, focus: explicit, expand: false });
    try {
      await reveal();
      return true;
    } catch {
      // The view may still hold elements of a refresh it has not fetched yet: let it fetch, then try once more.
      try {
        await tree.refreshAndWait();
        await reveal();
        return true;
      } catch (err) {
        host.log.warn(`could not reveal ${node.id} in the Services view: ${(err as Error).message}`);
        return false;
      }
    }
  };

  for (const state of host.allStates()) show(state);

  return [
    tree,
    view,
    host.onDidAnalyze((e) => {
      if (e.ran.includes('navigation') || e.state.results.navigation === undefined) show(e.state);
    }),
    config.onDidChange((e) => {
      if (e.changed.includes('servicesGroupBy')) applyGroupBy(config.settings.servicesGroupBy === 'routePrefix' ? 'routePrefix' : 'package');
    }),
    vscode.window.onDidChangeActiveTextEditor(() => {
      if (config.settings.servicesRevealActiveFile) void revealActive(false);
    }),
    view.onDidChangeVisibility((e) => {
      if (e.visible && config.settings.servicesRevealActiveFile) void revealActive(false);
    }),
    vscode.commands.registerCommand('codenav.services.goToService', (query?: unknown) => goToService(host, query)),
    vscode.commands.registerCommand('codenav.services.goToRoute', (query?: unknown) => goToRoute(host, query)),
    vscode.commands.registerCommand('codenav.services.groupByPackage', () => config.update('servicesGroupBy', 'package', vscode.ConfigurationTarget.Global)),
    vscode.commands.registerCommand('codenav.services.groupByRoute', () => config.update('servicesGroupBy', 'routePrefix', vscode.ConfigurationTarget.Global)),
    vscode.commands.registerCommand('codenav.services.revealActiveFile', () => revealActive(true)),
    vscode.commands.registerCommand('codenav.services.exportGuide', (arg?: unknown, options?: ExportOptions) => exportGuide(host, arg, options)),
    vscode.commands.registerCommand('codenav.services.snapshot', async (depth?: number): Promise<Snapshot[]> => {
      for (const state of await Promise.all(host.folders().filter((f) => f.uri.scheme === 'file').map((f) => host.ensure(f)))) show(state);
      return tree.model.snapshot(typeof depth === 'number' ? depth : Infinity);
    }),
  ];
};
