import fs = require('node:fs');
import path = require('node:path');
import { pointRange, type Finding, type Range } from '../../findings';
import { locateKey, pointerSegments } from './locate';

export interface FailureContext {
  /** Absolute workspace root. */
  root: string;
  /** Absolute folder the failing program ran in (relative paths in its output start there). */
  cwd: string;
  /** Where a failure that names no location is reported. */
  fallback: { file: string; range: Range };
  /** How the program ended: "exit code 1", "timed out after 120 s". */
  ended: string;
  /** The OpenAPI document the generator read, so that `#/paths/…` pointers land in it. */
  document?: { abs: string; rel?: string };
}

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;
const TSC = /^(?<file>[^\s(][^()]*?)\((?<line>\d+),(?<col>\d+)\):\s*(?<sev>error|warning)\s+(?<code>TS\d+):\s*(?<msg>.*)$/;
const FILE_LINE_COL = /^\s*(?:\[\d+\]\s*)?(?<file>(?:[A-Za-z]:)?[^\s:()'"[\]]+?):(?<line>\d+):(?<col>\d+)(?:\s*-\s*|:\s*|\s+)(?<msg>\S.*)$/;
const YAML_AT = /^(?<msg>.*?) in "(?<file>[^"]+)" \((?<line>\d+):(?<col>\d+)\)/;
const POINTER = /(?<msg>.*?)\bat (?<ptr>#\/\S*)/;
const PY_FRAME = /^\s*File "(?<file>[^"]+)", line (?<line>\d+)/;
const PY_EXCEPTION = /^(?:[A-Za-z_][\w.]*\.)?[A-Za-z_]\w*(?:Error|Exception|Exit|Warning|Interrupt)(?::.*)?$/;
const STACK_FRAME = /^\s+at\s|^\s*Node\.js v\d|^\s*\^+\s*$|^file:\/\/|^\s*[{}[\],]*\s*$/;
const TOOL_NOISE = /^(npm (error|ERR!|warn)|\s*ELIFECYCLE|error Command failed|info Visit https:\/\/yarnpkg)/;

function isStackLine(l: string): boolean {
  return STACK_FRAME.test(l);
}

/** A failure's output as diagnostics: compiler and generator positions, Python tracebacks, else one finding with the last lines. */
export function failureFindings(output: string, ctx: FailureContext): Finding[] {
  const lines = output.replace(ANSI, '').split(/\r?\n/);
  const out: Finding[] = [];
  const seen = new Set<string>();
  const add = (rel: string | undefined, line: number, col: number, message: string) => {
    if (rel === undefined || out.length >= 50) return;
    const text = `Type generation failed: ${message.trim()}`;
    const key = `${rel}:${line}:${text}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ rule: 'typegen/failed', severity: 'error', file: rel, range: pointRange(Math.max(0, line), Math.max(0, col)), message: text });
  };

  for (const raw of lines) {
    if (isStackLine(raw)) continue;
    const l = raw.replace(/^\s*\u2718\s*/, '');
    let m = TSC.exec(l);
    if (m?.groups) {
      add(toRel(m.groups.file, ctx), +m.groups.line - 1, +m.groups.col - 1, `${m.groups.code}: ${m.groups.msg}`);
      continue;
    }
    m = YAML_AT.exec(l);
    if (m?.groups) {
      add(toRel(m.groups.file, ctx), +m.groups.line - 1, +m.groups.col - 1, m.groups.msg.replace(/^\w*Error:\s*/, ''));
      continue;
    }
    m = FILE_LINE_COL.exec(l);
    if (m?.groups && !/^(https?|file|node):/.test(m.groups.file)) {
      add(toRel(m.groups.file, ctx), +m.groups.line - 1, +m.groups.col - 1, m.groups.msg);
      continue;
    }
    m = POINTER.exec(l);
    if (m?.groups && ctx.document?.rel) {
      const text = readText(path.join(ctx.root, ctx.document.rel));
      const pos = text !== undefined ? locateKey(text, pointerSegments(m.groups.ptr)) : undefined;
      if (pos) add(ctx.document.rel, pos.line, pos.character, l.trim());
    }
  }
  out.push(...pythonTraceback(lines, ctx).filter((f) => !seen.has(`${f.file}:${f.range.start.line}:${f.message}`)));
  if (out.length) return out;
  return [{ rule: 'typegen/failed', severity: 'error', file: ctx.fallback.file, range: ctx.fallback.range, message: summary(lines, ctx.ended) }];
}

/** The innermost workspace frame of a Python traceback, with the exception as the message. */
function pythonTraceback(lines: string[], ctx: FailureContext): Finding[] {
  let frame: { rel: string; line: number; index: number } | undefined;
  lines.forEach((l, index) => {
    const m = PY_FRAME.exec(l);
    const rel = m?.groups ? toRel(m.groups.file, ctx) : undefined;
    if (m?.groups && rel) frame = { rel, line: +m.groups.line - 1, index };
  });
  if (!frame) return [];
  const exception = [...lines].reverse().find((l) => PY_EXCEPTION.test(l.trim()));
  if (!exception) return [];
  // A SyntaxError shows the line and a caret under the column.
  let col = 0;
  const caret = lines.slice(frame.index + 1, frame.index + 4).find((l) => /^\s*\^+\s*$/.test(l));
  const code = lines[frame.index + 1];
  if (caret && code) col = Math.max(0, caret.indexOf('^') - (code.length - code.trimStart().length));
  return [{ rule: 'typegen/failed', severity: 'error', file: frame.rel, range: pointRange(frame.line, col), message: `Type generation failed: ${exception.trim()}` }];
}

function summary(lines: string[], ended: string): string {
  const meaningful = lines.map((l) => l.trimEnd()).filter((l) => l.trim() && !isStackLine(l));
  const own = meaningful.filter((l) => !TOOL_NOISE.test(l));
  const pool = own.length ? own : meaningful;
  const headline = (pool.find((l) => /^\s*(\w*(Error|Exception)\b|\u2718|error\b)/.test(l)) ?? pool.find((l) => /(^|\s)(\w*Error\b|\u2718|error\b|failed\b)/i.test(l)))?.trim();
  const tail = pool.slice(-6).map((l) => l.trim());
  const head = headline ?? tail[tail.length - 1] ?? 'no output';
  const rest = tail.filter((l) => l !== head);
  return `Type generation failed (${ended}): ${head}${rest.length ? '\n' + rest.join('\n') : ''}`;
}

function readText(abs: string): string | undefined {
  try {
    return fs.readFileSync(abs, 'utf8');
  } catch {
    return undefined;
  }
}

/** A path from the output as a workspace-relative path, when it names an existing file in the workspace. */
function toRel(file: string, ctx: FailureContext): string | undefined {
  const abs = path.resolve(ctx.cwd, file.replace(/^file:\/\//, ''));
  if (ctx.document && abs === path.resolve(ctx.document.abs)) return ctx.document.rel;
  const rel = path.relative(ctx.root, abs);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel) || /(^|[/\\])node_modules([/\\]|$)/.test(rel)) return undefined;
  if (!fs.existsSync(abs)) return undefined;
  return rel.split(path.sep).join('/');
}
