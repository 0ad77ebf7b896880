import type { CacheData, CacheServiceSummary } from '../../core/cache';
import { coverageLabel, keyLabel, readOk, ttlLabel, writeOk } from '../../core/cache/format';
import type { Style } from '../render';

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/**
 * One service as a matrix: its cached reads (R1, R2 …) as columns, its writes as
 * rows, ✓ where a write's pattern reaches a read.
 */
function serviceMatrix(svc: CacheServiceSummary, s: Style): string[] {
  const out = [`${s.bold(svc.name)}  ${s.dim(`${svc.file}:${svc.line}`)}  ${coverageLabel(svc)}`];
  const nameW = Math.max(12, ...svc.reads.map((r) => r.name.length + 4), ...svc.writes.map((w) => w.name.length)) + 2;
  const lineW = Math.max(...[...svc.reads, ...svc.writes].map((x) => String(x.line).length)) + 3;
  if (svc.reads.length) {
    const keyW = Math.max(3, ...svc.reads.map((r) => keyLabel(r).length)) + 2;
    out.push(s.dim(`  ${pad('cached reads', nameW + lineW)}${pad('key', keyW)}TTL`));
    svc.reads.forEach((r, i) => {
      const flag = readOk(r) ? '' : `  ${s.yellow(r.findings.filter((f) => f.severity !== 'info').map((f) => f.rule.replace('cache/', '')).join(', '))}`;
      out.push(`  ${pad(`R${i + 1} ${r.name}`, nameW)}${s.dim(pad(`:${r.line}`, lineW))}${pad(keyLabel(r), keyW)}${ttlLabel(r)}${flag}`);
    });
  }
  if (svc.writes.length) {
    const cols = svc.reads.map((_r, i) => pad(`R${i + 1}`, 4)).join('');
    out.push(s.dim(`  ${pad('writes', nameW + lineW)}${cols}invalidates`));
    for (const w of svc.writes) {
      const marks = svc.reads
        .map((r) => (w.covers.some((c) => c.file === svc.file && c.line === r.line) ? s.green(pad('✓', 4)) : s.dim(pad('·', 4))))
        .join('');
      const elsewhere = w.covers.filter((c) => c.file !== svc.file).length;
      const via = w.coveredBy.length ? `via ${w.coveredBy.join(', ')}` : w.delegatesTo ? `via ${w.delegatesTo.service}.${w.delegatesTo.name}` : '';
      const dynamic = w.invalidations.some((i) => i.dynamic) ? 'a computed key' : '';
      let what = [w.invalidates.join(', '), dynamic, via].filter(Boolean).join('; ');
      if (!what) what = s.yellow('nothing');
      if (elsewhere) what += s.dim(`  (+${elsewhere} cached read${elsewhere === 1 ? '' : 's'} elsewhere)`);
      if (!writeOk(w)) what += `  ${s.yellow(w.findings.filter((f) => f.severity !== 'info').map((f) => f.rule.replace('cache/', '')).join(', '))}`;
      if (w.kind === 'invalidator') what += s.dim('  (invalidation only)');
      out.push(`  ${pad(w.name, nameW)}${s.dim(pad(`:${w.line}`, lineW))}${marks}${what}`);
    }
  }
  return out;
}

/** The overview `codenav cache` prints above its findings. */
export function cacheText(data: CacheData, s: Style): string[] {
  const out: string[] = [];
  for (const svc of data?.services ?? []) out.push(...serviceMatrix(svc, s), '');
  if (data?.coverage?.services) {
    const t = data.coverage;
    out.push(s.dim(`${t.services} service(s): ${t.reads} cached read(s), ${t.readsCovered} invalidated or expiring; ${t.invalidating}/${t.writes} writes invalidate`));
  }
  return out;
}
