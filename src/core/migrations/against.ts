import { contentHash } from '../workspace/factCache';
import type { Finding } from '../findings';
import { FILE_START } from '../findings';
import { extractPython } from '../parsing/python';
import type { Workspace } from '../workspace/workspace';
import type { AlembicEnvResult } from './alembic/analyze';
import { isInDir } from './alembic/envSpec';
import { buildGraph, divergence } from './alembic/graph';
import { toRevision, type Revision } from './alembic/revision';
import { readRevisionSource } from './alembic/revisionFile';
import { listFiles, readFiles, resolveCommit } from './git';
import { outlineFromFacts } from './pyreader/outline';
import type { OutlineCache } from './pyreader/outlines';

interface AgainstState {
  outlines: OutlineCache;
  /** Revisions of a commit's version folders, by `commit\0folders`. */
  baseCache?: Map<string, Revision[]>;
}

/**
 * `--against REF`: reads the version folders at REF through git (no
 * checkout), joins them with the work tree's revisions, and reports the
 * heads a merge would leave: two branches that each added a revision on the
 * same parent.
 */
export async function againstBase(
  ws: Workspace,
  ref: string,
  envs: readonly AlembicEnvResult[],
  state: AgainstState,
): Promise<{ findings: Finding[]; info: { ref: string; commit?: string; error?: string } }> {
  const commit = await resolveCommit(ws.root, ref);
  if (commit instanceof Error) {
    const anchor = envs[0] && (envs[0].spec.configFile ?? envs[0].revisions[0]?.file);
    const findings: Finding[] = anchor
      ? [{ rule: 'migration/against-unavailable', severity: 'error', file: anchor, range: FILE_START, message: `cannot compare migrations with ${ref}: ${commit.message} (in CI, fetch the base branch, for example actions/checkout with fetch-depth: 0)` }]
      : [];
    return { findings, info: { ref, error: commit.message } };
  }
  const findings: Finding[] = [];
  for (const env of envs) {
    const base = await baseRevisions(ws, commit, env, state);
    findings.push(...compare(env, base, ref));
  }
  return { findings, info: { ref, commit } };
}

async function baseRevisions(ws: Workspace, commit: string, env: AlembicEnvResult, state: AgainstState): Promise<Revision[]> {
  const key = `${commit}\0${env.spec.versions.join('\0')}`;
  state.baseCache ??= new Map();
  const hit = state.baseCache.get(key);
  if (hit) return hit;
  const files = (await listFiles(ws.root, commit, env.spec.versions).catch(() => [] as string[])).filter((f) => {
    const base = f.slice(f.lastIndexOf('/') + 1);
    return f.endsWith('.py') && !base.startsWith('__init__') && !base.startsWith('.#') && env.spec.versions.some((v) => isInDir(f, v, env.spec.recursive));
  });
  const texts = await readFiles(ws.root, commit, files);
  const out: Revision[] = [];
  for (const [file, text] of texts) {
    const outline = await state.outlines.fromText(contentHash(text), text, async (t) => outlineFromFacts(await extractPython(t), t)).catch(() => undefined);
    if (!outline) continue;
    const rev = toRevision(readRevisionSource(file, outline), undefined, []);
    if (rev) out.push(rev);
  }
  out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  state.baseCache.set(key, out);
  if (state.baseCache.size > 32) state.baseCache.delete(state.baseCache.keys().next().value!);
  return out;
}

function compare(env: AlembicEnvResult, base: readonly Revision[], ref: string): Finding[] {
  const ours = env.revisions;
  const ourIds = new Set(ours.map((r) => r.id));
  const baseIds = new Set(base.map((r) => r.id));
  const union = [...ours, ...base.filter((r) => !ourIds.has(r.id))];
  const g = buildGraph(union);
  if (g.heads.length <= env.graph.heads.length) return [];
  const newHere = g.heads.filter((h) => !baseIds.has(h));
  const newThere = g.heads.filter((h) => !ourIds.has(h));
  if (!newHere.length || !newThere.length) return [];
  const out: Finding[] = [];
  for (const h of newHere) {
    const rev = g.byId.get(h)!;
    const split = divergence(g, [h, ...newThere]);
    const theirs = newThere.map((t) => `${t} (${ref}: ${g.byId.get(t)!.file})`).join(', ');
    const single = newThere.length === 1 && rev.down.items.length === 1 ? rev.down.items[0] : undefined;
    out.push({
      rule: 'migration/new-head-against-base',
      severity: 'error',
      file: rev.file,
      range: rev.down.range ?? rev.idRange,
      message: `merging this branch into ${ref} would leave ${g.heads.length} heads in ${env.spec.versions[0]}: ${h} (this branch) and ${theirs}${split.length ? `; both build on ${split.join(', ')}` : ''}`,
      related: newThere.map((t) => ({ file: g.byId.get(t)!.file, range: g.byId.get(t)!.idRange, message: `head ${t} on ${ref} (this path may not exist in the work tree)` })),
      fixes: single
        ? [{ title: `Re-parent ${h} onto ${newThere[0]} (the head on ${ref})`, edits: [{ file: rev.file, range: single.range, newText: JSON.stringify(newThere[0]) }] }]
        : undefined,
    });
  }
  return out;
}
