/**
 * Extension activation time: `require('dist/extension.js')` + `activate(context)` in a fresh
 * Node process, with `vscode` served by the fake in fakeVscode.ts. Optionally also the time
 * until the first analysis of a workspace folder is logged.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createFakeVscode, Disposable, EventEmitter, stub, Uri } from './fakeVscode';
import { emitResult, median, repeatChild } from './measure';

export interface ActivationSample {
  requireMs: number;
  activateMs: number;
  totalMs: number;
  subscriptions: number;
  /** Heavy modules already loaded when activate() returned (they should load lazily). */
  loadedEagerly: string[];
  /** From activate() returning to the host's first "analysed …" log line, when a folder was opened. */
  firstAnalysisMs?: number;
  firstAnalysisLine?: string;
  errors: string[];
}

export interface ActivationResult {
  runs: number;
  requireMs: number;
  activateMs: number;
  totalMs: number;
  firstAnalysisMs?: number;
  firstAnalysisLine?: string;
  firstAnalysisErrors?: string[];
  maxRssMb: number;
  samples: ActivationSample[];
}

/** Serves `require('vscode')` from the fake: resolve it to a made-up file name that is already in the module cache. */
function installFake(fake: unknown): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Module = require('node:module') as { _resolveFilename: (request: string, ...rest: unknown[]) => string; new (id: string): { filename: string; loaded: boolean; exports: unknown } };
  const id = path.join(__dirname, '__fake_vscode__.js');
  const original = Module._resolveFilename;
  Module._resolveFilename = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? id : original.call(this, request, ...rest);
  };
  const m = new Module(id);
  m.filename = id;
  m.loaded = true;
  m.exports = fake;
  require.cache[id] = m as unknown as NodeJS.Module;
}

function fakeContext(repoRoot: string): unknown {
  const memento = () => {
    const data = new Map<string, unknown>();
    return { get: (k: string, d?: unknown) => (data.has(k) ? data.get(k) : d), update: async (k: string, v: unknown) => void data.set(k, v), keys: () => [...data.keys()], setKeysForSync: () => undefined };
  };
  const storage = path.join(repoRoot, '.bench', 'storage');
  const known: Record<string, unknown> = {
    subscriptions: [] as Disposable[],
    extensionPath: repoRoot,
    extensionUri: Uri.file(repoRoot),
    asAbsolutePath: (p: string) => path.join(repoRoot, p),
    globalState: memento(),
    workspaceState: memento(),
    storageUri: Uri.file(storage),
    globalStorageUri: Uri.file(storage),
    logUri: Uri.file(storage),
    storagePath: storage,
    globalStoragePath: storage,
    logPath: storage,
    extensionMode: 1,
    extension: { id: 'codenav.codebase-navigator', extensionPath: repoRoot, packageJSON: JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) },
    secrets: { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: new EventEmitter<unknown>().event },
  };
  return new Proxy(known, { get: (t, k) => (k in t ? t[k as string] : k === 'then' ? undefined : stub(`context.${String(k)}`)) });
}

async function child(opts: { repoRoot: string; folder?: string; waitMs: number }): Promise<ActivationSample> {
  let analysed: (line: string) => void = () => undefined;
  const firstAnalysis = new Promise<string>((resolve) => (analysed = resolve));
  const errors: string[] = [];
  installFake(
    createFakeVscode({
      repoRoot: opts.repoRoot,
      folders: opts.folder ? [opts.folder] : [],
      onLog: (_channel, line) => {
        if (/^\[info\] analysed /.test(line)) analysed(line);
        if (/^\[error\]/.test(line)) errors.push(line.slice(0, 300));
      },
    }),
  );
  const wasmReads: string[] = [];
  // The module object itself (an `import * as` namespace only has getters).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const realFs = require('node:fs') as typeof fs;
  const readFileSync = realFs.readFileSync;
  (realFs as { readFileSync: unknown }).readFileSync = function (this: unknown, file: fs.PathOrFileDescriptor, ...rest: unknown[]) {
    if (typeof file === 'string' && file.endsWith('.wasm')) wasmReads.push(path.basename(file));
    return (readFileSync as (...a: unknown[]) => unknown).call(this, file, ...rest);
  } as typeof fs.readFileSync;
  const ctx = fakeContext(opts.repoRoot) as { subscriptions: Disposable[] };
  const t0 = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ext = require(path.join(opts.repoRoot, 'dist', 'extension.js')) as { activate(c: unknown): unknown };
  const t1 = performance.now();
  await ext.activate(ctx);
  const t2 = performance.now();
  const loadedEagerly = [
    ...Object.keys(require.cache).filter((k) => /ts-morph|[\\/]typescript[\\/]/.test(k)).map((k) => path.relative(opts.repoRoot, k)),
    ...wasmReads.map((w) => `${w} (read)`),
  ];
  let firstAnalysisMs: number | undefined;
  let firstAnalysisLine: string | undefined;
  if (opts.folder) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), opts.waitMs)));
    firstAnalysisLine = await Promise.race([firstAnalysis, timeout]);
    clearTimeout(timer);
    if (firstAnalysisLine) firstAnalysisMs = performance.now() - t2;
    else errors.push(`no "analysed" log line within ${opts.waitMs} ms`);
  }
  for (const d of ctx.subscriptions) {
    try {
      d.dispose();
    } catch (err) {
      errors.push(`dispose: ${(err as Error).message}`);
    }
  }
  return { requireMs: t1 - t0, activateMs: t2 - t1, totalMs: t2 - t0, subscriptions: ctx.subscriptions.length, loadedEagerly, firstAnalysisMs, firstAnalysisLine, errors };
}

/** `runs` fresh processes; medians of require, activate and (with `folder`) the first analysis. */
export async function measureActivation(opts: { repoRoot: string; runs: number; folder?: string; waitMs?: number }): Promise<ActivationResult> {
  const args = JSON.stringify({ repoRoot: opts.repoRoot, folder: opts.folder, waitMs: opts.waitMs ?? 120_000 });
  const samples = await repeatChild<ActivationSample>(opts.runs, 'activation', [__filename, args], { timeoutMs: (opts.waitMs ?? 120_000) + 30_000 });
  const firsts = samples.map((s) => s.firstAnalysisMs).filter((x): x is number => x !== undefined);
  return {
    runs: samples.length,
    requireMs: median(samples.map((s) => s.requireMs)),
    activateMs: median(samples.map((s) => s.activateMs)),
    totalMs: median(samples.map((s) => s.totalMs)),
    firstAnalysisMs: firsts.length ? median(firsts) : undefined,
    maxRssMb: median(samples.map((s) => s.maxRssMb ?? NaN)),
    samples: samples.map(({ maxRssMb: _m, wallMs: _w, ...s }) => s),
  };
}

if (require.main === module) {
  child(JSON.parse(process.argv[2])).then(
    (r) => {
      emitResult(r);
      // Timers of feature code (debounces, watchers) must not keep the measurement alive.
      process.exit(0);
    },
    (err) => {
      process.stderr.write(`${(err as Error).stack ?? err}\n`);
      process.exit(1);
    },
  );
}
