import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { migrationsAnalyzer } from '../../../src/core/migrations';
import { Workspace } from '../../../src/core/workspace/workspace';
import { tempDir, writeTree } from '../../support/tmp';
import { generateHistory } from './gen/alembicGen';
import { runOracle } from './oracle';

type Answer = { heads: string[]; bases: string[] } | { error: string };

describe('migrations: differential test against the real Alembic', function () {
  this.timeout(300_000);
  const HISTORIES = 220;

  it(`gives Alembic's own get_heads() and get_bases() on ${HISTORIES} generated histories`, async () => {
    const t = tempDir('codenav-alembic-diff-');
    try {
      const cases: { root: string; ini: string; envRoot: string }[] = [];
      const variety = { merges3: 0, labels: 0, depends: 0, annotated: 0, multiline: 0, fallback: 0, multiBase: 0, split: 0, sharedBase: 0, nonHex: 0, mismatchedName: 0 };
      for (let i = 0; i < HISTORIES; i++) {
        const h = generateHistory(1000 + i);
        const root = path.join(t.dir, `h${i}`);
        writeTree(root, h.files);
        for (const e of h.envs) cases.push({ root, ini: path.join(root, e.ini), envRoot: e.root });
        const text = Object.values(h.files).join('\n');
        if (/down_revision[^=\n]*= \(\n(?:[^)]*,\n){3}\)/.test(text)) variety.merges3++;
        if (/branch_labels[^=\n]*= \(?['"]/.test(text)) variety.labels++;
        if (/depends_on[^=\n]*= [([]?\s*['"]/.test(text)) variety.depends++;
        if (/down_revision: /.test(text)) variety.annotated++;
        if (/down_revision[^=\n]*= [([]\n/.test(text)) variety.multiline++;
        if (text.includes('if TYPE_CHECKING:')) variety.fallback++;
        if (h.envs.length > 1) variety.sharedBase++;
        if (text.includes('version_locations')) variety.split++;
        if (/revision[^=\n]*= ['"](kilo|lima|mike|oscar|papa|quebec|romeo|sierra|tango|victor|whiskey|yankee|zulu|\d{3}['"])/.test(text)) variety.nonHex++;
        if ((text.match(/^down_revision[^=\n]*= (None|\(\)|\[\]|''|"")$/gm) ?? []).length > 1) variety.multiBase++;
        for (const [file, content] of Object.entries(h.files)) {
          const id = /^revision[^=\n]*= (?:REV = )?['"]([^'"]+)['"]/m.exec(content)?.[1];
          if (id && file.endsWith('.py') && !path.basename(file).startsWith(id)) variety.mismatchedName++;
        }
      }
      const oracle = runOracle<Record<string, Answer>>('alembic_heads.py', cases.map((c) => c.ini));
      const mismatches: unknown[] = [];
      let compared = 0;
      const byRoot = new Map<string, typeof cases>();
      for (const c of cases) byRoot.set(c.root, [...(byRoot.get(c.root) ?? []), c]);
      for (const [root, envCases] of byRoot) {
        const ws = await Workspace.open(root, { noGit: true });
        const result = await migrationsAnalyzer.run(ws);
        const unexpected = result.findings.filter((f) => f.severity === 'error' && f.rule !== 'migration/multiple-heads');
        if (unexpected.length) mismatches.push({ root, unexpected: unexpected.map((f) => `${f.file}:${f.range.start.line + 1} ${f.rule} ${f.message}`) });
        for (const c of envCases) {
          const want = oracle[c.ini];
          const env = result.data.environments.find((e) => e.root === c.envRoot);
          if (!want || 'error' in want) {
            mismatches.push({ ini: c.ini, oracleError: want && 'error' in want ? want.error : 'no answer' });
            continue;
          }
          const got = env && { heads: [...env.heads].sort(), bases: [...env.bases].sort() };
          compared++;
          if (!got || JSON.stringify(got) !== JSON.stringify({ heads: want.heads, bases: want.bases })) mismatches.push({ ini: c.ini, want, got });
        }
      }
      assert.deepEqual(mismatches, []);
      assert.ok(compared >= 200, `compared ${compared} environments`);
      for (const [k, v] of Object.entries(variety)) assert.ok(v > 0, `the generator produced no history with ${k}: ${JSON.stringify(variety)}`);
    } finally {
      t.cleanup();
    }
  });
});
