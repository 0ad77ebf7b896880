import fs = require('node:fs');
import path = require('node:path');
import type { Node as YamlNode } from 'yaml';
import type { Finding } from '../findings';
import { parseYaml, yaml } from '../vendor';
import { CONFIG_SCHEMA, type Schema } from './configSchema';

export const CONFIG_FILE = '.codenav.yaml';

export interface DeprecationEntry {
  module?: string;
  symbol?: string;
  replacement?: string;
  reason?: string;
  /** ISO date `YYYY-MM-DD`. */
  removeBy?: string;
}

export interface MigrationEnvConfig {
  name?: string;
  tool?: 'alembic' | 'django';
  versions?: string[];
  fileTemplate?: string;
  expectedHeads?: string[];
}

export type SeverityOrOff = 'error' | 'warning' | 'info' | 'off';

/** The project config as the analyzers see it: every field optional, defaults live with each analyzer. */
export interface CodenavConfig {
  version?: number;
  exclude?: string[];
  maxFileSizeKb?: number;
  sourceRoots?: string[];
  services?: { classSuffixes?: string[]; packages?: string[]; deprecatedPattern?: string };
  deprecated?: DeprecationEntry[];
  migrations?: {
    environments?: MigrationEnvConfig[];
    expectedHeads?: string[];
    naming?: string;
    missingDowngrade?: SeverityOrOff;
    createDateMismatch?: SeverityOrOff;
  };
  cache?: {
    readDecorators?: string[];
    invalidateDecorators?: string[];
    invalidateCalls?: string[];
    writePrefixes?: string[];
    writeCalls?: string[];
    readCalls?: string[];
    cacheModules?: string[];
    ignore?: string[];
    missingTtl?: SeverityOrOff;
  };
  typegen?: {
    enabled?: boolean;
    triggers?: string[];
    command?: string | string[];
    cwd?: string;
    output?: string;
    timeoutMs?: number;
    debounceMs?: number;
    onSaveDuringRun?: 'restart' | 'queue';
    openapi?: { file?: string; url?: string; pythonApp?: string };
    python?: string;
  };
}

export interface LoadedConfig {
  config: CodenavConfig;
  /** Workspace-relative path of the file read, if any. */
  file?: string;
  findings: Finding[];
  /** True when the file exists but could not be used at all (syntax error, not a mapping). */
  fatal: boolean;
}

/**
 * Reads `.codenav.yaml` (or `explicitPath`). A missing default file is no error.
 * A mistake never throws: it becomes a `config/invalid` finding with the line,
 * and the offending key is dropped so the rest of the config still applies.
 */
export function loadConfig(root: string, explicitPath?: string): LoadedConfig {
  const abs = explicitPath ? path.resolve(root, explicitPath) : path.join(root, CONFIG_FILE);
  const rel = toRel(root, abs);
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch (err) {
    if (!explicitPath && (err as NodeJS.ErrnoException).code === 'ENOENT') return { config: {}, findings: [], fatal: false };
    return { config: {}, file: rel, fatal: true, findings: [invalid(rel, 0, 0, `cannot read config file: ${(err as Error).message}`)] };
  }
  return parseConfigText(text, rel);
}

export function parseConfigText(text: string, rel: string): LoadedConfig {
  const { doc, at } = parseYaml(text, { uniqueKeys: true, prettyErrors: false });
  const findings: Finding[] = [];
  for (const e of doc.errors) {
    const p = at(e.pos[0]);
    findings.push(invalid(rel, p.line, p.character, `YAML syntax error: ${firstLine(e.message)}`));
  }
  if (doc.errors.length) return { config: {}, file: rel, findings, fatal: true };
  if (doc.contents === null) return { config: {}, file: rel, findings, fatal: false };
  if (!yaml().isMap(doc.contents)) {
    findings.push(invalid(rel, 0, 0, 'the config file must be a mapping of keys (for example `exclude:`, `migrations:`)'));
    return { config: {}, file: rel, findings, fatal: true };
  }
  const report = (node: YamlNode | null | undefined, key: string, message: string) => {
    const p = at(node?.range?.[0] ?? 0);
    findings.push(invalid(rel, p.line, p.character, `${key}: ${message}`));
  };
  const value = validate(doc.contents, CONFIG_SCHEMA, '', report);
  return { config: (value ?? {}) as CodenavConfig, file: rel, findings, fatal: false };
}

