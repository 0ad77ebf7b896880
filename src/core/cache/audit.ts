import { coverageLabel, keyLabel, list, plural, TTL_CATEGORIES, ttlLabel } from './format';
import type { CacheData, CacheServiceSummary, ItemFinding } from './model';

/** Text for a Markdown table cell. */
function cell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function code(s: string): string {
  return `\`${s.replace(/`/g, "'")}\``;
}

function table(head: string[], rows: string[][]): string[] {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

function serviceSection(s: CacheServiceSummary): string[] {
  const out = [`## ${s.name}`, '', `${code(s.file)}, line ${s.line} · ${coverageLabel(s)}`, ''];
  if (s.reads.length) {
    out.push('### Cached reads', '');
    out.push(
      ...table(
        ['Read', 'Line', 'Key', 'TTL', 'Invalidated by'],
        s.reads.map((r) => [
          code(r.name),
          String(r.line),
          code(keyLabel(r)),
          ttlLabel(r),
          r.invalidatedBy.length ? list([...new Set(r.invalidatedBy.map((b) => (b.file === s.file ? b.name : `${b.service}.${b.name}`)))]) : '**none**',
        ]),
      ),
      '',
    );
  }
  if (s.writes.length) {
    out.push('### Writes', '');
    out.push(
      ...table(
        ['Write', 'Line', 'Invalidates', 'Covers'],
        s.writes.map((w) => {
          const pats = w.invalidates.map(code).join(', ');
          const dynamic = w.invalidations.some((i) => i.dynamic) ? 'a key computed at run time' : '';
          const via = w.coveredBy.length ? `via ${list(w.coveredBy)}` : w.delegatesTo ? `via ${w.delegatesTo.service}.${w.delegatesTo.name}` : '';
          return [
            `${code(w.name)}${w.kind === 'invalidator' ? ' (invalidation only)' : ''}`,
            String(w.line),
            [pats, dynamic, via].filter(Boolean).join('; ') || '**nothing**',
            w.covers.length ? list([...new Set(w.covers.map((c) => (c.file === s.file ? c.name : `${c.service}.${c.name}`)))]) : '—',
          ];
        }),
      ),
      '',
    );
  }
  return out;
}

/** `codenav cache --format markdown` and "Export Cache Audit": per-service tables, findings, TTLs by category. */
export function renderCacheAudit(data: CacheData): string {
  const services = data?.services ?? [];
  const out: string[] = ['# Cache audit', ''];
  if (!services.length) {
    out.push('No cached reads or cache invalidations were found.', '');
    return out.join('\n');
  }
  const reads = services.flatMap((s) => s.reads.map((r) => ({ s, r })));
  const t = data.coverage;
  out.push(
    '## Summary',
    '',
    ...table(
      ['', ''],
      [
        ['Services', String(t.services)],
        ['Cached reads', `${t.reads} (${t.readsCovered} invalidated by a write or expiring)`],
        ['Writes', `${t.writes} (${t.invalidating} invalidate)`],
        ['Findings', `${plural(t.findings.error, 'error')}, ${plural(t.findings.warning, 'warning')}, ${t.findings.info} info`],
      ],
    ),
    '',
  );
  for (const s of services) out.push(...serviceSection(s));

  const findings: { s: CacheServiceSummary; f: ItemFinding }[] = [];
  for (const s of services) for (const item of [...s.reads, ...s.writes]) for (const f of item.findings) findings.push({ s, f });
  findings.sort((a, b) => a.s.file.localeCompare(b.s.file) || a.f.line - b.f.line || a.f.rule.localeCompare(b.f.rule));
  out.push('## Findings', '');
  if (findings.length) out.push(...table(['Severity', 'Rule', 'Location', 'Message'], findings.map(({ s, f }) => [f.severity, code(f.rule), `${code(s.file)}:${f.line}`, f.message])), '');
  else out.push('No findings: every write invalidates what it changes, and every cached read expires or is invalidated.', '');

  out.push('## TTLs by category', '');
  out.push(
    ...table(
      ['Category', 'Reads', 'Which'],
      TTL_CATEGORIES.map((c) => {
        const hits = reads.filter(({ r }) => c.test(r));
        return [c.title, String(hits.length), hits.map(({ s, r }) => `${s.name}.${r.name} (${ttlLabel(r)})`).join(', ') || '—'];
      }),
    ),
    '',
  );
  return out.join('\n');
}
