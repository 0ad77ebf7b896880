import fs = require('node:fs');
import path = require('node:path');

/**
 * Whether git could list files here: a `.git` (folder, or file for worktrees and
 * submodules) at the root or above it, or GIT_DIR set. Saves spawning git outside a repository.
 */
export function inGitWorkTree(root: string): boolean {
  if (process.env.GIT_DIR) return true;
  for (let dir = root; ; ) {
    if (fs.existsSync(path.join(dir, '.git'))) return true;
    const up = path.dirname(dir);
    if (up === dir) return false;
    dir = up;
  }
}
