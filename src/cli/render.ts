import path = require('node:path');
import type { Finding, Severity } from '../core/findings';
import { sortFindings } from '../core/findings';
import { RULES, ruleInfo } from '../core/rules';

/** A finding as the JSON contract shows it: 1-based line and column. */
export interface JsonFinding {
  rule: string;
  severity: Severity;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  related?: { file: string; line: number; message: string }[];
  fixes?: string[];
}

export function toJsonFinding(f: Finding): JsonFinding {
  return {
    rule: f.rule,
    severity: f.severity,
    file: f.file,
    line: f.range.start.line + 1,
    column: f.range.start.character + 1,
    endLine: f.range.end.line + 1,
    endColumn: f.range.end.character + 1,
    message: f.message,
    ...(f.related?.length ? { related: f.related.map((r) => ({ file: r.file, line: r.range.start.line + 1, message: r.message })) } : {}),
    ...(f.fixes?.length ? { fixes: f.fixes.map((x) => x.title) } : {}),
  };
}

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  blue(s: string): string;
  green(s: string): string;
}

export function style(color: boolean): Style {
  const wrap = (code: number) => (s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  return { bold: wrap(1), dim: wrap(2), red: wrap(31), yellow: wrap(33), blue: wrap(34), green: wrap(32) };
}

export function summaryLine(findings: readonly Finding[], s: Style): string {
  const n = (sev: Severity) => findings.filter((f) => f.severity === sev).length;
  const files = new Set(findings.map((f) => f.file)).size;
  if (findings.length === 0) return s.green('✔ no problems found');
  const parts = `${n('error')} error${n('error') === 1 ? '' : 's'}, ${n('warning')} warning${n('warning') === 1 ? '' : 's'}, ${n('info')} info`;
  const text = `✖ ${findings.length} problem${findings.length === 1 ? '' : 's'} (${parts}) in ${files} file${files === 1 ? '' : 's'}`;
  return n('error') ? s.red(s.bold(text)) : s.yellow(s.bold(text));
}

/** Findings grouped by file, for people. */
export function renderText(findings: readonly Finding[], s: Style): string {
  const out: string[] = [];
  let current = '';
  for (const f of sortFindings([...findings])) {
    if (f.file !== current) {
      current = f.file;
      out.push('', s.bold(current));
    }
    const sev = f.severity === 'error' ? s.red('error  ') : f.severity === 'warning' ? s.yellow('warning') : s.blue('info   ');
    const pos = `${f.range.start.line + 1}:${f.range.start.character + 1}`.padEnd(8);
    out.push(`  ${s.dim(pos)}${sev}  ${f.message}  ${s.dim(f.rule)}`);
    for (const r of f.related ?? []) out.push(s.dim(`            ↳ ${r.file}:${r.range.start.line + 1} ${r.message}`));
  }
  return out.join('\n');
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note' };

/** SARIF 2.1.0, for code-scanning uploads. */
export function renderSarif(findings: readonly Finding[], version: string): string {
  const used = new Set(findings.map((f) => f.rule));
  const rules = RULES.filter((r) => used.has(r.id)).concat([...used].filter((id) => !ruleInfo(id)).map((id) => ({ id, description: id, defaultSeverity: 'warning' as Severity })));
  const region = (r: Finding['range']) => ({
    startLine: r.start.line + 1,
    startColumn: r.start.character + 1,
    endLine: r.end.line + 1,
    endColumn: Math.max(r.end.character + 1, r.end.line === r.start.line ? r.start.character + 2 : 1),
  });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'codenav',
            version,
            rules: rules.map((r) => ({
              id: r.id,
              shortDescription: { text: r.description },
              defaultConfiguration: { level: SARIF_LEVEL[r.defaultSeverity] },
            })),
          },
        },
        results: sortFindings([...findings]).map((f) => ({
          ruleId: f.rule,
          ruleIndex: rules.findIndex((r) => r.id === f.rule),
          level: SARIF_LEVEL[f.severity],
          message: { text: f.message },
          locations: [{ physicalLocation: { artifactLocation: { uri: f.file, uriBaseId: '%SRCROOT%' }, region: region(f.range) } }],
          ...(f.related?.length
            ? {
                relatedLocations: f.related.map((r, i) => ({
                  id: i,
                  message: { text: r.message },
                  physicalLocation: { artifactLocation: { uri: r.file, uriBaseId: '%SRCROOT%' }, region: region(r.range) },
                })),
              }
            : {}),
        })),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2);
}

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const GITHUB_COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/**
 * GitHub Actions workflow commands. Paths are made relative to the current
 * directory (the checkout root in a workflow), not to the analysed folder.
 */
export function renderGithub(findings: readonly Finding[], root: string, cwd = process.cwd()): string {
  return sortFindings([...findings])
    .map((f) => {
      const file = path.relative(cwd, path.join(root, f.file)).split(path.sep).join('/');
      const props = [
        `file=${escapeProperty(file)}`,
        `line=${f.range.start.line + 1}`,
        `col=${f.range.start.character + 1}`,
        `endLine=${f.range.end.line + 1}`,
        `title=${escapeProperty(f.rule)}`,
      ].join(',');
      return `::${GITHUB_COMMAND[f.severity]} ${props}::${escapeData(f.message)}`;
    })
    .join('\n');
}
