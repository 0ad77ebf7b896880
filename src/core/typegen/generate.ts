import fs = require('node:fs');
import os = require('node:os');
import path = require('node:path');
import { pointRange, type Finding, type Range } from '../findings';
import type { Workspace } from '../workspace/workspace';
import { contractCheck, type ContractChange } from './contract';
import { scriptArgv } from './detect';
import { locateKey } from './output/locate';
import { failureFindings } from './output/parseFailure';
import { PLACEHOLDER_OPENAPI, PLACEHOLDER_OUTPUT, type TypegenPlan } from './plan';
import { displayArgv, runProcess, succeeded, systemProcessDeps, type ProcessDeps, type RunOutcome } from './process/runner';
import { exportOpenApi, resolveInterpreter } from './pythonApp';

export interface GenerateOptions {
  ws: Workspace;
  plan: TypegenPlan;
  /** Workspace-relative files whose save asked for this run. */
  triggers?: string[];
  signal?: AbortSignal;
  /** The editor's interpreter setting; wins over `typegen.python`. */
  python?: string;
  deps?: ProcessDeps;
  /** Called with each log line as it happens. */
  onLog?: (line: string) => void;
  /** The declarations the code was written against; default: the output file before this run. */
  baseline?: string;
  /** The saves the contract-break messages name; default: `triggers`. */
  causes?: string[];
  /** Absolute path to generate into instead of `plan.output` (`--check`); needs `{output}` in an argv command. */
  outputOverride?: string;
}

export interface TypegenRunResult {
  ok: boolean;
  cancelled: boolean;
  timedOut: boolean;
  durationMs: number;
  findings: Finding[];
  log: string[];
  changes: ContractChange[];
  /** The output file's text before and after the run, when it is known. */
  previous?: string;
  generated?: string;
}

function read(abs: string | undefined): string | undefined {
  if (!abs) return undefined;
  try {
    return fs.readFileSync(abs, 'utf8');
  } catch {
    return undefined;
  }
}

/** Where a failure that names no file of its own is shown: the saved file, else the config that set the command up. */
export function fallbackLocation(ws: Workspace, plan: TypegenPlan, triggers: readonly string[]): { file: string; range: Range } {
  if (triggers[0]) return { file: triggers[0], range: pointRange(0) };
  const at = (file: string, segments: string[]) => {
    const text = ws.text(file) ?? read(ws.abs(file));
    const pos = text !== undefined ? locateKey(text, segments) : undefined;
    return pos ? { file, range: pointRange(pos.line, pos.character) } : undefined;
  };
  const viaConfig = ws.configFile ? at(ws.configFile, ['typegen', 'command']) ?? at(ws.configFile, ['typegen']) : undefined;
  if (viaConfig) return viaConfig;
  if (plan.command.kind === 'script') return at(plan.command.packageJson, ['scripts', plan.command.script]) ?? { file: plan.command.packageJson, range: pointRange(0) };
  return { file: plan.output ?? ws.configFile ?? '.codenav.yaml', range: pointRange(0) };
}

function ended(o: RunOutcome): string {
  if (o.error) return o.error;
  if (o.signal) return `killed by ${o.signal}`;
  return `exit code ${o.code}`;
}

/**
 * One type generation: obtain the OpenAPI document (file, local URL, or the
 * Python app's own `openapi()`), run the generator with argv, turn a failure's
 * output into findings, and after a success compare the declarations and find
 * the uses that break.
 */
