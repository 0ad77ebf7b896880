import vscode = require('vscode');
import { ServicesModel, type Look, type SvcNode } from './model';

export const VIEW_ID = 'codenav.services';

const STATE: Record<Look['collapsible'], vscode.TreeItemCollapsibleState> = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
};

/** The Services view: a thin adapter over the VS Code-free `ServicesModel`. Children are computed when a node is expanded. */
export class ServicesTree implements vscode.TreeDataProvider<SvcNode> {
  readonly model = new ServicesModel();
  private readonly emitter = new vscode.EventEmitter<SvcNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;

  private waiters: (() => void)[] = [];

  refresh(): void {
    this.emitter.fire(undefined);
  }

  /** Refreshes the tree and resolves once the view has fetched its roots again (or after `timeoutMs`). */
  refreshAndWait(timeoutMs = 3000): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const waiters = this.waiters;
      function done(): void {
        clearTimeout(timer);
        const i = waiters.indexOf(done);
        if (i >= 0) waiters.splice(i, 1);
        resolve();
      }
      this.waiters.push(done);
      this.refresh();
    });
  }

  getChildren(node?: SvcNode): SvcNode[] {
    if (!node) for (const w of this.waiters.splice(0)) queueMicrotask(w);
    return node ? this.model.children(node) : this.model.roots();
  }

  getParent(node: SvcNode): SvcNode | undefined {
    return node.parent;
  }

  getTreeItem(node: SvcNode): vscode.TreeItem {
    const look = this.model.look(node);
    const item = new vscode.TreeItem(look.label, STATE[look.collapsible]);
    item.id = node.id;
    item.description = look.description;
    if (look.tooltip) item.tooltip = new vscode.MarkdownString(look.tooltip);
    item.contextValue = look.contextValue;
    item.iconPath = new vscode.ThemeIcon(look.icon.id, look.icon.color ? new vscode.ThemeColor('list.warningForeground') : undefined);
    if (look.open) {
      const uri = vscode.Uri.joinPath(vscode.Uri.parse(node.folder), ...look.open.file.split('/'));
      const at = new vscode.Range(look.open.line - 1, 0, look.open.line - 1, 0);
      item.command = { command: 'vscode.open', title: 'Open', arguments: [uri, { selection: at, preview: true }] };
      if (node.kind === 'module') item.resourceUri = uri;
    }
    return item;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
