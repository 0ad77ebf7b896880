import type { CacheData } from '../../core/cache';
import type { Style } from '../render';

export function cacheText(data: CacheData, s: Style): string[] {
  const out: string[] = [];
  for (const svc of data.services) {
    out.push(`${s.bold(svc.name)}  ${s.dim(svc.file)}`);
    for (const r of svc.reads) out.push(`  read  ${r.name}  ${r.key ?? '?'}  ttl ${r.ttl ?? 'none'}`);
    for (const w of svc.writes) out.push(`  write ${w.name}  ${w.invalidates.join(', ') || s.yellow('invalidates nothing')}`);
  }
  return out;
}