export async function generateTypes(o: GenerateOptions): Promise<TypegenRunResult> {
  const { ws, plan } = o;
  const deps = o.deps ?? systemProcessDeps;
  const triggers = o.triggers ?? [];
  const started = deps.clock.now();
  const lines: string[] = [];
  const log = (l: string) => {
    lines.push(l);
    o.onLog?.(l);
  };
  const onLine = (_s: 'stdout' | 'stderr', l: string) => log(`  │ ${l}`);
  const result = (r: Partial<TypegenRunResult>): TypegenRunResult => ({
    ok: false,
    cancelled: false,
    timedOut: false,
    findings: [],
    changes: [],
    ...r,
    durationMs: deps.clock.now() - started,
    log: lines,
  });
  const fallback = fallbackLocation(ws, plan, triggers);
  const failedRun = (outcome: RunOutcome, cwd: string, document?: { abs: string; rel?: string }): TypegenRunResult => {
    if (outcome.cancelled) {
      log('■ cancelled');
      return result({ cancelled: true });
    }
    const seconds = Math.round(plan.timeoutMs / 100) / 10;
    const findings: Finding[] = outcome.timedOut
      ? [{ rule: 'typegen/failed', severity: 'error', ...fallback, message: `Type generation timed out after ${seconds} s and was stopped (typegen.timeoutMs: ${plan.timeoutMs}): ${outcome.command}` }]
      : outcome.error
        ? [{ rule: 'typegen/failed', severity: 'error', ...fallback, message: `Type generation could not start: ${outcome.error}` }]
        : failureFindings(outcome.output, { root: ws.root, cwd, fallback, ended: ended(outcome), document });
    log(`✗ ${outcome.timedOut ? 'timed out' : ended(outcome)}`);
    return result({ timedOut: outcome.timedOut, findings });
  };

  log(`▶ ${triggers.length ? `after saving ${triggers.join(', ')}` : 'on request'}`);
  let tmp: string | undefined;
  try {
    tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'codenav-typegen-'));
    const remaining = () => Math.max(1, plan.timeoutMs - (deps.clock.now() - started));
    let document: { abs: string; rel?: string } | undefined;
    // A hand-saved copy of the exported document is used as it is, not overwritten by a new export.
    const src = plan.openapi?.file && triggers.length && triggers.every((t) => t === plan.openapi?.file) ? { kind: 'file' as const, file: plan.openapi.file } : plan.openapi;
    if (src?.kind === 'file') document = { abs: ws.abs(src.file), rel: src.file };
    else if (src?.kind === 'pythonApp') {
      const interpreter = resolveInterpreter(ws.root, src.sourceRoot, o.python || plan.python);
      const outFile = path.join(tmp, 'openapi.json');
      log(`  exporting the OpenAPI document of ${src.app} with ${interpreter} (PYTHONPATH ${src.sourceRoot || '.'})`);
      const outcome = await exportOpenApi({ app: src.app, root: ws.root, sourceRoot: src.sourceRoot, interpreter, outFile, timeoutMs: remaining(), signal: o.signal, onLine }, deps);
      if (!succeeded(outcome)) return failedRun(outcome, ws.abs(src.sourceRoot));
      document = { abs: outFile };
    } else if (src?.kind === 'url') {
      const outFile = path.join(tmp, 'openapi.json');
      log(`  fetching ${src.url}`);
      const error = await fetchDocument(src.url, outFile, remaining(), o.signal);
      if (o.signal?.aborted) return result({ cancelled: true });
      if (error) return result({ findings: [{ rule: 'typegen/failed', severity: 'error', ...fallback, message: `Type generation failed: could not fetch ${src.url}: ${error}` }] });
      document = { abs: outFile };
    }
    if (src && src.kind !== 'file' && src.file && document) {
      const text = read(document.abs) ?? '';
      const target = ws.abs(src.file);
      if (read(target) !== text) {
        await fs.promises.mkdir(path.dirname(target), { recursive: true });
        await fs.promises.writeFile(target, text);
        log(`  wrote ${src.file}`);
      }
      document = { abs: target, rel: src.file };
    }

    const outAbs = o.outputOverride ?? (plan.output ? ws.abs(plan.output) : undefined);
    const previous = o.baseline ?? read(plan.output ? ws.abs(plan.output) : undefined);
    const argv =
      plan.command.kind === 'script'
        ? scriptArgv(plan.command.packageManager, plan.command.script)
        : plan.command.argv.map((a) => a.split(PLACEHOLDER_OPENAPI).join(document?.abs ?? '').split(PLACEHOLDER_OUTPUT).join(outAbs ?? ''));
    const cwd = ws.abs(plan.cwd);
    log(`  $ ${displayArgv(argv)}   (in ${plan.cwd || '.'})`);
    const outcome = await runProcess({ argv, cwd, root: ws.root, timeoutMs: remaining(), signal: o.signal, onLine }, deps);
    if (!succeeded(outcome)) return failedRun(outcome, cwd, document);

    const generated = read(outAbs);
    const findings: Finding[] = [];
    let changes: ContractChange[] = [];
    if (plan.output && generated === undefined)
      findings.push({ rule: 'typegen/failed', severity: 'warning', ...fallback, message: `The generator succeeded but did not write ${plan.output}` });
    if (plan.output && previous !== undefined && generated !== undefined) {
      try {
        const contract = await contractCheck(ws, plan.output, previous, generated, o.causes ?? triggers);
        changes = contract.changes;
        findings.push(...contract.findings);
        log(`  ${contract.summary}`);
      } catch (err) {
        log(`  contract: not checked (${(err as Error).message})`);
      }
    }
    log(`✓ done in ${((deps.clock.now() - started) / 1000).toFixed(1)} s${plan.output ? ` → ${plan.output}` : ''}`);
    return result({ ok: true, findings, changes, previous, generated });
  } catch (err) {
    log(`✗ ${(err as Error).message}`);
    return result({ findings: [{ rule: 'typegen/failed', severity: 'error', ...fallback, message: `Type generation failed: ${(err as Error).message}` }] });
  } finally {
    if (tmp) await fs.promises.rm(tmp, { recursive: true, force: true });
  }
}

async function fetchDocument(url: string, outFile: string, timeoutMs: number, signal?: AbortSignal): Promise<string | undefined> {
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetch(url, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout, redirect: 'error' });
    if (!res.ok) return `HTTP ${res.status}`;
    await fs.promises.writeFile(outFile, await res.text());
    return undefined;
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return cause ? `${cause} (is the dev server running?)` : (err as Error).message;
  }
}
