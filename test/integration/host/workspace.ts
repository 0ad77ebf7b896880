import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) {
      return dir;
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`no package.json above ${start}`);
    }
  }
}

/** The extension's repository root (the nearest folder above this file with a package.json). */
export const repoRoot = findRepoRoot(__dirname);

export function makeTempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

export interface FixtureCopyOptions {
  /** `git init` and commit everything, so features that read git history see a clean repository. */
  git?: boolean;
}

/** Copies a fixture folder into `parentDir` (keeping its name) and returns the copy's path. */
export function copyFixture(fixture: string, parentDir: string, options: FixtureCopyOptions = {}): string {
  const source = path.resolve(repoRoot, fixture);
  if (!fs.existsSync(source)) {
    throw new Error(`fixture not found: ${source}`);
  }
  const target = path.join(parentDir, path.basename(source));
  fs.cpSync(source, target, { recursive: true, verbatimSymlinks: true });
  if (options.git) {
    gitInitialCommit(target);
  }
  linkDependencies(target);
  return target;
}

/**
 * Gives each package.json folder of the copy a `node_modules` link to the repository's, so the
 * project's own tools (openapi-typescript) resolve the way they do in a checkout where `npm ci` ran.
 */
function linkDependencies(root: string): void {
  const visit = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.')) visit(path.join(dir, entry.name));
    }
    const modules = path.join(dir, 'node_modules');
    if (fs.existsSync(path.join(dir, 'package.json')) && !fs.existsSync(modules)) {
      fs.symlinkSync(path.join(repoRoot, 'node_modules'), modules, 'dir');
    }
  };
  visit(root);
}

export function gitInitialCommit(dir: string): void {
  const git = (...args: string[]): void => {
    execFileSync(
      'git',
      ['-c', 'user.name=Codebase Navigator Tests', '-c', 'user.email=tests@codenav.invalid', '-c', 'commit.gpgsign=false', ...args],
      { cwd: dir, stdio: 'ignore' },
    );
  };
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '--allow-empty', '-m', 'fixture');
}
