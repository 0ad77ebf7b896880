import type * as vscode from 'vscode';
import type { Config } from './config';
import type { DiagnosticsAdapter } from './diagnostics';
import type { AnalysisHost } from './host';

/** What every feature's `register…` function receives. */
export interface FeatureContext {
  extension: vscode.ExtensionContext;
  host: AnalysisHost;
  config: Config;
  diagnostics: DiagnosticsAdapter;
}

/** A feature registers its views, commands and providers and returns every disposable it made. */
export type Feature = (ctx: FeatureContext) => vscode.Disposable[];
