import fs = require('node:fs');
import path = require('node:path');
import type { CodenavConfig } from '../workspace/config';
import type { Workspace } from '../workspace/workspace';
import { DEFAULT_SCRIPT, findScripts, generatorArgs, joinRel, packageManagerFor, pythonSourceRoot, splitWords, type PackageManager } from './detect';

export type TypegenConfig = NonNullable<CodenavConfig['typegen']>;

/** Where the OpenAPI document comes from. `file` (workspace-relative) is also where it is written for the generator. */
export type OpenApiSource =
  | { kind: 'file'; file: string }
  | { kind: 'url'; url: string; file?: string }
  | { kind: 'pythonApp'; app: string; sourceRoot: string; file?: string };

export type CommandSpec =
  | { kind: 'argv'; argv: string[] }
  | { kind: 'script'; script: string; packageJson: string; packageManager: PackageManager; text: string };

export interface TypegenPlan {
  detectedFrom: 'config' | 'package.json';
  command: CommandSpec;
  /** Workspace-relative folder the command runs in ('' = root). */
  cwd: string;
  /** Workspace-relative path of the generated file, when known. */
  output?: string;
  triggers: string[];
  timeoutMs: number;
  debounceMs: number;
  onSaveDuringRun: 'restart' | 'queue';
  openapi?: OpenApiSource;
  /** Interpreter from the config file (the editor setting overrides it). */
  python?: string;
}

export interface PlanProblem {
  /** The config key the problem is about (`typegen.command`), or a file for detected plans. */
  key?: string;
  file?: string;
  message: string;
  severity: 'error' | 'warning';
}

export interface PlanResult {
  plan?: TypegenPlan;
  problems: PlanProblem[];
  /** `typegen.enabled: false`. */
  disabled?: boolean;
}

export const DEFAULT_TRIGGERS = ['**/models.py', '**/models/**/*.py', '**/schemas.py', '**/schemas/**/*.py', '**/openapi.{json,yaml,yml}'];
export const DEFAULT_TIMEOUT_MS = 120_000;
export const DEFAULT_DEBOUNCE_MS = 500;
export const PLACEHOLDER_OPENAPI = '{openapi}';
export const PLACEHOLDER_OUTPUT = '{output}';

const isUrl = (s: string) => /^https?:\/\//.test(s);

/** The type generation plan of a workspace: the `typegen:` config, completed by what package.json says. */
export function resolvePlan(ws: Workspace, config: CodenavConfig = ws.config): PlanResult {
  const cfg = config.typegen;
  if (cfg?.enabled === false) return { problems: [], disabled: true };
  const problems: PlanProblem[] = [];
  const c = cfg ?? {};
  const command = resolveCommand(ws, c, problems);
  if (!command) return { problems };

  const scriptDir = command.kind === 'script' ? path.posix.dirname(command.packageJson).replace(/^\.$/, '') : '';
  const cwd = clean(c.cwd ?? scriptDir);
  if (cwd && !isDir(ws.abs(cwd))) problems.push({ key: 'typegen.cwd', message: `the folder "${cwd}" does not exist`, severity: 'error' });

  const words = command.kind === 'script' ? splitWords(command.text) : command.argv;
  const seen = generatorArgs(words);
  const fromCmd = (p: string | undefined) => (p && !p.includes('{') && !isUrl(p) ? joinRel(cwd, p) : undefined);
  const output = c.output ? clean(c.output) : fromCmd(seen.output);
  const openapi = resolveSource(ws, c, config.sourceRoots, seen.input ? (isUrl(seen.input) ? seen.input : fromCmd(seen.input)) : undefined, problems);

  if (openapi && openapi.kind !== 'file' && !openapi.file) {
    const reads = command.kind === 'argv' && command.argv.some((a) => a.includes(PLACEHOLDER_OPENAPI));
    if (!reads)
      problems.push({
        key: 'typegen.openapi',
        message: `the generator needs to read the exported document: put "${PLACEHOLDER_OPENAPI}" in the command's argv, or set typegen.openapi.file to the file it reads`,
        severity: 'error',
      });
  }
  if (openapi?.kind === 'file' && !ws.has(openapi.file) && !fs.existsSync(ws.abs(openapi.file)))
    problems.push({ key: 'typegen.openapi.file', message: `the OpenAPI document "${openapi.file}" does not exist`, severity: 'error' });
  if (command.kind === 'argv' && command.argv.some((a) => a.includes(PLACEHOLDER_OPENAPI)) && !openapi && !c.openapi)
    problems.push({ key: 'typegen.openapi', message: `the command uses "${PLACEHOLDER_OPENAPI}": set typegen.openapi (file, url or pythonApp)`, severity: 'error' });
  if (command.kind === 'argv' && command.argv.some((a) => a.includes(PLACEHOLDER_OUTPUT)) && !output)
    problems.push({ key: 'typegen.output', message: `the command uses "${PLACEHOLDER_OUTPUT}": set typegen.output to the generated file`, severity: 'error' });
  if (output && !isDir(path.dirname(ws.abs(output))))
    problems.push({ key: 'typegen.output', message: `the folder of the generated file "${output}" does not exist`, severity: 'warning' });

  const triggers = c.triggers?.length ? c.triggers : [...DEFAULT_TRIGGERS, ...(openapi?.kind === 'file' ? [openapi.file] : [])];
  return {
    problems,
    plan: {
      detectedFrom: cfg?.command ? 'config' : 'package.json',
      command,
      cwd,
      output,
      triggers,
      timeoutMs: c.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      debounceMs: c.debounceMs ?? DEFAULT_DEBOUNCE_MS,
      onSaveDuringRun: c.onSaveDuringRun ?? 'restart',
      openapi,
      python: c.python,
    },
  };
}

