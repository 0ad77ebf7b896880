import * as vscode from 'vscode';

export const EXTENSION_ID = 'codenav.codebase-navigator';
export const DIAGNOSTIC_SOURCE = 'Codebase Navigator';

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  message?: string;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `fn` until it returns a truthy value (errors count as "not yet"), and returns that value. */
export async function waitFor<T>(fn: () => T | Promise<T>, options: WaitOptions = {}): Promise<NonNullable<T>> {
  const { timeoutMs = 20_000, intervalMs = 100, message = 'condition' } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value) {
        return value as NonNullable<T>;
      }
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${message}${cause}`);
    }
    await pause(intervalMs);
  }
}

/** Polls `fn` for `forMs` and fails as soon as it returns a truthy value: for "this must not happen". */
export async function expectNever(fn: () => unknown, options: { forMs?: number; intervalMs?: number; message?: string } = {}): Promise<void> {
  const { forMs = 3_000, intervalMs = 100, message = 'condition' } = options;
  const deadline = Date.now() + forMs;
  while (Date.now() < deadline) {
    if (await fn()) {
      throw new Error(`unexpected: ${message}`);
    }
    await pause(intervalMs);
  }
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    throw new Error('the test host opened no workspace folder');
  }
  return folder.uri;
}

export function workspaceUri(relPath: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...relPath.split('/'));
}

export async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** The diagnostic's code as a plain string (`code` may be a string, a number or `{ value, target }`). */
export function codeOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) {
    return undefined;
  }
  return String(typeof code === 'object' ? code.value : code);
}

/** Diagnostics of Codebase Navigator on a workspace-relative file. */
export function diagnosticsFor(relPath: string): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(workspaceUri(relPath)).filter((d) => d.source === DIAGNOSTIC_SOURCE);
}

export async function openFile(relPath: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(workspaceUri(relPath));
  return vscode.window.showTextDocument(document, { preview: false });
}

export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) {
    throw new Error(`extension ${EXTENSION_ID} is not loaded in the test host`);
  }
  await extension.activate();
  return extension;
}

/** Executes a command, retrying while it is not registered yet (activation still running). */
export async function executeCommandWithRetry<T>(command: string, args: unknown[] = [], options: WaitOptions = {}): Promise<T> {
  await waitFor(async () => (await vscode.commands.getCommands(true)).includes(command), {
    timeoutMs: 20_000,
    ...options,
    message: options.message ?? `command ${command} to be registered`,
  });
  return vscode.commands.executeCommand<T>(command, ...args);
}
