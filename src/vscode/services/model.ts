import type { MethodEntry, ModuleEntry, NavigationData, PackageEntry, RouteEntry, ServiceEntry } from '../../core/navigation';

/**
 * The Services view without VS Code: nodes, their children (computed on
 * first expansion and kept until the data changes) and how each one looks.
 * The tree adapter turns `Look` into a TreeItem; tests read it directly.
 */
export type GroupBy = 'package' | 'routePrefix';

interface Base {
  id: string;
  /** Workspace folder URI. */
  folder: string;
  parent?: SvcNode;
}

export type SvcNode =
  | (Base & { kind: 'folder'; name: string })
  | (Base & { kind: 'package'; pkg: PackageEntry })
  | (Base & { kind: 'prefix'; prefix: string | null; services: number[] })
  | (Base & { kind: 'module'; module: ModuleEntry })
  | (Base & { kind: 'service'; service: ServiceEntry })
  | (Base & { kind: 'method'; service: ServiceEntry; method: MethodEntry })
  | (Base & { kind: 'route'; route: RouteEntry });

export interface Look {
  label: string;
  description?: string;
  /** Markdown. */
  tooltip?: string;
  contextValue: string;
  icon: { id: string; color?: 'warning' };
  collapsible: 'none' | 'collapsed' | 'expanded';
  /** Where a click goes: root-relative file, 1-based line. */
  open?: { file: string; line: number };
}

export interface Snapshot extends Omit<Look, 'icon' | 'collapsible' | 'open'> {
  icon: string;
  open?: { file: string; line: number };
  children?: Snapshot[];
}

