/** Every setting of the extension, typed. No `vscode` import, so plain tests can check it against package.json. */
export interface Settings {
  enable: boolean;
  configFile: string;
  servicesGroupBy: 'package' | 'routePrefix';
  servicesRevealActiveFile: boolean;
  deprecationsSeverity: 'auto' | 'error' | 'warning' | 'information' | 'hint';
  migrationsAgainst: string;
  cacheCodeLens: boolean;
  typegenOnSave: boolean;
  typegenPython: string;
}

/** Setting key (after `codenav.`) for each field. Must match package.json `contributes.configuration`. */
export const SETTING_KEYS: Record<keyof Settings, string> = {
  enable: 'enable',
  configFile: 'configFile',
  servicesGroupBy: 'services.groupBy',
  servicesRevealActiveFile: 'services.revealActiveFile',
  deprecationsSeverity: 'deprecations.severity',
  migrationsAgainst: 'migrations.against',
  cacheCodeLens: 'cache.codeLens',
  typegenOnSave: 'typegen.onSave',
  typegenPython: 'typegen.python',
};

/** Fields whose change needs a new analysis pass (the others only redraw). */
export const NEEDS_REANALYSIS: (keyof Settings)[] = ['enable', 'configFile', 'migrationsAgainst'];
