import path = require('node:path');
import vscode = require('vscode');
import { planMergeFor, type MigrationsData } from '../../core/migrations';
import type { EnvironmentSummary } from '../../core/migrations/summary';
import { toUri } from '../convert';
import type { Feature } from '../feature';
import type { AnalysisHost, FolderState } from '../host';
import type { MigNode, MoreNode, RevNode } from './model';
import { MigrationsTree, SHOW_MORE_COMMAND, VIEW_ID } from './tree';

const CONTEXT_MULTIPLE_HEADS = 'codenav.migrations.hasMultipleHeads';

interface Target {
  state: FolderState;
  env: EnvironmentSummary;
}

function environmentsOf(state: FolderState): EnvironmentSummary[] {
  return (state.results.migrations?.data as MigrationsData | undefined)?.environments ?? [];
}

function needsMerge(env: EnvironmentSummary): boolean {
  return env.tool === 'alembic' && env.heads.length > 1 && !env.headsIntentional;
}

/** The environment a merge command is about: a tree node, an environment root, or a pick among those with several heads. */
async function resolveTarget(host: AnalysisHost, arg: unknown): Promise<Target | undefined> {
  const states = await Promise.all(host.folders().filter((f) => f.uri.scheme === 'file').map((f) => host.ensure(f)));
  const all = states.flatMap((state) => environmentsOf(state).filter((e) => e.tool === 'alembic').map((env) => ({ state, env })));
  if (arg && typeof arg === 'object' && (arg as MigNode).kind === 'env') {
    const node = arg as Extract<MigNode, { kind: 'env' }>;
    return all.find((t) => t.state.folder.uri.toString() === node.folder && t.env.root === node.env.root);
  }
  if (typeof arg === 'string') return all.find((t) => t.env.root === arg || t.env.name === arg);
  const candidates = all.filter((t) => needsMerge(t.env));
  if (candidates.length <= 1) return candidates[0];
  const pick = await vscode.window.showQuickPick(
    candidates.map((t) => ({ label: t.env.name, description: `${t.env.heads.length} heads: ${t.env.heads.join(', ')}`, detail: t.state.folder.name, t })),
    { placeHolder: 'Which migration environment should get a merge migration?' },
  );
  return pick?.t;
}

/**
 * Creates the merge migration of an environment with several heads. Asks
 * first (modal), never overwrites, writes through an undoable WorkspaceEdit,
 * and returns the new file's path. `options.skipConfirm` is for automation
 * (tests, scripts); the quick fix and the view never pass it.
 */
async function createMerge(host: AnalysisHost, arg?: unknown, options?: { skipConfirm?: boolean }): Promise<string | undefined> {
  const target = await resolveTarget(host, arg);
  if (!target) {
    void vscode.window.showInformationMessage('No Alembic environment with several heads to merge.');
    return undefined;
  }
  const { state, env } = target;
  const plan = planMergeFor(state.ws, env.root);
  if (plan instanceof Error) {
    void vscode.window.showErrorMessage(`Cannot create a merge migration: ${plan.message}`);
    return undefined;
  }
  if (!options?.skipConfirm) {
    const answer = await vscode.window.showWarningMessage(
      `Create the merge migration ${path.posix.basename(plan.file)}?`,
      { modal: true, detail: `It merges the ${plan.heads.length} heads of ${env.name} (${plan.heads.join(', ')}) into revision ${plan.revision}, in ${path.posix.dirname(plan.file)}, from the ${plan.template === 'built-in' ? 'built-in template' : plan.template}.` },
      'Create',
    );
    if (answer !== 'Create') return undefined;
  }
  const uri = toUri(state.folder, plan.file);
  const edit = new vscode.WorkspaceEdit();
  edit.createFile(uri, { overwrite: false, ignoreIfExists: false, contents: Buffer.from(plan.content, 'utf8') });
  if (!(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showErrorMessage(`Could not create ${plan.file} (does it exist already?)`);
    return undefined;
  }
  await state.ws.update(plan.file);
  host.schedule(state.folder, ['migrations'], false, 0);
  await vscode.window.showTextDocument(uri, { preview: true, preserveFocus: !!options?.skipConfirm });
  return uri.fsPath;
}

export const registerMigrations: Feature = ({ host }) => {
  const tree = new MigrationsTree();
  const view = vscode.window.createTreeView<MigNode>(VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  const shown = new Map<string, EnvironmentSummary[]>();

  /** Shows a folder's latest environments; false when they are the ones shown already. */
  const update = (state: FolderState, refresh = true): boolean => {
    const key = state.folder.uri.toString();
    const envs = environmentsOf(state);
    const before = shown.get(key) ?? [];
    if (envs.length === before.length && envs.every((e, i) => e === before[i])) return false;
    shown.set(key, envs);
    tree.model.setEnvironments(key, envs);
    const against = (state.results.migrations?.data as MigrationsData | undefined)?.against;
    view.message = against?.error ? `Not compared with ${against.ref}: ${against.error}` : undefined;
    void vscode.commands.executeCommand('setContext', CONTEXT_MULTIPLE_HEADS, tree.model.environments().some((e) => needsMerge(e.env)));
    if (refresh) tree.refresh();
    return true;
  };

  return [
    tree,
    view,
    host.onDidAnalyze((e) => {
      if (e.ran.includes('migrations')) update(e.state);
    }),
    vscode.commands.registerCommand('codenav.migrations.createMerge', (arg?: unknown, options?: { skipConfirm?: boolean }) => createMerge(host, arg, options)),
    vscode.commands.registerCommand(SHOW_MORE_COMMAND, (more: MoreNode) => tree.refresh(tree.model.showMore(more))),
    vscode.commands.registerCommand('codenav.migrations.reveal', async (uri?: vscode.Uri) => {
      const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
      const folder = target && vscode.workspace.getWorkspaceFolder(target);
      if (!target || !folder) {
        void vscode.window.showInformationMessage('Open a migration file to reveal it in the Migrations view.');
        return undefined;
      }
      const state = await host.ensure(folder);
      // A visible view must show the new nodes before it can reveal one; a hidden one fetches them on reveal.
      const refresh = (node: MigNode | undefined) => (view.visible ? tree.refreshAndWait(node) : Promise.resolve(tree.refresh(node)));
      if (update(state, false)) await refresh(undefined);
      const rel = state.ws.rel(target.fsPath);
      const opened: RevNode[] = [];
      const lineage = tree.model.pathTo(folder.uri.toString(), rel, opened);
      if (!lineage) {
        void vscode.window.showInformationMessage(`${rel} is not a revision of any migration environment.`);
        return undefined;
      }
      for (const node of opened) await refresh(node);
      if (!view.visible) {
        // Open the view first and let it load its roots, so reveal does not race the first fetch.
        const loaded = tree.nextFetch(undefined);
        await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
        await loaded;
      }
      await view.reveal(lineage[lineage.length - 1], { select: true, focus: true, expand: false });
      return [lineage[0].env.name, ...lineage.map((n) => n.rev.id)];
    }),
  ];
};
