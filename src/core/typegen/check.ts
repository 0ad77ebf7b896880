import fs = require('node:fs');
import os = require('node:os');
import path = require('node:path');
import { pointRange, type Finding } from '../findings';
import type { Workspace } from '../workspace/workspace';
import { generateTypes } from './generate';
import { PLACEHOLDER_OUTPUT, type TypegenPlan } from './plan';
import type { ProcessDeps } from './process/runner';

export interface CheckOptions {
  signal?: AbortSignal;
  deps?: ProcessDeps;
  python?: string;
}

export interface CheckResult {
  findings: Finding[];
  log: string[];
  ok: boolean;
}

const normalize = (s: string) => s.replace(/\r\n/g, '\n').replace(/\s+$/, '');

function read(abs: string): string | undefined {
  try {
    return fs.readFileSync(abs, 'utf8');
  } catch {
    return undefined;
  }
}

function firstDifference(a: string, b: string): number {
  const x = a.split('\n');
  const y = b.split('\n');
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  return i;
}

function stale(file: string, committed: string, fresh: string, what: string): Finding | undefined {
  if (normalize(committed) === normalize(fresh)) return undefined;
  const line = firstDifference(normalize(committed), normalize(fresh));
  return {
    rule: 'typegen/stale',
    severity: 'error',
    file,
    range: pointRange(line),
    message: `${file} is out of date: ${what} gives a different file (first difference at line ${line + 1}). Regenerate it (codenav typegen) and commit the result.`,
  };
}

/**
 * `codenav typegen --check`: regenerates and compares with the committed
 * files, leaving the working tree as it was. An argv command with `{output}`
 * writes into a temporary folder; a package.json script writes in place, so
 * the committed files are put back afterwards. An OpenAPI document that the
 * run exports (`openapi.file` with `pythonApp` or `url`) is checked too.
 */
export async function checkTypes(ws: Workspace, plan: TypegenPlan, o: CheckOptions = {}): Promise<CheckResult> {
  const log: string[] = [];
  if (!plan.output)
    return {
      ok: false,
      log,
      findings: [{ rule: 'typegen/config', severity: 'error', file: ws.configFile ?? '.codenav.yaml', range: pointRange(0), message: '--check needs to know the generated file: set typegen.output' }],
    };
  const outAbs = ws.abs(plan.output);
  const committed = read(outAbs);
  const toTemp = plan.command.kind === 'argv' && plan.command.argv.some((a) => a.includes(PLACEHOLDER_OUTPUT));
  const exported = plan.openapi && plan.openapi.kind !== 'file' ? plan.openapi.file : undefined;
  const kept = new Map<string, string | undefined>();
  if (!toTemp) kept.set(plan.output, committed);
  if (exported) kept.set(exported, read(ws.abs(exported)));
  const tmp = toTemp ? await fs.promises.mkdtemp(path.join(os.tmpdir(), 'codenav-typegen-check-')) : undefined;
  const freshAbs = tmp ? path.join(tmp, path.basename(plan.output)) : outAbs;
  const findings: Finding[] = [];
  let ok = false;
  try {
    const r = await generateTypes({ ws, plan, signal: o.signal, deps: o.deps, python: o.python, outputOverride: tmp ? freshAbs : undefined, baseline: committed });
    log.push(...r.log);
    findings.push(...r.findings);
    if (!r.ok) return { ok: false, log, findings };
    const fresh = read(freshAbs);
    if (committed === undefined || fresh === undefined) {
      findings.push({ rule: 'typegen/stale', severity: 'error', file: plan.output, range: pointRange(0), message: `${plan.output} ${committed === undefined ? 'is not committed' : 'was not generated'}: regenerate it (codenav typegen) and commit the result.` });
    } else {
      const s = stale(plan.output, committed, fresh, 'regenerating it from the current API');
      if (s) findings.push(s);
    }
    if (exported) {
      const before = kept.get(exported);
      const now = read(ws.abs(exported));
      const s = before !== undefined && now !== undefined ? stale(exported, before, now, 'exporting the OpenAPI document again') : undefined;
      if (s) findings.push(s);
    }
    ok = !findings.some((f) => f.severity === 'error');
    log.push(ok ? `check: ${plan.output} is up to date` : `check: ${findings.filter((f) => f.rule === 'typegen/stale').map((f) => f.file).join(', ') || plan.output} out of date`);
    return { ok, log, findings };
  } finally {
    for (const [rel, text] of kept) {
      const abs = ws.abs(rel);
      if (text === undefined) await fs.promises.rm(abs, { force: true });
      else if (read(abs) !== text) await fs.promises.writeFile(abs, text);
    }
    if (tmp) await fs.promises.rm(tmp, { recursive: true, force: true });
  }
}
