import type { Analyzer } from '../analyzer';
import { hasErrors, pointRange, type Finding } from '../findings';
import type { Workspace } from '../workspace/workspace';
import { checkTypes } from './check';
import { generateTypes } from './generate';
import { locateKey } from './output/locate';
import { describePlan, resolvePlan, type PlanProblem, type TypegenPlan } from './plan';

export { checkTypes } from './check';
export { generateTypes, type GenerateOptions, type TypegenRunResult } from './generate';
export { describePlan, resolvePlan, type TypegenPlan } from './plan';
export { TypegenScheduler, type RunNowResult, type SchedulerEvent } from './scheduler';
export { TypegenSession } from './session';

export interface TypegenPlanSummary {
  detectedFrom: 'config' | 'package.json';
  command: string;
  cwd: string;
  output: string | null;
  openapi: string | null;
  triggers: string[];
}

export interface TypegenData {
  /** True when type generation is configured or detected. */
  configured: boolean;
  disabled?: boolean;
  typegen?: TypegenPlanSummary;
}

function summarize(plan: TypegenPlan): TypegenPlanSummary {
  const src = plan.openapi;
  return {
    detectedFrom: plan.detectedFrom,
    command: plan.command.kind === 'script' ? `${plan.command.packageManager} run ${plan.command.script}` : plan.command.argv.join(' '),
    cwd: plan.cwd || '.',
    output: plan.output ?? null,
    openapi: !src ? null : src.kind === 'file' ? src.file : src.kind === 'url' ? src.url : `python:${src.app}`,
    triggers: plan.triggers,
  };
}

/** A plan problem as a finding at its key in the config file (or at the package.json script of a detected plan). */
export function problemFinding(ws: Workspace, p: PlanProblem, plan?: TypegenPlan): Finding {
  let file = p.file ?? ws.configFile;
  let range = pointRange(0);
  const text = file ? ws.text(file) : undefined;
  const segs = p.key?.split('.') ?? [];
  const pos = text !== undefined && segs.length ? locateKey(text, segs) : undefined;
  if (pos) range = pointRange(pos.line, pos.character);
  else if (plan?.command.kind === 'script' && !p.file) {
    file = plan.command.packageJson;
    const at = locateKey(ws.text(file) ?? '', ['scripts', plan.command.script]);
    if (at) range = pointRange(at.line, at.character);
  }
  return { rule: 'typegen/config', severity: p.severity, file: file ?? '.codenav.yaml', range, message: `${p.key ? p.key + ': ' : ''}${p.message}` };
}

/** `check` includes only the static part of typegen (config problems, detection); it never runs a process. */
export const typegenAnalyzer: Analyzer<TypegenData> = {
  id: 'typegen',
  title: 'Type generation',
  async run(ws) {
    const r = resolvePlan(ws);
    const findings = r.problems.map((p) => problemFinding(ws, p, r.plan));
    if (!r.plan) return { findings, data: { configured: false, disabled: r.disabled }, notice: r.disabled ? 'type generation is disabled (typegen.enabled: false)' : undefined };
    return { findings, data: { configured: true, typegen: summarize(r.plan) } };
  },
};

export interface TypegenCliResult {
  findings: Finding[];
  /** Lines for people, printed by the CLI in text mode. */
  log: string[];
  ok: boolean;
}

/** `codenav typegen [--check]`: runs the generator once (the CLI is the user's own consent to run it). */
export async function runTypegenOnce(ws: Workspace, options: { check: boolean; signal?: AbortSignal }): Promise<TypegenCliResult> {
  const r = resolvePlan(ws);
  const findings = r.problems.map((p) => problemFinding(ws, p, r.plan));
  if (!r.plan) {
    const why = r.disabled ? 'type generation is disabled (typegen.enabled: false)' : 'no type generation configured or detected: set `typegen:` in .codenav.yaml or add a "generate:types" script to a package.json';
    return { findings, log: [why], ok: !hasErrors(findings) };
  }
  const log = [`type generation: ${describePlan(r.plan)}`];
  if (hasErrors(findings)) return { findings, log: [...log, 'not run: fix the configuration first'], ok: false };
  const run = options.check ? await checkTypes(ws, r.plan, { signal: options.signal }) : await generateTypes({ ws, plan: r.plan, signal: options.signal });
  return { findings: [...findings, ...run.findings], log: [...log, ...run.log], ok: run.ok && !hasErrors(run.findings) };
}
