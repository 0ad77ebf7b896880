import { pointRange, type Finding } from '../../findings';
import type { Workspace } from '../../workspace/workspace';
import { causePhrase, changePhrase, changesSummary, diffModels, type ContractChange } from './diff';
import { importersOf } from './importers';
import { declarationModel } from './model';
import { findUses } from './uses';

export { changePhrase, causePhrase, changesSummary, diffModels, displayPath, type ContractChange } from './diff';
export { declarationModel } from './model';

export interface ContractResult {
  changes: ContractChange[];
  findings: Finding[];
  /** One line for the log. */
  summary: string;
}

/**
 * Compares the generated declarations before and after a regeneration and puts
 * a `typegen/contract-break` finding at each use of a changed member.
 */
export async function contractCheck(ws: Workspace, generated: string, before: string, after: string, triggers: readonly string[]): Promise<ContractResult> {
  if (before === after) return { changes: [], findings: [], summary: changesSummary([]) };
  const oldModel = declarationModel(before, generated);
  const changes = diffModels(oldModel, declarationModel(after, generated));
  if (!changes.length) return { changes, findings: [], summary: changesSummary(changes) };
  const importers = await importersOf(ws, generated);
  const uses = findUses({ root: ws.root, generated, oldText: before, oldModel, changes, importers });
  const cause = causePhrase(triggers);
  const findings: Finding[] = uses.map((u) => ({
    rule: 'typegen/contract-break',
    severity: 'error',
    file: u.file,
    range: u.range,
    message: `${changePhrase(u.change)} ${cause}`,
    ...(u.change.newLine !== undefined ? { related: [{ file: generated, range: pointRange(u.change.newLine), message: 'declared here now' }] } : {}),
  }));
  const files = new Set(uses.map((u) => u.file)).size;
  const summary = `${changesSummary(changes)}; ${uses.length} use site${uses.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'} (${importers.length} file${importers.length === 1 ? ' imports' : 's import'} the types)`;
  return { changes, findings, summary };
}
