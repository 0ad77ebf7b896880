import path = require('node:path');
import { parse as parseToml } from 'smol-toml';
import type { MigrationEnvConfig } from '../../workspace/config';
import type { Workspace } from '../../workspace/workspace';
import { DEFAULT_FILE_TEMPLATE, DEFAULT_TRUNCATE_SLUG, normaliseConfigTemplate, patternToTemplate } from '../naming';
import { dirOf, joinRel, rootRelative, type AlembicEnvSpec, type TemplateSource } from './envSpec';
import { iniGet, iniLine, parseIni } from './ini';

/** Raw settings of one environment, read from an ini section or `[tool.alembic]`. */
interface RawSettings {
  file: string;
  kind: 'alembic.ini' | 'pyproject.toml';
  section?: string;
  get(key: string): string | string[] | Error | undefined;
  line(key: string): number;
}

const SEPARATORS: Record<string, string | undefined> = { space: ' ', os: path.delimiter, ':': ':', ';': ';', newline: '\n' };

/**
 * Every Alembic environment of the workspace: ini sections with a
 * `script_location`, `pyproject.toml` `[tool.alembic]`, `versions/` folders
 * beside an `env.py`, and `.codenav.yaml` `migrations.environments` (which
 * also override what was found, matched by version folder).
 */
export function discoverAlembic(ws: Workspace): AlembicEnvSpec[] {
  const cfg = ws.config.migrations ?? {};
  const naming = cfg.naming ? { text: patternToTemplate(cfg.naming), from: 'codenav naming' as const, file: ws.configFile } : undefined;
  const envs: AlembicEnvSpec[] = [];
  const pyDirs = new Set<string>();
  for (const f of ws.files) {
    if (f.path.endsWith('.py')) pyDirs.add(dirOf(f.path));
    const base = f.path.slice(f.path.lastIndexOf('/') + 1);
    if (base.endsWith('.ini') && ws.grep(f.path, /^\s*script_location\s*[=:]/m)) {
      const ini = parseIni(ws.text(f.path) ?? '');
      for (const section of ini.sections.keys()) {
        if (!ini.sections.get(section)!.has('script_location')) continue;
        const here = path.dirname(ws.abs(f.path));
        envs.push(fromSettings(ws, { file: f.path, kind: 'alembic.ini', section, get: (k) => iniGet(ini, section, k, { here }), line: (k) => iniLine(ini, section, k) }, naming));
      }
    } else if (base === 'pyproject.toml' && ws.grep(f.path, /^\s*\[tool\.alembic\]/m)) {
      const settings = pyprojectSettings(ws, f.path);
      if (settings instanceof Error) continue;
      envs.push(fromSettings(ws, settings, naming));
    }
  }
  for (const f of ws.files) {
    if (!f.path.endsWith('/env.py') && f.path !== 'env.py') continue;
    const dir = dirOf(f.path);
    const versions = joinRel(dir, 'versions');
    if (!pyDirs.has(versions) || envs.some((e) => e.versions.includes(versions))) continue;
    envs.push(blank(dir, [versions], naming ?? defaultTemplate()));
  }
  for (const c of cfg.environments ?? []) {
    if (c.tool === 'django') continue;
    applyConfig(envs, c, cfg.expectedHeads, ws.configFile);
  }
  for (const e of envs) e.expectedHeads ??= cfg.expectedHeads;
  return dedupe(envs);
}

function defaultTemplate(): TemplateSource {
  return { text: DEFAULT_FILE_TEMPLATE, from: 'default' };
}

function blank(scriptDir: string | undefined, versions: string[], template: TemplateSource): AlembicEnvSpec {
  return { tool: 'alembic', name: scriptDir ?? versions[0], versions, recursive: false, scriptDir, template, truncateSlug: DEFAULT_TRUNCATE_SLUG, sysPath: [], problems: [] };
}

