import vscode = require('vscode');
import { NEEDS_REANALYSIS, SETTING_KEYS, type Settings } from './settingKeys';

export type { Settings } from './settingKeys';

export function readSettings(scope?: vscode.ConfigurationScope): Settings {
  const c = vscode.workspace.getConfiguration('codenav', scope);
  const out = {} as Record<keyof Settings, unknown>;
  for (const [field, key] of Object.entries(SETTING_KEYS) as [keyof Settings, string][]) out[field] = c.get(key);
  return out as unknown as Settings;
}

/**
 * The one place settings are read. Listeners receive the fields that changed,
 * and whether the analysis must run again.
 */
export class Config implements vscode.Disposable {
  private current: Settings = readSettings();
  private readonly emitter = new vscode.EventEmitter<{ changed: (keyof Settings)[]; reanalyze: boolean }>();
  readonly onDidChange = this.emitter.event;
  private readonly listener: vscode.Disposable;

  constructor() {
    this.listener = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('codenav')) return;
      const changed = (Object.keys(SETTING_KEYS) as (keyof Settings)[]).filter((k) => e.affectsConfiguration(`codenav.${SETTING_KEYS[k]}`));
      this.current = readSettings();
      if (changed.length) this.emitter.fire({ changed, reanalyze: changed.some((k) => NEEDS_REANALYSIS.includes(k)) });
    });
  }

  get settings(): Settings {
    return this.current;
  }

  /** Settings for one folder (resource-scoped values may differ per folder). */
  for(folder: vscode.WorkspaceFolder): Settings {
    return readSettings(folder.uri);
  }

  async update<K extends keyof Settings>(field: K, value: Settings[K], target = vscode.ConfigurationTarget.Workspace): Promise<void> {
    await vscode.workspace.getConfiguration('codenav').update(SETTING_KEYS[field], value, target);
  }

  dispose(): void {
    this.listener.dispose();
    this.emitter.dispose();
  }
}
