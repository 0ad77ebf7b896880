import type { Finding, Fix, Severity } from '../../findings';
import { FILE_START, pointRange } from '../../findings';
import { dateDifferences, matchName, parseTemplate, renderName, slugOf, type NameMatch, type TemplatePiece } from '../naming';
import { dirOf, joinRel, type AlembicEnvSpec } from './envSpec';
import type { Revision } from './revision';
import { parseCreateDate, type DateParts } from './revisionFile';

export interface NamingOptions {
  createDateSeverity: Severity | 'off';
  /** Does a workspace file exist (renames never overwrite). */
  exists: (rel: string) => boolean;
}

/** A part of a file name that reads as a revision id (hex, digits, or another revision's id). */
function looksLikeRevision(s: string, ids: ReadonlySet<string>): boolean {
  return ids.has(s) || /^[0-9a-f]{8,}$/i.test(s) || /^\d+$/.test(s);
}

/**
 * `migration/naming`, `migration/filename-revision-mismatch` and
 * `migration/create-date-mismatch` for one environment.
 */
export function namingFindings(spec: AlembicEnvSpec, revisions: readonly Revision[], ids: ReadonlySet<string>, opts: NamingOptions): Finding[] {
  const pieces = parseTemplate(spec.template.text);
  const out: Finding[] = [];
  if (pieces instanceof Error) {
    const file = spec.template.file ?? spec.configFile;
    if (file) out.push({ rule: 'migration/environment', severity: 'warning', file, range: pointRange(spec.template.line ?? 0), message: `file_template "${spec.template.text}" cannot be used: ${pieces.message}` });
    return out;
  }
  const where = spec.template.from === 'default' ? 'Alembic’s default file_template' : `file_template "${spec.template.text}" (${spec.template.from}${spec.template.file ? `, ${spec.template.file}` : ''})`;
  for (const rev of revisions) {
    if (rev.idFromFilename) continue;
    const file = rev.file;
    const verdict = verdictOf(rev, pieces, spec);
    const { date, exact, generic } = verdict;
    const rename = () => renameFix(file, expectedName(verdict, rev, pieces, spec), opts);
    if (exact) {
      const diffs = date ? dateDifferences(exact.date, date) : [];
      if (diffs.length && opts.createDateSeverity !== 'off') {
        const line = rev.source.doc.createDateLine;
        out.push({
          rule: 'migration/create-date-mismatch',
          severity: opts.createDateSeverity,
          file,
          range: line !== undefined ? pointRange(line, 0, 200) : FILE_START,
          message: `the date in the file name disagrees with Create Date ${rev.source.doc.createDate} (${diffs.join(', ')})`,
          fixes: optional(rename()),
        });
      }
      continue;
    }
    if (generic?.rev !== undefined && generic.rev !== rev.id && looksLikeRevision(generic.rev, ids)) {
      out.push({
        rule: 'migration/filename-revision-mismatch',
        severity: 'warning',
        file,
        range: rev.idRange,
        message: `the file name says revision "${generic.rev}", but the file declares revision "${rev.id}"; Alembic uses the declared id${ids.has(generic.rev) ? ` (and "${generic.rev}" is another revision's id)` : ''}`,
        related: [...revisions.filter((r) => r.id === generic.rev && r.file !== file).map((r) => ({ file: r.file, range: r.idRange, message: `revision ${r.id} is declared here` }))],
        fixes: optional(rename()),
      });
      continue;
    }
    out.push({
      rule: 'migration/naming',
      severity: 'warning',
      file,
      range: FILE_START,
      message: `the file name does not follow ${where}: expected "${expectedName(verdict, rev, pieces, spec).name}"`,
      fixes: optional(rename()),
    });
  }
  return out;
}

interface Verdict {
  date?: DateParts;
  /** The name the template renders for this revision, worked out when a finding needs it. */
  expected?: { name: string; complete: boolean };
  /** The name read with the declared id. */
  exact?: NameMatch;
  /** The name read with any id, when the exact reading fails. */
  generic?: NameMatch;
}

/** Name checks depend on the revision and the template only: memoised per revision object (unchanged files keep theirs). */
const verdicts = new WeakMap<Revision, { key: string; verdict: Verdict }>();

function verdictOf(rev: Revision, pieces: TemplatePiece[], spec: AlembicEnvSpec): Verdict {
  const key = `${spec.template.text}\0${spec.truncateSlug}`;
  const hit = verdicts.get(rev);
  if (hit?.key === key) return hit.verdict;
  const baseName = rev.file.slice(rev.file.lastIndexOf('/') + 1).replace(/\.py$/, '');
  const date = parseCreateDate(rev.source.doc.createDate);
  const exact = matchName(pieces, baseName, rev.id);
  const verdict: Verdict = { date, exact, generic: !exact && hasRev(pieces) ? matchName(pieces, baseName) : undefined };
  verdicts.set(rev, { key, verdict });
  return verdict;
}

function expectedName(verdict: Verdict, rev: Revision, pieces: TemplatePiece[], spec: AlembicEnvSpec): { name: string; complete: boolean } {
  verdict.expected ??= renderName(pieces, { rev: rev.id, slug: rev.source.doc.message !== undefined ? slugOf(rev.source.doc.message, spec.truncateSlug) : undefined, date: verdict.date });
  return verdict.expected;
}

function optional<T>(x: T | undefined): T[] | undefined {
  return x ? [x] : undefined;
}

function hasRev(pieces: TemplatePiece[]): boolean {
  return pieces.some((p) => 'key' in p && p.key === 'rev');
}

function renameFix(file: string, expected: { name: string; complete: boolean }, opts: NamingOptions): Fix | undefined {
  if (!expected.complete) return undefined;
  const to = joinRel(dirOf(file), expected.name);
  if (to === file || opts.exists(to)) return undefined;
  return { title: `Rename to naming convention: ${expected.name}`, renameFiles: [{ from: file, to }], preferred: true };
}
