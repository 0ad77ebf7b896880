import type { NavigationData } from '../../core/navigation';
import type { Style } from '../render';

export function servicesText(data: NavigationData, s: Style): string[] {
  const out: string[] = [];
  for (const svc of data.services) {
    const dep = svc.deprecated ? s.yellow(` deprecated${svc.replacement ? ` → ${svc.replacement}` : ''}`) : '';
    out.push(`${s.bold(svc.name)}  ${s.dim(`${svc.file}:${svc.line}`)}${svc.routePrefix ? `  ${svc.routePrefix}` : ''}${dep}`);
  }
  if (data.routes.length) out.push('', s.bold(`${data.routes.length} routes`));
  for (const r of data.routes) out.push(`  ${r.method.padEnd(7)}${r.path}  ${s.dim(`${r.file}:${r.line}`)}`);
  return out;
}
