import { childProcess } from '../vendor';

/** Runs git without a shell; resolves stdout or rejects with git's message. */
export function git(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    childProcess().execFile('git', args, { cwd, maxBuffer: 256 * 1024 * 1024, timeout: 60_000, windowsHide: true }, (err, stdout, stderr) => {
      if (err) reject(new Error((stderr || err.message).trim().split('\n')[0]));
      else resolve(stdout);
    });
  });
}

/** The commit a ref names, or an Error saying why not. */
export async function resolveCommit(cwd: string, ref: string): Promise<string | Error> {
  if (ref.startsWith('-')) return new Error(`"${ref}" is not a git ref`);
  try {
    return (await git(cwd, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])).trim();
  } catch (err) {
    const inRepo = await git(cwd, ['rev-parse', '--is-inside-work-tree']).then(
      () => true,
      () => false,
    );
    return new Error(inRepo ? `unknown git ref "${ref}"` : `not a git work tree (${(err as Error).message || 'git rev-parse failed'})`);
  }
}

/** Files of a commit below some folders, relative to `cwd` (which may be a subfolder of the repository). */
export async function listFiles(cwd: string, commit: string, dirs: readonly string[]): Promise<string[]> {
  if (!dirs.length) return [];
  const out = await git(cwd, ['-c', 'core.quotepath=off', 'ls-tree', '-r', '--name-only', '-z', commit, '--', ...dirs]);
  return out.split('\0').filter(Boolean);
}

/** Contents of files at a commit, read in one `git cat-file --batch` (no checkout, no change to the work tree). */
export function readFiles(cwd: string, commit: string, files: readonly string[]): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    const out = new Map<string, string>();
    if (!files.length) return resolve(out);
    const child = childProcess().spawn('git', ['cat-file', '--batch'], { cwd, windowsHide: true });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`git cat-file exited with ${code}`));
      const buf = Buffer.concat(chunks);
      let pos = 0;
      for (const file of files) {
        const nl = buf.indexOf(10, pos);
        if (nl < 0) break;
        const header = buf.subarray(pos, nl).toString('utf8');
        pos = nl + 1;
        const m = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
        if (!m) continue;
        const size = Number(m[2]);
        if (m[1] === 'blob') out.set(file, buf.subarray(pos, pos + size).toString('utf8'));
        pos += size + 1;
      }
      resolve(out);
    });
    child.stdin.end(files.map((f) => `${commit}:./${f}`).join('\n') + '\n');
  });
}
