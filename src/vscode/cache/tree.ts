import vscode = require('vscode');
import type { CacheData } from '../../core/cache';
import { toUri } from '../convert';
import type { AnalysisHost } from '../host';
import { serviceNodes, type IconState, type NodeData } from './model';

const COLORS: Record<IconState, string> = {
  ok: 'testing.iconPassed',
  warning: 'list.warningForeground',
  info: 'notificationsInfoIcon.foreground',
};

interface Node {
  folder: vscode.WorkspaceFolder;
  data?: NodeData;
  /** A folder node, when the window has more than one folder with cache data. */
  folderOnly?: boolean;
}

/** A plain snapshot of the view's top levels, for tests (`codenav.cache.snapshot`). */
export interface CacheViewSnapshot {
  folder: string;
  label: string;
  description: string;
  icon: string;
  state: IconState;
  children: { kind: string; label: string; description: string; icon: string; state: IconState; children: string[] }[];
}

/** The Cache Coverage view: service → cached reads and writes → what they connect to. */
export class CacheTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly host: AnalysisHost) {
    this.subscription = host.onDidAnalyze((e) => e.ran.includes('cache') && this.emitter.fire(undefined));
  }

  private folders(): { folder: vscode.WorkspaceFolder; data?: CacheData }[] {
    return this.host
      .allStates()
      .map((s) => ({ folder: s.folder, data: s.results.cache?.data as CacheData | undefined }))
      .filter((x) => x.data?.services.length)
      .sort((a, b) => a.folder.index - b.folder.index);
  }

  getChildren(node?: Node): Node[] {
    if (node?.data) return node.data.children.map((data) => ({ folder: node.folder, data }));
    const folders = this.folders();
    if (!node && folders.length > 1) return folders.map(({ folder }) => ({ folder, folderOnly: true }));
    const chosen = node ? folders.filter((f) => f.folder === node.folder) : folders;
    return chosen.flatMap(({ folder, data }) => serviceNodes(data, `${folder.uri.toString()}|`).map((d) => ({ folder, data: d })));
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (!node.data) {
      const item = new vscode.TreeItem(node.folder.name, vscode.TreeItemCollapsibleState.Expanded);
      item.iconPath = vscode.ThemeIcon.Folder;
      item.id = node.folder.uri.toString();
      return item;
    }
    const d = node.data;
    const state = d.kind === 'service' ? vscode.TreeItemCollapsibleState.Expanded : d.children.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(d.label, state);
    item.id = d.id;
    item.description = d.description;
    item.tooltip = d.tooltip;
    item.iconPath = new vscode.ThemeIcon(d.icon, new vscode.ThemeColor(COLORS[d.state]));
    item.contextValue = `cache-${d.kind}`;
    const line = Math.max(0, d.open.line - 1);
    item.command = {
      command: 'vscode.open',
      title: 'Open',
      arguments: [toUri(node.folder, d.open.file), { selection: new vscode.Range(line, 0, line, 0), preview: true }],
    };
    return item;
  }

  snapshot(): CacheViewSnapshot[] {
    return this.folders().flatMap(({ folder, data }) =>
      serviceNodes(data).map((s) => ({
        folder: folder.name,
        label: s.label,
        description: s.description,
        icon: s.icon,
        state: s.state,
        children: s.children.map((c) => ({ kind: c.kind, label: c.label, description: c.description, icon: c.icon, state: c.state, children: c.children.map((x) => x.label) })),
      })),
    );
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
