import type { NavigationData } from '../../core/navigation';
import type { Style } from '../render';

/** `codenav services` in text mode: packages → modules → services, then routes, deprecations and problems. */
export function servicesText(data: NavigationData, s: Style): string[] {
  if (!data?.packages) return [];
  const out: string[] = [];
  for (const pkg of data.packages) {
    const prefix = pkg.routePrefix && pkg.routes ? `  ${pkg.routePrefix}` : '';
    out.push(`${s.bold(pkg.label)}  ${s.dim(`${pkg.name} · ${pkg.services} service${pkg.services === 1 ? '' : 's'} · ${pkg.routes} route${pkg.routes === 1 ? '' : 's'}`)}${prefix}`);
    for (const mi of pkg.modules) {
      const m = data.modules[mi];
      const dep = m.deprecated ? s.yellow(`  deprecated${m.replacement ? ` → ${m.replacement}` : ''}${m.removeBy ? ` (remove by ${m.removeBy})` : ''}`) : '';
      out.push(`  ${m.path}${m.routes.length ? s.dim(`  ${m.routes.length} route${m.routes.length === 1 ? '' : 's'}`) : ''}${dep}`);
      for (const si of m.services) {
        const svc = data.services[si];
        const sdep = svc.deprecated && !m.deprecated ? s.yellow(`  deprecated${svc.replacement ? ` → ${svc.replacement}` : ''}`) : '';
        out.push(`    ${svc.name}  ${s.dim(`${svc.file}:${svc.line}`)}${svc.routePrefix ? `  ${svc.routePrefix}` : ''}${sdep}`);
      }
    }
    out.push('');
  }
  if (data.routes.length) {
    out.push(s.bold(`${data.routes.length} route${data.routes.length === 1 ? '' : 's'}`));
    for (const r of data.routes) {
      out.push(`  ${r.method.padEnd(7)} ${r.path}${r.deprecated ? s.yellow('  deprecated') : ''}  ${s.dim(`${r.file}:${r.line}`)}`);
    }
  }
  if (data.problems.length) {
    out.push('', s.bold('Not followed statically'));
    for (const p of data.problems) out.push(`  ${s.dim(p.file ? `${p.file}:${p.line}` : '(workspace)')}  ${p.message}`);
  }
  return out;
}