function applyConfig(envs: AlembicEnvSpec[], c: MigrationEnvConfig, globalHeads: string[] | undefined, configFile: string | undefined): void {
  const versions = (c.versions ?? []).map((v) => v.replace(/\/+$/, '').replace(/^\.\//, '') || '.');
  let env = envs.find((e) => (c.name && e.name === c.name) || versions.some((v) => e.versions.includes(v)));
  if (!env) {
    if (!versions.length) return;
    const scriptDir = dirOf(versions[0]);
    env = blank(scriptDir, versions, defaultTemplate());
    env.configFile = configFile;
    envs.push(env);
  } else if (versions.length) env.versions = [...new Set([...versions, ...env.versions])];
  if (c.name) env.name = c.name;
  if (c.fileTemplate) env.template = { text: normaliseConfigTemplate(c.fileTemplate), from: 'codenav environment', file: configFile };
  env.expectedHeads = c.expectedHeads ?? globalHeads;
}

function dedupe(envs: AlembicEnvSpec[]): AlembicEnvSpec[] {
  const seen = new Set<string>();
  return envs.filter((e) => {
    const key = [...e.versions].sort().join('\0');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function pyprojectSettings(ws: Workspace, file: string): RawSettings | Error {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(ws.text(file) ?? '') as Record<string, unknown>;
  } catch (err) {
    return err as Error;
  }
  const table = ((doc.tool as Record<string, unknown> | undefined)?.alembic ?? {}) as Record<string, unknown>;
  const here = path.dirname(ws.abs(file));
  const text = ws.text(file) ?? '';
  const sub = (s: string) => s.replace(/%\(here\)s/g, here).replace(/%%/g, '%');
  return {
    file,
    kind: 'pyproject.toml',
    get(key) {
      const v = table[key];
      if (v === undefined) return undefined;
      if (Array.isArray(v)) return v.map((x) => sub(String(x)));
      return typeof v === 'string' ? sub(v) : String(v);
    },
    line(key) {
      const i = text.split('\n').findIndex((l) => new RegExp(`^\\s*${key}\\s*=`).test(l));
      return Math.max(0, i);
    },
  };
}

function fromSettings(ws: Workspace, s: RawSettings, naming: TemplateSource | undefined): AlembicEnvSpec {
  const baseDir = dirOf(s.file);
  const problems: AlembicEnvSpec['problems'] = [];
  const str = (key: string): string | undefined => {
    const v = s.get(key);
    if (v instanceof Error) {
      problems.push({ file: s.file, line: s.line(key), message: `${key}: ${v.message}` });
      return undefined;
    }
    return Array.isArray(v) ? v.join(' ') : v;
  };
  const resolveDir = (p: string, key: string): string | undefined => {
    let target = p;
    if (/^[\w.]+:[\w./-]+$/.test(p) && !/^[A-Za-z]:[\\/]/.test(p)) {
      // `package:folder`, resolved against the places Python would find the package.
      const [pkg, rest] = p.split(':');
      target = path.posix.join(pkg.replace(/\./g, '/'), rest);
    }
    const rel = rootRelative(ws.root, baseDir, target);
    if (!rel) problems.push({ file: s.file, line: s.line(key), message: `${key} points outside the workspace: ${p}` });
    return rel;
  };
  const scriptLocation = str('script_location');
  const scriptDir = scriptLocation ? resolveDir(scriptLocation, 'script_location') : undefined;
  let versions: string[] = [];
  const locations = s.get('version_locations');
  if (Array.isArray(locations)) versions = locations.map((l) => resolveDir(l, 'version_locations')).filter((x): x is string => !!x);
  else if (locations && !(locations instanceof Error)) {
    const sepName = str('version_path_separator') ?? str('path_separator');
    const sep = sepName === undefined ? undefined : SEPARATORS[sepName];
    if (sepName !== undefined && sep === undefined) problems.push({ file: s.file, line: s.line('version_path_separator'), message: `version_path_separator: '${sepName}' is not one of space, os, ':', ';'` });
    const parts = sep === undefined ? locations.split(/, *| +/) : locations.split(sep);
    versions = parts.filter(Boolean).map((l) => resolveDir(l.trim(), 'version_locations')).filter((x): x is string => !!x);
  } else if (locations instanceof Error) str('version_locations');
  if (!versions.length && scriptDir) versions = [joinRel(scriptDir, 'versions')];
  const ownTemplate = str('file_template');
  const template: TemplateSource = ownTemplate
    ? { text: ownTemplate, from: s.kind, file: s.file, line: s.line('file_template') }
    : (naming ?? defaultTemplate());
  const sysPath = (str('prepend_sys_path') ?? '')
    .split(/, *| +|:/)
    .filter(Boolean)
    .map((p) => rootRelative(ws.root, baseDir, p))
    .filter((x): x is string => !!x);
  const tsl = Number(str('truncate_slug_length'));
  const sectionName = s.section && s.section !== 'alembic' ? ` [${s.section}]` : '';
  return {
    tool: 'alembic',
    name: (scriptDir ?? baseDir) + sectionName,
    versions,
    recursive: /^(true|1|yes|on)$/i.test(str('recursive_version_locations') ?? ''),
    scriptDir,
    configFile: s.file,
    configLine: s.line('script_location'),
    template,
    truncateSlug: Number.isFinite(tsl) && tsl > 0 ? tsl : DEFAULT_TRUNCATE_SLUG,
    sysPath,
    problems,
  };
}