type Report = (node: YamlNode | null | undefined, key: string, message: string) => void;

/** Returns the plain value, or undefined when the node does not fit `schema` (after reporting it). */
function validate(node: YamlNode | null | undefined, schema: Schema, key: string, report: Report): unknown {
  const { isMap, isScalar, isSeq } = yaml();
  const where = key || '(top level)';
  switch (schema.type) {
    case 'object':
    case 'map': {
      if (!isMap(node)) return void report(node, where, 'expected a mapping');
      const out: Record<string, unknown> = {};
      for (const pair of node.items) {
        const keyNode = pair.key as YamlNode;
        const name = isScalar(keyNode) ? String(keyNode.value) : '?';
        const sub = key ? `${key}.${name}` : name;
        const child = schema.type === 'map' ? schema.values : schema.props[name];
        if (!child) {
          if (schema.type === 'object' && !schema.open) {
            const known = Object.keys(schema.props);
            report(keyNode, sub, `unknown key${suggest(name, known)}; known keys: ${known.join(', ')}`);
          }
          continue;
        }
        const v = validate(pair.value as YamlNode, child, sub, report);
        if (v !== undefined) out[name] = v;
      }
      return out;
    }
    case 'array': {
      if (!isSeq(node)) {
        // A single scalar where a list is expected is a common slip: accept it as a one-item list.
        if (isScalar(node) && schema.items.type === 'string' && typeof node.value === 'string') return [node.value];
        return void report(node, where, 'expected a list');
      }
      const out: unknown[] = [];
      node.items.forEach((item, i) => {
        const v = validate(item as YamlNode, schema.items, `${where}[${i}]`, report);
        if (v !== undefined) out.push(v);
      });
      return out;
    }
    case 'oneOf': {
      for (const option of schema.options) {
        let failed = false;
        const v = validate(node, option, key, () => (failed = true));
        if (!failed) return v;
      }
      return void report(node, where, `expected ${schema.hint}`);
    }
    default:
      return scalar(node, schema, where, report);
  }
}

function scalar(node: YamlNode | null | undefined, schema: Schema, where: string, report: Report): unknown {
  if (!yaml().isScalar(node)) return void report(node, where, `expected a ${schema.type}`);
  const v = node.value;
  switch (schema.type) {
    case 'string':
      if (typeof v !== 'string') return void report(node, where, `expected a string, got ${JSON.stringify(v)}`);
      if (schema.enum && !schema.enum.includes(v)) return void report(node, where, `must be one of ${schema.enum.join(', ')}; got "${v}"`);
      if (schema.pattern && !schema.pattern.test(v)) return void report(node, where, `expected ${schema.hint ?? schema.pattern.source}; got "${v}"`);
      return v;
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) return void report(node, where, `expected a number, got ${JSON.stringify(v)}`);
      if ((schema.min !== undefined && v < schema.min) || (schema.max !== undefined && v > schema.max))
        return void report(node, where, `must be between ${schema.min ?? '-∞'} and ${schema.max ?? '∞'}; got ${v}`);
      return v;
    case 'boolean':
      if (typeof v !== 'boolean') return void report(node, where, `expected true or false, got ${JSON.stringify(v)}`);
      return v;
    case 'date': {
      const s = v instanceof Date ? v.toISOString().slice(0, 10) : String(v);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(Date.parse(s))) return void report(node, where, `expected a date YYYY-MM-DD, got "${s}"`);
      return s;
    }
    default:
      return undefined;
  }
}

function suggest(name: string, known: string[]): string {
  const lower = name.toLowerCase();
  const hit = known.find((k) => k.toLowerCase() === lower || distance(k.toLowerCase(), lower) <= 2);
  return hit ? ` "${name}" (did you mean "${hit}"?)` : ` "${name}"`;
}

function distance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}

function invalid(file: string, line: number, character: number, message: string): Finding {
  return {
    rule: 'config/invalid',
    severity: 'error',
    file,
    range: { start: { line, character }, end: { line, character: character + 1 } },
    message,
  };
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}

function toRel(root: string, abs: string): string {
  const rel = path.relative(root, abs);
  return (rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel).split(path.sep).join('/');
}
