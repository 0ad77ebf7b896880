import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { migrationsAnalyzer } from '../../../src/core/migrations';
import { Workspace } from '../../../src/core/workspace/workspace';
import { tempDir, writeTree } from '../../support/tmp';
import { generateProject } from './gen/djangoGen';
import { runOracle } from './oracle';

type Answer = { leaves: Record<string, string[]>; roots: Record<string, string[]>; conflicts: Record<string, string[]> } | { error: string };

describe("migrations: differential test against Django's MigrationLoader", function () {
  this.timeout(300_000);
  const PROJECTS = 60;

  it(`gives Django's leaf and root nodes per app on ${PROJECTS} generated projects`, async () => {
    const t = tempDir('codenav-django-diff-');
    try {
      const projects: { root: string; apps: string[] }[] = [];
      const variety = { squashKept: 0, squashDeleted: 0, merges: 0, conflicts: 0, crossApp: 0, first: 0, runBefore: 0 };
      for (let i = 0; i < PROJECTS; i++) {
        const p = generateProject(5000 + i, `p${i}`);
        const root = path.join(t.dir, `p${i}`);
        writeTree(root, p.files);
        projects.push({ root, apps: p.apps });
        const text = Object.values(p.files).join('\n');
        if (text.includes('replaces')) {
          const names = Object.keys(p.files).map((f) => path.basename(f, '.py'));
          if (names.some((n) => /^0001_(?!squashed)/.test(n) && names.some((x) => x.includes('_squashed_')))) variety.squashKept++;
          else variety.squashDeleted++;
        }
        if (/dependencies = \[\n(\s+\('?"?p\d+_app\d'?"?, '?"?\d{4}\w*'?"?\),\n){2,}/.test(text)) variety.merges++;
        if (text.includes('__first__')) variety.first++;
        if (text.includes('run_before')) variety.runBefore++;
        for (const [file, content] of Object.entries(p.files)) {
          const app = file.split('/')[0];
          if (new RegExp(`['"]p\\d+_app\\d['"]`).test(content) && [...content.matchAll(/['"](p\d+_app\d)['"]/g)].some((m) => m[1] !== app)) variety.crossApp++;
        }
      }
      const oracle = runOracle<Answer>('django_leaves.py', { paths: projects.map((p) => p.root), apps: projects.flatMap((p) => p.apps) });
      if ('error' in oracle) assert.fail(`Django could not load the generated projects: ${oracle.error}`);
      variety.conflicts = Object.keys(oracle.conflicts).length;
      const mismatches: unknown[] = [];
      let compared = 0;
      for (const p of projects) {
        const ws = await Workspace.open(p.root, { noGit: true });
        const result = await migrationsAnalyzer.run(ws);
        const unexpected = result.findings.filter((f) => f.severity === 'error' && f.rule !== 'migration/multiple-heads');
        if (unexpected.length) mismatches.push({ root: p.root, unexpected: unexpected.map((f) => `${f.file} ${f.rule} ${f.message}`) });
        for (const app of p.apps) {
          const env = result.data.environments.find((e) => e.tool === 'django' && e.name === app);
          const got = env && { leaves: [...env.heads].sort(), roots: [...env.bases].sort() };
          const want = { leaves: oracle.leaves[app] ?? [], roots: oracle.roots[app] ?? [] };
          compared++;
          if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push({ app, want, got });
          const conflict = result.findings.filter((f) => f.rule === 'migration/multiple-heads' && f.file.startsWith(`${app}/`)).length;
          if (conflict !== (oracle.conflicts[app]?.length ?? 0)) mismatches.push({ app, conflictFindings: conflict, djangoConflicts: oracle.conflicts[app] ?? [] });
        }
      }
      assert.deepEqual(mismatches, []);
      assert.ok(compared >= 50, `compared ${compared} apps`);
      for (const [k, v] of Object.entries(variety)) assert.ok(v > 0, `the generator produced no project with ${k}: ${JSON.stringify(variety)}`);
    } finally {
      t.cleanup();
    }
  });
});
