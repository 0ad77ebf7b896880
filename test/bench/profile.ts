import * as fs from 'node:fs';
import * as path from 'node:path';
import { childResult, runNode } from './measure';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

export interface HotSpot {
  name: string;
  where: string;
  selfMs: number;
  percent: number;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  functions: HotSpot[];
  /** Self time grouped by package or source folder. */
  modules: HotSpot[];
}

function shortUrl(url: string, repoRoot: string): string {
  const p = url.replace(/^file:\/\//, '');
  const nm = p.lastIndexOf('node_modules/');
  if (nm >= 0) return p.slice(nm + 'node_modules/'.length);
  return p.startsWith(repoRoot) ? path.relative(repoRoot, p) : p || '(native)';
}

function moduleOf(where: string): string {
  if (where.startsWith('wasm://')) return 'tree-sitter (wasm)';
  if (where.startsWith('node:') || where === '(native)' || !where.includes('/')) return where.startsWith('node:') ? 'node internals' : '(native / GC / program)';
  const parts = where.split('/');
  if (parts[0].startsWith('@')) return parts.slice(0, 2).join('/');
  if (parts[0] === 'out') return parts.slice(0, Math.min(parts.length - 1, 4)).join('/');
  return parts[0];
}

/** Self time per function and per module from a `.cpuprofile`, biggest first. */
export function summarizeProfile(file: string, repoRoot: string, top = 12): ProfileSummary {
  const prof = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  const samples = prof.samples ?? [];
  const deltas = prof.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) self.set(samples[i], (self.get(samples[i]) ?? 0) + (deltas[i] ?? 0) / 1000);
  const totalMs = (prof.endTime - prof.startTime) / 1000;
  const fns = new Map<string, HotSpot>();
  const mods = new Map<string, HotSpot>();
  for (const [id, ms] of self) {
    const n = byId.get(id);
    if (!n) continue;
    const where = shortUrl(n.callFrame.url, repoRoot);
    const name = n.callFrame.functionName || '(anonymous)';
    const key = `${name}@${where}:${n.callFrame.lineNumber}`;
    const f = fns.get(key) ?? { name, where: n.callFrame.url ? `${where}:${n.callFrame.lineNumber + 1}` : where, selfMs: 0, percent: 0 };
    f.selfMs += ms;
    fns.set(key, f);
    const mod = moduleOf(where);
    const m = mods.get(mod) ?? { name: mod, where: '', selfMs: 0, percent: 0 };
    m.selfMs += ms;
    mods.set(mod, m);
  }
  const rank = (xs: Iterable<HotSpot>) =>
    [...xs]
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, top)
      .map((h) => ({ ...h, percent: totalMs ? (100 * h.selfMs) / totalMs : 0 }));
  return { file, totalMs, functions: rank(fns.values()), modules: rank(mods.values()) };
}

/** Runs one worker scenario under `--cpu-prof` and summarises where its time went. */
export async function profileScenario(repoRoot: string, worker: string, payload: unknown, label: string): Promise<ProfileSummary> {
  const dir = path.join(repoRoot, '.bench', 'profiles');
  fs.mkdirSync(dir, { recursive: true });
  // Only the newest profile of each kind is kept.
  for (const old of fs.readdirSync(dir)) if (old.startsWith(`${label}-`) && old.endsWith('.cpuprofile')) fs.rmSync(path.join(dir, old), { force: true });
  const name = `${label}-${Date.now()}.cpuprofile`;
  const run = await runNode([worker, JSON.stringify(payload)], { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-name', name] });
  childResult(run, `profiled ${label}`);
  return summarizeProfile(path.join(dir, name), repoRoot);
}