function resolveCommand(ws: Workspace, c: TypegenConfig, problems: PlanProblem[]): CommandSpec | undefined {
  if (Array.isArray(c.command)) {
    if (!c.command.length || !c.command[0]) return void problems.push({ key: 'typegen.command', message: 'the argv list is empty', severity: 'error' });
    return { kind: 'argv', argv: c.command };
  }
  const script = c.command ?? DEFAULT_SCRIPT;
  if (/\s/.test(script)) {
    const suggestion = JSON.stringify(splitWords(script));
    return void problems.push({ key: 'typegen.command', message: `"${script}" is a command line, not a package.json script name; codenav never runs a shell: write it as an argv list, for example ${suggestion}`, severity: 'error' });
  }
  const all = findScripts(ws, script);
  const inCwd = c.cwd ? all.filter((s) => s.dir === clean(c.cwd!)) : [];
  const found = inCwd[0] ?? all[0];
  if (found) return { kind: 'script', script, packageJson: found.packageJson, packageManager: packageManagerFor(ws, found.packageJson), text: found.text };
  if (c.command) return void problems.push({ key: 'typegen.command', message: `no package.json in the workspace defines a "${script}" script`, severity: 'error' });
  // Nothing named: the default generator when the document and the output are both configured.
  if ((c.openapi?.file || c.openapi?.pythonApp || c.openapi?.url) && c.output) return { kind: 'argv', argv: ['openapi-typescript', PLACEHOLDER_OPENAPI, '-o', PLACEHOLDER_OUTPUT] };
  if (Object.keys(c).length)
    problems.push({ key: 'typegen', message: `no generator found: set typegen.command, or add a "${DEFAULT_SCRIPT}" script to a package.json`, severity: 'warning' });
  return undefined;
}

function resolveSource(ws: Workspace, c: TypegenConfig, sourceRoots: string[] | undefined, seenInput: string | undefined, problems: PlanProblem[]): OpenApiSource | undefined {
  const o = c.openapi ?? {};
  const given = [o.pythonApp && 'pythonApp', o.url && 'url'].filter(Boolean);
  if (given.length > 1) problems.push({ key: 'typegen.openapi', message: 'set only one of pythonApp and url (file may accompany either: the document is written there)', severity: 'error' });
  const localFile = o.file ? clean(o.file) : seenInput && !isUrl(seenInput) ? seenInput : undefined;
  if (o.pythonApp) {
    const module = o.pythonApp.split(':')[0];
    const sourceRoot = pythonSourceRoot(ws, module, sourceRoots);
    if (sourceRoot === undefined) {
      problems.push({ key: 'typegen.openapi.pythonApp', message: `the module "${module}" was not found in the workspace`, severity: 'error' });
      return undefined;
    }
    return { kind: 'pythonApp', app: o.pythonApp, sourceRoot, file: localFile };
  }
  if (o.url) return { kind: 'url', url: o.url, file: localFile };
  if (localFile) return { kind: 'file', file: localFile };
  return undefined;
}

function clean(rel: string): string {
  return path.posix.normalize(rel.replace(/\\/g, '/')).replace(/^\.\/?$|^\.\//, '').replace(/\/+$/, '');
}

function isDir(abs: string): boolean {
  try {
    return fs.statSync(abs).isDirectory();
  } catch {
    return false;
  }
}

/** The plan in one line, for logs and the CLI. */
export function describePlan(plan: TypegenPlan): string {
  const cmd = plan.command.kind === 'script' ? `${plan.command.packageManager} run ${plan.command.script} (${plan.command.packageJson})` : plan.command.argv.join(' ');
  const src = plan.openapi
    ? plan.openapi.kind === 'pythonApp'
      ? `python app ${plan.openapi.app}${plan.openapi.file ? ` → ${plan.openapi.file}` : ''}`
      : plan.openapi.kind === 'url'
        ? `${plan.openapi.url}${plan.openapi.file ? ` → ${plan.openapi.file}` : ''}`
        : plan.openapi.file
    : 'as the command reads it';
  return `command: ${cmd}; in: ${plan.cwd || '.'}; OpenAPI: ${src}; output: ${plan.output ?? 'unknown'}`;
}
