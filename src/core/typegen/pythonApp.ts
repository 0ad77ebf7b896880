import fs = require('node:fs');
import path = require('node:path');
import { runProcess, systemProcessDeps, type ProcessDeps, type RunOutcome } from './process/runner';

/**
 * Imports the application object named `module:attr` (attr may be dotted; a
 * factory function is called) and writes `app.openapi()` as JSON. Arguments
 * come through argv, never through the script text.
 */
export const EXPORT_SCRIPT = [
  'import importlib, json, sys',
  'target, out = sys.argv[1], sys.argv[2]',
  'module_name, _, attr = target.partition(":")',
  'obj = importlib.import_module(module_name)',
  'for part in attr.split("."):',
  '    obj = getattr(obj, part)',
  'if not hasattr(obj, "openapi") and callable(obj):',
  '    obj = obj()',
  'doc = obj.openapi()',
  'with open(out, "w", encoding="utf-8") as fh:',
  '    json.dump(doc, fh, indent=2)',
  '    fh.write("\\n")',
].join('\n');

const VENV_PYTHONS = process.platform === 'win32' ? ['.venv/Scripts/python.exe', 'venv/Scripts/python.exe'] : ['.venv/bin/python', 'venv/bin/python'];

/**
 * The interpreter that exports the document: the configured one, else a
 * `.venv`/`venv` interpreter in the app's source root or a folder above it
 * (up to the workspace root), else `python3`.
 */
export function resolveInterpreter(root: string, sourceRoot: string, configured?: string): string {
  if (configured) return configured.startsWith('~') ? path.join(process.env.HOME ?? '', configured.slice(1)) : configured;
  let dir = path.resolve(root, sourceRoot);
  const top = path.resolve(root);
  for (;;) {
    for (const rel of VENV_PYTHONS) {
      const candidate = path.join(dir, rel);
      if (fs.existsSync(candidate)) return candidate;
    }
    if (dir === top || !dir.startsWith(top) || path.dirname(dir) === dir) break;
    dir = path.dirname(dir);
  }
  return process.platform === 'win32' ? 'python' : 'python3';
}

export interface ExportSpec {
  /** `pkg.module:app`. */
  app: string;
  root: string;
  /** Workspace-relative folder that holds the app's top-level package. */
  sourceRoot: string;
  interpreter: string;
  /** Absolute path of the JSON file to write. */
  outFile: string;
  timeoutMs: number;
  signal?: AbortSignal;
  onLine?: (stream: 'stdout' | 'stderr', line: string) => void;
}

/** Writes the app's OpenAPI document to `outFile` without starting a server. */
export async function exportOpenApi(spec: ExportSpec, deps: ProcessDeps = systemProcessDeps): Promise<RunOutcome> {
  const src = path.resolve(spec.root, spec.sourceRoot);
  const pythonPath = [src, process.env.PYTHONPATH].filter(Boolean).join(path.delimiter);
  const outcome = await runProcess(
    {
      argv: [spec.interpreter, '-c', EXPORT_SCRIPT, spec.app, spec.outFile],
      cwd: src,
      root: spec.root,
      env: { PYTHONPATH: pythonPath, PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' },
      timeoutMs: spec.timeoutMs,
      signal: spec.signal,
      onLine: spec.onLine,
    },
    deps,
  );
  return { ...outcome, command: `${spec.interpreter} (export of ${spec.app})` };
}
