/**
 * The one finding type. The diagnostics adapter, the CLI text/JSON/SARIF/GitHub
 * renderers and the quick-fix provider all consume it.
 *
 * Positions are 0-based (line and UTF-16 character), like VS Code's `Position`.
 * Renderers that speak 1-based lines (CLI, SARIF) convert at the edge.
 */
export type Severity = 'error' | 'warning' | 'info';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface RelatedLocation {
  /** Workspace-relative path with `/` separators. */
  file: string;
  range: Range;
  message: string;
}

/** A text edit inside one file. */
export interface TextEdit {
  file: string;
  range: Range;
  newText: string;
}

/**
 * A fix a finding offers. `edits` is applied as one undoable WorkspaceEdit.
 * `command` names an extension command for fixes that need a dialog (for
 * example "create merge migration", which asks before writing).
 */
export interface Fix {
  title: string;
  edits?: TextEdit[];
  createFiles?: { file: string; content: string }[];
  renameFiles?: { from: string; to: string }[];
  command?: { id: string; args: unknown[] };
  preferred?: boolean;
}

export interface Finding {
  /** Stable rule id, for example `migration/multiple-heads`. */
  rule: string;
  severity: Severity;
  /** Workspace-relative path with `/` separators. */
  file: string;
  range: Range;
  message: string;
  related?: RelatedLocation[];
  fixes?: Fix[];
}

export const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function pointRange(line: number, character = 0, endCharacter = character): Range {
  return { start: { line, character }, end: { line, character: endCharacter } };
}

export const FILE_START: Range = pointRange(0, 0, 0);

export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character ||
      a.rule.localeCompare(b.rule) ||
      a.message.localeCompare(b.message),
  );
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