interface FolderData {
  name: string;
  data: NavigationData;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function short(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

function deprecatedText(replacement: string | null): string {
  return replacement ? `deprecated → ${short(replacement)}` : 'deprecated';
}

function reasonLines(x: { reason: string | null; replacement: string | null; removeBy: string | null }): string[] {
  return [x.reason ? `Reason: ${x.reason}` : '', x.replacement ? `Use instead: \`${x.replacement}\`` : '', x.removeBy ? `To be removed by ${x.removeBy}` : ''].filter(Boolean);
}

export class ServicesModel {
  private readonly folders = new Map<string, FolderData>();
  private readonly kids = new Map<string, SvcNode[]>();
  private rootNodes?: SvcNode[];
  /**
   * One node object per id for as long as the id is shown: the view keeps the
   * elements it was given, and a new object under a known id would clash.
   */
  private readonly nodes = new Map<string, SvcNode>();
  groupBy: GroupBy = 'package';

  /** Replaces a folder's index (undefined removes the folder). Returns whether anything changed. */
  setData(folder: string, name: string, data: NavigationData | undefined): boolean {
    const before = this.folders.get(folder);
    if (before?.data === data && (data || !before)) return false;
    if (data) this.folders.set(folder, { name, data });
    else this.folders.delete(folder);
    this.reset();
    return true;
  }

  setGroupBy(groupBy: GroupBy): boolean {
    if (this.groupBy === groupBy) return false;
    this.groupBy = groupBy;
    this.reset();
    return true;
  }

  private reset(): void {
    this.kids.clear();
    this.rootNodes = undefined;
    for (const [id, node] of this.nodes) if (!this.folders.has(node.folder)) this.nodes.delete(id);
  }

  private intern(fresh: SvcNode): SvcNode {
    const known = this.nodes.get(fresh.id);
    if (known && known.kind === fresh.kind) {
      for (const key of Object.keys(known)) if (!(key in fresh)) delete (known as unknown as Record<string, unknown>)[key];
      return Object.assign(known, fresh);
    }
    this.nodes.set(fresh.id, fresh);
    return fresh;
  }

  data(folder: string): NavigationData | undefined {
    return this.folders.get(folder)?.data;
  }

  allData(): { folder: string; name: string; data: NavigationData }[] {
    return [...this.folders].map(([folder, f]) => ({ folder, ...f }));
  }

  isEmpty(): boolean {
    return [...this.folders.values()].every((f) => f.data.packages.length === 0);
  }

  roots(): SvcNode[] {
    if (!this.rootNodes) {
      const folders = [...this.folders.entries()].filter(([, f]) => f.data.packages.length > 0);
      this.rootNodes =
        folders.length > 1
          ? folders.map(([folder, f]) => this.intern({ kind: 'folder', id: `${folder}|folder`, folder, name: f.name }))
          : folders.flatMap(([folder]) => this.topOf(folder, undefined));
    }
    return this.rootNodes;
  }

  children(node: SvcNode): SvcNode[] {
    let list = this.kids.get(node.id);
    if (!list) {
      list = this.computeChildren(node).map((n) => this.intern(n));
      this.kids.set(node.id, list);
    }
    return list;
  }

  hasChildren(node: SvcNode): boolean {
    switch (node.kind) {
      case 'method':
      case 'route':
        return false;
      case 'service':
        return node.service.methods.length > 0;
      case 'module':
        return node.module.services.length + node.module.routes.length > 0;
      default:
        return true;
    }
  }

  private topOf(folder: string, parent: SvcNode | undefined): SvcNode[] {
    const data = this.folders.get(folder)?.data;
    if (!data) return [];
    if (this.groupBy === 'package') return data.packages.map((pkg) => this.intern({ kind: 'package', id: `${folder}|pkg|${pkg.dir}`, folder, pkg, parent }));
    const groups = new Map<string, number[]>();
    data.services.forEach((s, i) => {
      const key = s.routePrefix ?? '';
      const list = groups.get(key);
      if (list) list.push(i);
      else groups.set(key, [i]);
    });
    return [...groups.keys()]
      .sort((a, b) => (a === '' ? 1 : b === '' ? -1 : a < b ? -1 : a > b ? 1 : 0))
      .map((key) => this.intern({ kind: 'prefix', id: `${folder}|prefix|${key}`, folder, prefix: key || null, services: groups.get(key)!, parent }));
  }

  private computeChildren(node: SvcNode): SvcNode[] {
    const data = this.folders.get(node.folder)?.data;
    if (!data) return [];
    const { folder } = node;
    switch (node.kind) {
      case 'folder':
        return this.topOf(folder, node);
      case 'package':
        return node.pkg.modules.map((i) => data.modules[i]).map((module) => ({ kind: 'module', id: `${folder}|mod|${module.file}`, folder, module, parent: node }));
      case 'prefix':
        return node.services.map((i) => this.serviceNode(folder, data.services[i], node));
      case 'module': {
        const services = node.module.services.map((i) => this.serviceNode(folder, data.services[i], node));
        const count = new Map<string, number>();
        const routes: SvcNode[] = node.module.routes.map((i) => {
          const route = data.routes[i];
          const key = `${route.line}|${route.method} ${route.path}|${route.app ?? ''}`;
          const n = count.get(key) ?? 0;
          count.set(key, n + 1);
          return { kind: 'route', id: `${node.id}|route|${key}|${n}`, folder, route, parent: node };
        });
        return [...services, ...routes];
      }
      case 'service':
        return node.service.methods.map((method) => ({ kind: 'method', id: `${node.id}|${method.name}:${method.line}`, folder, service: node.service, method, parent: node }));
      default:
        return [];
    }
  }

  private serviceNode(folder: string, service: ServiceEntry, parent: SvcNode): SvcNode {
    return { kind: 'service', id: `${parent.id}|svc|${service.id}`, folder, service, parent };
  }

  /** The module node of a file (its ancestors loaded), for "reveal active file". */
  moduleNode(folder: string, file: string): SvcNode | undefined {
    if (this.groupBy !== 'package') return undefined;
    const data = this.folders.get(folder)?.data;
    const index = data?.modules.findIndex((m) => m.file === file) ?? -1;
    if (!data || index < 0) return undefined;
    const top = this.roots();
    const scope = top.find((n) => n.kind === 'folder' && n.folder === folder);
    const packages = scope ? this.children(scope) : top.filter((n) => n.folder === folder);
    for (const p of packages) {
      if (p.kind !== 'package' || !p.pkg.modules.includes(index)) continue;
      return this.children(p).find((m) => m.kind === 'module' && m.module.file === file);
    }
    return undefined;
  }

  look(node: SvcNode): Look {
    const collapsible = this.hasChildren(node) ? 'collapsed' : 'none';
    switch (node.kind) {
      case 'folder':
        return { label: node.name, contextValue: 'folder', icon: { id: 'root-folder' }, collapsible: 'expanded' };
      case 'package': {
        const p = node.pkg;
        const counts = [plural(p.services, 'service'), plural(p.routes, 'route')].join(' · ');
        return {
          label: p.label,
          description: p.routePrefix && p.routePrefix !== '/' && p.routes ? `${p.routePrefix} · ${counts}` : counts,
          tooltip: [`**${p.name}**`, `\`${p.dir}/\``, `${plural(p.modules.length, 'indexed module')}, ${counts}`, p.configured ? 'configured in `services.packages`' : ''].filter(Boolean).join('  \n'),
          contextValue: p.configured ? 'package-configured' : 'package',
          icon: { id: 'package' },
          collapsible: this.roots().length === 1 ? 'expanded' : 'collapsed',
        };
      }
      case 'prefix':
        return {
          label: node.prefix ?? '(no route)',
          description: plural(node.services.length, 'service'),
          tooltip: node.prefix ? `Services used by handlers under \`${node.prefix}\`` : 'Services no route handler uses',
          contextValue: 'prefix',
          icon: { id: node.prefix ? 'link' : 'circle-outline' },
          collapsible: 'collapsed',
        };
      case 'module':
        return this.moduleLook(node.module, collapsible);
      case 'service':
        return this.serviceLook(node.service, collapsible);
      case 'method': {
        const m = node.method;
        return {
          label: m.name,
          description: m.deprecated ? 'deprecated' : undefined,
          tooltip: [`\`${node.service.name}.${m.name}\``, `\`${node.service.file}\`:${m.line}`, m.reason ? `Deprecated: ${m.reason}` : ''].filter(Boolean).join('  \n'),
          contextValue: m.deprecated ? 'method-deprecated' : 'method',
          icon: m.deprecated ? { id: 'warning', color: 'warning' } : { id: 'symbol-method' },
          collapsible: 'none',
          open: { file: node.service.file, line: m.line },
        };
      }
      case 'route': {
        const r = node.route;
        return {
          label: `${r.method} ${r.path}`,
          description: [r.deprecated ? 'deprecated' : '', r.handler ?? ''].filter(Boolean).join(' · ') || undefined,
          tooltip: [`**${r.method}** \`${r.path}\``, r.handler ? `handler \`${r.handler}\`` : '', `\`${r.file}\`:${r.line}`, r.app ? `app \`${r.app}\`` : '', r.services.length ? `uses ${r.services.map(short).join(', ')}` : ''].filter(Boolean).join('  \n'),
          contextValue: r.deprecated ? 'route-deprecated' : 'route',
          icon: r.deprecated ? { id: 'warning', color: 'warning' } : { id: 'globe' },
          collapsible: 'none',
          open: { file: r.file, line: r.line },
        };
      }
    }
  }

  private moduleLook(m: ModuleEntry, collapsible: Look['collapsible']): Look {
    const counts = [m.services.length ? plural(m.services.length, 'service') : '', m.routes.length ? plural(m.routes.length, 'route') : ''].filter(Boolean).join(' · ');
    const symbols = m.deprecatedSymbols.length ? `deprecated: ${m.deprecatedSymbols.map((s) => s.name).join(', ')}` : '';
    return {
      label: m.path,
      description: m.deprecated ? deprecatedText(m.replacement) : [counts, symbols].filter(Boolean).join(' · ') || undefined,
      tooltip: [`**${m.name}**`, `\`${m.file}\``, m.deprecated ? '**Deprecated**' : '', ...(m.deprecated ? reasonLines(m) : []), symbols].filter(Boolean).join('  \n'),
      contextValue: m.deprecated ? 'module-deprecated' : 'module',
      icon: m.deprecated ? { id: 'warning', color: 'warning' } : { id: m.language === 'python' ? 'file-code' : 'file' },
      collapsible,
      open: { file: m.file, line: 1 },
    };
  }

  private serviceLook(s: ServiceEntry, collapsible: Look['collapsible']): Look {
    const prefix = s.routePrefixes.length ? s.routePrefixes.join(', ') : '';
    const counts = [plural(s.methods.length, 'method'), s.routes ? plural(s.routes, 'route') : ''].filter(Boolean).join(' · ');
    return {
      label: s.name,
      description: s.deprecated ? deprecatedText(s.replacement) : [prefix, counts].filter(Boolean).join(' · '),
      tooltip: [`**${s.name}**`, `\`${s.module}\``, `\`${s.file}\`:${s.line}`, prefix ? `API prefix: \`${prefix}\`` : '', s.deprecated ? '**Deprecated**' : '', ...(s.deprecated ? reasonLines(s) : [])].filter(Boolean).join('  \n'),
      contextValue: s.deprecated ? 'service-deprecated' : 'service',
      icon: s.deprecated ? { id: 'warning', color: 'warning' } : { id: 'symbol-class' },
      collapsible,
      open: { file: s.file, line: s.line },
    };
  }

  /** What the view shows, as plain data (children to `depth` levels). */
  snapshot(depth = Infinity, nodes: SvcNode[] = this.roots()): Snapshot[] {
    return nodes.map((n) => {
      const l = this.look(n);
      const out: Snapshot = { label: l.label, description: l.description, tooltip: l.tooltip, contextValue: l.contextValue, icon: l.icon.id, ...(l.open ? { open: l.open } : {}) };
      if (depth > 0 && this.hasChildren(n)) out.children = this.snapshot(depth - 1, this.children(n));
      return out;
    });
  }
}
