// `npm run demo`: the CLI report of the bundled sample workspace that has faults on purpose.
// `codenav check` exits 1 when it finds errors; here that is the expected outcome, so the demo
// exits 0 then, and passes any other exit code (2: usage/config error, a crash) through.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const target = process.argv[2] ?? path.join('test', 'fixtures', 'sample-faulty');
const args = [path.join(root, 'dist', 'cli.js'), 'check', target, ...process.argv.slice(3)];
console.log(`$ codenav check ${target}\n`);
const r = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: root });
if (r.status === 1) {
  console.log('\n(exit code 1: the sample has error findings on purpose; CI would fail here)');
  process.exit(0);
}
process.exit(r.status ?? 2);
