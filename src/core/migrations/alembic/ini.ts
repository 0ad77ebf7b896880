/**
 * An .ini reader with Python `configparser.ConfigParser` semantics, which is
 * what Alembic reads `alembic.ini` with: `=` or `:` delimiters, comments only
 * on their own line, indented continuation lines, lower-cased option names,
 * a DEFAULT section, and `%(name)s` / `%%` interpolation. Keeps line numbers
 * so findings can point at the option.
 */

export interface IniOption {
  raw: string;
  /** 0-based line of the option name. */
  line: number;
}

export interface IniFile {
  sections: Map<string, Map<string, IniOption>>;
  defaults: Map<string, IniOption>;
}

const SECTION = /^\[(.+)\]/;
const OPTION = /^(.*?)\s*[=:]\s*(.*)$/;

export function parseIni(text: string): IniFile {
  const sections = new Map<string, Map<string, IniOption>>();
  const defaults = new Map<string, IniOption>();
  let current: Map<string, IniOption> | undefined;
  let option: { opt: IniOption; indent: number; lines: string[] } | undefined;
  const flush = () => {
    if (!option) return;
    while (option.lines.length > 1 && option.lines[option.lines.length - 1] === '') option.lines.pop();
    option.opt.raw = option.lines.join('\n').trim();
    option = undefined;
  };
  const lines = text.replace(/^\ufeff/, '').split(/\r\n|\n|\r/);
  lines.forEach((line, i) => {
    const stripped = line.trim();
    if (stripped.startsWith('#') || stripped.startsWith(';')) return;
    if (!stripped) {
      option?.lines.push('');
      return;
    }
    const indent = line.length - line.trimStart().length;
    if (option && indent > option.indent) {
      option.lines.push(stripped);
      return;
    }
    flush();
    const sec = SECTION.exec(line);
    if (sec) {
      const name = sec[1];
      current = name === 'DEFAULT' ? defaults : (sections.get(name) ?? new Map());
      if (name !== 'DEFAULT') sections.set(name, current);
      return;
    }
    const m = OPTION.exec(stripped);
    if (!current || !m) return;
    const opt: IniOption = { raw: '', line: i };
    current.set(m[1].trim().toLowerCase(), opt);
    option = { opt, indent, lines: [m[2]] };
  });
  flush();
  return { sections, defaults };
}

/**
 * An option's value after interpolation, as `ConfigParser.get` returns it.
 * `vars` seeds the defaults (Alembic passes `here`). Undefined when the
 * option is absent; a broken interpolation is returned as an Error.
 */
export function iniGet(ini: IniFile, section: string, key: string, vars: Record<string, string> = {}): string | Error | undefined {
  const sec = ini.sections.get(section);
  const lookup = (name: string): string | undefined => sec?.get(name)?.raw ?? ini.defaults.get(name)?.raw ?? vars[name];
  const raw = lookup(key.toLowerCase());
  if (raw === undefined) return undefined;
  return interpolate(raw, lookup, 0);
}

function interpolate(value: string, lookup: (name: string) => string | undefined, depth: number): string | Error {
  if (depth > 10) return new Error('interpolation too deep (a value refers to itself)');
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c !== '%') {
      out += c;
      continue;
    }
    const next = value[i + 1];
    if (next === '%') {
      out += '%';
      i++;
      continue;
    }
    const m = /^%\(([^)]+)\)s/.exec(value.slice(i));
    if (!m) return new Error(`'%' must be followed by '%' or '(', found: ${JSON.stringify(value.slice(i, i + 12))}`);
    const sub = lookup(m[1].toLowerCase());
    if (sub === undefined) return new Error(`bad interpolation variable reference %(${m[1]})s`);
    const expanded = interpolate(sub, lookup, depth + 1);
    if (expanded instanceof Error) return expanded;
    out += expanded;
    i += m[0].length - 1;
  }
  return out;
}

/** The line of an option, for anchoring findings (0 when absent). */
export function iniLine(ini: IniFile, section: string, key: string): number {
  return ini.sections.get(section)?.get(key.toLowerCase())?.line ?? ini.defaults.get(key.toLowerCase())?.line ?? 0;
}
