import fs = require('node:fs');
import type { Workspace } from '../workspace/workspace';
import { contractCheck, type ContractResult } from './contract';
import { generateTypes, type GenerateOptions, type TypegenRunResult } from './generate';

/**
 * The state kept between runs for one folder: the declarations the code was
 * written against. It moves forward only when no use breaks, so a contract
 * break stays reported over later regenerations until the code is fixed (or
 * the API change is undone).
 */
export class TypegenSession {
  private baseline?: string;
  private baselineFor?: string;
  private causes: string[] = [];

  async run(options: Omit<GenerateOptions, 'baseline'>): Promise<TypegenRunResult> {
    const output = options.plan.output;
    if (output !== this.baselineFor) {
      this.baseline = undefined;
      this.baselineFor = output;
      this.causes = [];
    }
    const causes = [...new Set([...this.causes, ...(options.triggers ?? [])])];
    const r = await generateTypes({ ...options, baseline: this.baseline, causes });
    if (r.ok && r.generated !== undefined) this.settle(r.previous, r.generated, r.findings.some((f) => f.rule === 'typegen/contract-break'), options.triggers ?? []);
    return r;
  }

  /** After code changed: the contract breaks against the kept baseline, without regenerating. */
  async recheck(ws: Workspace, output: string): Promise<ContractResult | undefined> {
    if (this.baseline === undefined || this.baselineFor !== output) return undefined;
    let current: string;
    try {
      current = fs.readFileSync(ws.abs(output), 'utf8');
    } catch {
      return undefined;
    }
    const r = await contractCheck(ws, output, this.baseline, current, this.causes);
    this.settle(this.baseline, current, r.findings.length > 0, []);
    return r;
  }

  private settle(previous: string | undefined, generated: string, broken: boolean, triggers: string[]): void {
    this.baseline ??= previous;
    if (broken) {
      this.causes = [...new Set([...this.causes, ...triggers])];
    } else {
      this.baseline = generated;
      this.causes = [];
    }
  }
}
