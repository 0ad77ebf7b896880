import type { Analyzer } from '../analyzer';
import type { Finding } from '../findings';
import type { Workspace } from '../workspace/workspace';

export interface TypegenData {
  /** The resolved plan, when type generation is configured or detected. */
  configured: boolean;
}

/** `check` includes only the static part of typegen (config problems); it never runs a process. */
export const typegenAnalyzer: Analyzer<TypegenData> = {
  id: 'typegen',
  title: 'Type generation',
  async run() {
    return { findings: [], data: { configured: false } };
  },
};

export interface TypegenCliResult {
  findings: Finding[];
  /** Lines for people, printed by the CLI in text mode. */
  log: string[];
  ok: boolean;
}

/** `codenav typegen [--check]`: runs the generator once. */
export async function runTypegenOnce(_ws: Workspace, _options: { check: boolean; signal?: AbortSignal }): Promise<TypegenCliResult> {
  return { findings: [], log: ['type generation is not yet available'], ok: true };
}
