import vscode = require('vscode');
import type { TypegenData } from '../../core/typegen';
import type { Feature } from '../feature';
import { TypegenController, type RunCommandResult } from './controller';
import type { StatusSnapshot } from './status';

/** The folder a command acts on: the argument (Uri, folder or name), else the active editor's, else the first with a plan. */
function pickFolder(arg: unknown, configured: (f: vscode.WorkspaceFolder) => boolean): vscode.WorkspaceFolder | undefined {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (arg instanceof vscode.Uri) return vscode.workspace.getWorkspaceFolder(arg);
  if (typeof arg === 'string') return folders.find((f) => f.name === arg || f.uri.toString() === arg || f.uri.fsPath === arg);
  if (arg && typeof arg === 'object' && 'uri' in arg) return vscode.workspace.getWorkspaceFolder((arg as vscode.WorkspaceFolder).uri);
  const active = vscode.window.activeTextEditor?.document.uri;
  const fromEditor = active && vscode.workspace.getWorkspaceFolder(active);
  if (fromEditor && configured(fromEditor)) return fromEditor;
  return folders.find(configured) ?? fromEditor ?? folders[0];
}

export const registerTypegen: Feature = (ctx) => {
  const controller = new TypegenController(ctx);
  const isConfigured = (f: vscode.WorkspaceFolder) => controller.isConfigured(f);

  return [
    controller,
    ctx.host.onDidAnalyze(({ folder, state }) => {
      const data = state.results.typegen?.data as TypegenData | undefined;
      if (data) controller.setConfigured(folder, data.configured);
    }),
    vscode.workspace.onDidSaveTextDocument((doc) => {
      controller.saved(doc).catch((err) => ctx.host.log.error(`type generation on save failed: ${(err as Error).stack ?? err}`));
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      controller.status.hide();
      controller.refreshStatus();
    }),
    ctx.config.onDidChange((e) => {
      if (e.changed.includes('typegenOnSave')) controller.refreshStatus();
    }),
    vscode.commands.registerCommand('codenav.typegen.run', async (arg?: unknown): Promise<RunCommandResult> => {
      const result = await controller.runNow(pickFolder(arg, isConfigured));
      if (!result.ran && result.reason === 'not-configured')
        void vscode.window.showInformationMessage('Type generation is not set up here: add `typegen:` to the project config, or a "generate:types" script to a package.json.', 'Open Config File').then((a) => a && vscode.commands.executeCommand('codenav.openConfig'));
      if (!result.ran && result.reason === 'untrusted')
        void vscode.window.showWarningMessage('Type generation runs the project\'s own tools, so it never runs in an untrusted workspace.', 'Manage Workspace Trust').then((a) => a && vscode.commands.executeCommand('workbench.trust.manage'));
      return result;
    }),
    vscode.commands.registerCommand('codenav.typegen.showLog', () => controller.channel.show(true)),
    vscode.commands.registerCommand('codenav.typegen.toggleOnSave', async (): Promise<boolean> => {
      const next = !ctx.config.settings.typegenOnSave;
      await ctx.config.update('typegenOnSave', next);
      void vscode.window.showInformationMessage(`Type generation on save is ${next ? 'on' : 'off'}.`);
      return next;
    }),
    vscode.commands.registerCommand('codenav.typegen.cancel', (): boolean => controller.scheduler.cancel()),
    vscode.commands.registerCommand('codenav.typegen.status', (): StatusSnapshot => controller.status.snapshot),
  ];
};
