import vscode = require('vscode');
import { MigrationsModel, type MigNode, type RevNode } from './model';

export const VIEW_ID = 'codenav.migrations';
export const SHOW_MORE_COMMAND = 'codenav.migrations.showMore';

/** The Migrations view: a thin adapter over the VS Code-free `MigrationsModel`. */
export class MigrationsTree implements vscode.TreeDataProvider<MigNode> {
  readonly model = new MigrationsModel();
  private readonly emitter = new vscode.EventEmitter<MigNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;

  refresh(node?: MigNode): void {
    this.emitter.fire(node);
  }

  getChildren(node?: MigNode): MigNode[] {
    const waiting = this.waiters.get(node);
    if (waiting) {
      this.waiters.delete(node);
      queueMicrotask(waiting);
    }
    return node ? this.model.children(node) : this.model.roots();
  }

  private readonly waiters = new Map<MigNode | undefined, () => void>();

  /** Refreshes a node (or the whole tree) and resolves once the view has asked for its children again. */
  refreshAndWait(node: MigNode | undefined, timeoutMs = 3000): Promise<void> {
    const fetched = this.nextFetch(node, timeoutMs);
    this.refresh(node);
    return fetched;
  }

  /** Resolves when the view next asks for a node's children (or after `timeoutMs`). */
  nextFetch(node: MigNode | undefined, timeoutMs = 3000): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(node);
        resolve();
      }, timeoutMs);
      this.waiters.set(node, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  getParent(node: MigNode): MigNode | undefined {
    return node.kind === 'env' ? undefined : node.parent;
  }

  getTreeItem(node: MigNode): vscode.TreeItem {
    if (node.kind === 'more') {
      const item = new vscode.TreeItem(`Show ${Math.min(node.remaining, 100)} more…`, vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.description = `${node.remaining} older`;
      item.iconPath = new vscode.ThemeIcon('ellipsis');
      item.command = { command: SHOW_MORE_COMMAND, title: 'Show more', arguments: [node] };
      return item;
    }
    if (node.kind === 'env') {
      const { env } = node;
      const many = env.heads.length > 1;
      const item = new vscode.TreeItem(env.name, vscode.TreeItemCollapsibleState.Expanded);
      item.id = node.id;
      const word = env.tool === 'django' ? (many ? 'leaves' : 'leaf') : many ? 'heads' : 'head';
      item.description = many ? `${env.heads.length} ${word}${env.headsIntentional ? ' (labelled)' : ''} · ${env.revisions} revisions` : `${env.revisions} revisions`;
      item.iconPath = new vscode.ThemeIcon(many && !env.headsIntentional ? 'warning' : 'database', many && !env.headsIntentional ? new vscode.ThemeColor('list.warningForeground') : undefined);
      item.contextValue = env.tool === 'alembic' && many && !env.headsIntentional ? 'environment-multiple-heads' : `environment-${env.tool}`;
      item.tooltip = new vscode.MarkdownString(
        [`**${env.name}** (${env.tool})`, `versions: \`${env.versions.join('`, `')}\``, env.config ? `config: \`${env.config}\`` : '', `heads: ${env.heads.join(', ') || 'none'}`, `bases: ${env.bases.join(', ') || 'none'}`]
          .filter(Boolean)
          .join('  \n'),
      );
      return item;
    }
    return this.revItem(node);
  }

  private revItem(node: RevNode): vscode.TreeItem {
    const { rev, role } = node;
    const expandable = this.model.hasChildren(node);
    const state = !expandable ? vscode.TreeItemCollapsibleState.None : role === 'head' && node.env.heads.length === 1 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(rev.id, state);
    item.id = node.id;
    const merge = rev.down.length > 1;
    const labels = rev.labels.length ? `(${rev.labels.join(', ')})` : '';
    item.description = [role === 'head' ? 'head' : '', merge ? `merge of ${rev.down.join(', ')}` : '', labels, rev.message ?? ''].filter(Boolean).join(' · ');
    item.iconPath = new vscode.ThemeIcon(merge ? 'git-merge' : rev.labels.length ? 'tag' : role === 'head' ? 'arrow-circle-up' : rev.down.length === 0 ? 'debug-start' : role === 'branch' ? 'git-branch' : 'git-commit');
    item.contextValue = merge ? 'revision-merge' : role === 'head' ? 'revision-head' : 'revision';
    item.tooltip = new vscode.MarkdownString(
      [
        `**${rev.id}**${rev.message ? ` — ${rev.message}` : ''}`,
        `\`${rev.file}\`:${rev.line}`,
        rev.down.length ? `down: ${rev.down.join(', ')}` : 'base',
        rev.dependsOn.length ? `depends on: ${rev.dependsOn.join(', ')}` : '',
        rev.carried.length ? `branch labels: ${rev.carried.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('  \n'),
    );
    const folder = vscode.Uri.parse(node.folder);
    const uri = vscode.Uri.joinPath(folder, ...rev.file.split('/'));
    const at = new vscode.Range(rev.line - 1, 0, rev.line - 1, 0);
    item.resourceUri = uri;
    item.command = { command: 'vscode.open', title: 'Open Revision', arguments: [uri, { selection: at, preview: true }] };
    return item;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
