import path = require('node:path');

/** Where an environment's naming rule comes from, for messages. */
export interface TemplateSource {
  text: string;
  from: 'codenav environment' | 'codenav naming' | 'alembic.ini' | 'pyproject.toml' | 'default';
  file?: string;
  line?: number;
}

/** One Alembic environment as discovered: its folders and settings, no revisions yet. */
export interface AlembicEnvSpec {
  tool: 'alembic';
  name: string;
  /** Root-relative version folders; the first one is the environment's `root`. */
  versions: string[];
  recursive: boolean;
  /** The script folder (where env.py and script.py.mako live). */
  scriptDir?: string;
  /** The file the environment was declared in, and the line of its `script_location`. */
  configFile?: string;
  configLine?: number;
  template: TemplateSource;
  truncateSlug: number;
  /** Root-relative folders Alembic puts on sys.path (`prepend_sys_path`), for constant lookups. */
  sysPath: string[];
  expectedHeads?: string[];
  problems: { file: string; line: number; message: string }[];
}

/** `p` (absolute, or relative to the root-relative `base`) as a root-relative `/` path; undefined when outside the root. */
export function rootRelative(root: string, base: string, p: string): string | undefined {
  const abs = path.isAbsolute(p) ? p : path.join(root, base, p);
  const rel = path.relative(root, abs).split(path.sep).join('/');
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel === '' ? '.' : rel;
}

export function dirOf(rel: string): string {
  const i = rel.lastIndexOf('/');
  return i < 0 ? '.' : rel.slice(0, i);
}

/** `a` joined with `b`, for root-relative paths where `.` is the root. */
export function joinRel(a: string, b: string): string {
  return a === '.' || a === '' ? b : `${a}/${b}`;
}

/** True when `file` is inside `dir` (directly, or at any depth when `recursive`). */
export function isInDir(file: string, dir: string, recursive: boolean): boolean {
  const prefix = dir === '.' ? '' : dir + '/';
  if (!file.startsWith(prefix)) return false;
  return recursive || !file.slice(prefix.length).includes('/');
}
