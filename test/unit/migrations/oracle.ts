import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, tempDir } from '../../support/tmp';

/** Debian's interpreter, where python3-alembic and python3-django are installed. */
export const PYTHON = '/usr/bin/python3';

/** Runs one oracle script over a whole batch (one process) and returns its JSON answer. */
export function runOracle<T>(script: 'alembic_heads.py' | 'django_leaves.py', manifest: unknown): T {
  const t = tempDir('codenav-oracle-');
  try {
    const file = path.join(t.dir, 'manifest.json');
    fs.writeFileSync(file, JSON.stringify(manifest));
    const out = execFileSync(PYTHON, [path.join(repoRoot(), 'test', 'oracles', script), file], {
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONWARNINGS: 'ignore' },
      maxBuffer: 256 * 1024 * 1024,
      timeout: 600_000,
    });
    return JSON.parse(out.toString('utf8')) as T;
  } finally {
    t.cleanup();
  }
}
