import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AnalyzeOptions } from '../../../src/core/analyzer';
import type { Finding } from '../../../src/core/findings';
import { navigationAnalyzer, type NavigationData } from '../../../src/core/navigation';
import { Workspace } from '../../../src/core/workspace/workspace';

/** The repository root (tests run from out/test/unit/navigation). */
export const REPO = path.resolve(__dirname, '..', '..', '..', '..');
export const FIXTURES = path.join(REPO, 'test', 'fixtures', 'navigation');
export const SAMPLE = path.join(REPO, 'test', 'fixtures', 'sample');
export const SAMPLE_FAULTY = path.join(REPO, 'test', 'fixtures', 'sample-faulty');

const made: string[] = [];

/** A throw-away workspace with the given files (paths relative to its root). */
export function tempWorkspace(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'codenav-nav-'));
  made.push(root);
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(root, ...rel.split('/'));
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  }
  return root;
}

export function removeTempWorkspaces(): void {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

export interface Analysed {
  ws: Workspace;
  data: NavigationData;
  findings: Finding[];
}

export async function analyse(root: string, options: AnalyzeOptions = {}): Promise<Analysed> {
  const ws = await Workspace.open(root, { noGit: true });
  const r = await navigationAnalyzer.run(ws, options);
  return { ws, data: r.data, findings: r.findings };
}

export function routeList(data: NavigationData, app?: string): string[] {
  return data.routes.filter((r) => app === undefined || r.app === app).map((r) => `${r.method} ${r.path}`);
}
