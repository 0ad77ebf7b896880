import vscode = require('vscode');

export type TypegenState = 'hidden' | 'untrusted' | 'idle' | 'pending' | 'running' | 'success' | 'failed' | 'cancelled';

export interface StatusSnapshot {
  state: TypegenState;
  text: string;
  tooltip: string;
}

export const SHOW_LOG = 'codenav.typegen.showLog';
const MANAGE_TRUST = 'workbench.trust.manage';

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The status bar item of type generation: what it is doing, or why it is off. */
export class TypegenStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('codenav.typegen', vscode.StatusBarAlignment.Left, 20);
  private current: StatusSnapshot = { state: 'hidden', text: '', tooltip: '' };

  constructor() {
    this.item.name = 'Codebase Navigator: Type Generation';
  }

  get snapshot(): StatusSnapshot {
    return { ...this.current };
  }

  hide(): void {
    this.set('hidden', '', '');
  }

  untrusted(): void {
    this.set(
      'untrusted',
      '$(shield) types off',
      'Type generation never runs in an untrusted workspace: it would execute the project\'s generator and Python code. Click to manage workspace trust.',
      MANAGE_TRUST,
    );
  }

  idle(onSave: boolean): void {
    this.set('idle', '$(symbol-interface) types', `Type generation ${onSave ? 'runs when a schema file is saved' : 'on save is off'}. Click to show the log.`);
  }

  pending(files: string[]): void {
    this.set('pending', '$(watch) types', `Type generation will run after ${files.join(', ')}. Click to show the log.`);
  }

  running(folder: string): void {
    this.set('running', '$(sync~spin) types', `Generating API types for ${folder}… Click to show the log.`);
  }

  finished(r: { ok: boolean; cancelled: boolean; timedOut: boolean; durationMs: number; failures: number; breaks: number }, folder: string): void {
    if (r.cancelled) return this.set('cancelled', 'types ⊘', `Type generation for ${folder} was cancelled. Click to show the log.`);
    if (!r.ok) {
      const why = r.timedOut ? 'timed out' : `failed (${r.failures} problem${r.failures === 1 ? '' : 's'})`;
      return this.set('failed', 'types ✗', `Type generation for ${folder} ${why}. Click to show the log.`, SHOW_LOG, 'statusBarItem.errorBackground');
    }
    const text = `types ✓ ${seconds(r.durationMs)}`;
    if (r.breaks)
      return this.set('success', text, `Types regenerated for ${folder}; ${r.breaks} use${r.breaks === 1 ? '' : 's'} of changed API types break (see Problems). Click to show the log.`, SHOW_LOG, 'statusBarItem.warningBackground');
    this.set('success', text, `Types regenerated for ${folder} in ${seconds(r.durationMs)}. Click to show the log.`);
  }

  private set(state: TypegenState, text: string, tooltip: string, command = SHOW_LOG, background?: string): void {
    this.current = { state, text, tooltip };
    if (state === 'hidden') return this.item.hide();
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.command = command;
    this.item.backgroundColor = background ? new vscode.ThemeColor(background) : undefined;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
