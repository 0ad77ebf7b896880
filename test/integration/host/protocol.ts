/** What the launcher and the in-host test runner exchange, through a JSON file named by an env var. */

export const CONFIG_ENV = 'CODENAV_IT_CONFIG';

export interface InHostConfig {
  /** Name of the run, for the log. */
  run: string;
  /** Glob of compiled suites, absolute or relative to out/test/integration/. */
  suites: string;
  /** Only tests whose full title matches this regular expression. */
  grep?: string;
  /** Written by the runner when Mocha finishes (InHostResults). */
  resultsFile: string;
  /** The runner appends its report here as well as to the console. */
  logFile?: string;
  /** Asks the runner to arrange the workbench for a screenshot, then wait for the launcher. */
  screenshot?: {
    /** Opens the file of the first diagnostic from this source before the commands run. */
    revealDiagnosticsFrom?: string;
    commands: string[];
    readyFile: string;
    doneFile: string;
  };
}

export interface InHostResults {
  /** False while Mocha is still running (the file is rewritten after each test). */
  complete: boolean;
  passed: number;
  failed: number;
  pending: number;
  durationMs: number;
  failures: { title: string; error: string }[];
}
