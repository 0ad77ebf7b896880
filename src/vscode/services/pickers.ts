import vscode = require('vscode');
import type { NavigationData, RouteEntry, ServiceEntry } from '../../core/navigation';
import { openAt } from '../convert';
import type { AnalysisHost } from '../host';

/** What "Go to Service…" / "Go to Route…" opened: root-relative file and 1-based line. */
export interface Opened {
  folder: string;
  file: string;
  line: number;
}

interface Indexed {
  folder: vscode.WorkspaceFolder;
  data: NavigationData;
}

/** The navigation index of every open folder (analysing a folder first if needed). */
export async function indexes(host: AnalysisHost): Promise<Indexed[]> {
  const states = await Promise.all(host.folders().filter((f) => f.uri.scheme === 'file').map((f) => host.ensure(f)));
  return states.flatMap((s) => {
    const data = s.results.navigation?.data as NavigationData | undefined;
    return data ? [{ folder: s.folder, data }] : [];
  });
}

async function open(folder: vscode.WorkspaceFolder, file: string, line: number): Promise<Opened> {
  await openAt(folder, file, line - 1);
  return { folder: folder.name, file, line };
}

interface Located {
  file: string;
  line: number;
}

interface Candidate<T> {
  folder: vscode.WorkspaceFolder;
  target: T;
}

/** One "Go to …" command: what it lists, how a string argument picks directly, how an item looks. */
interface Picker<T extends Located> {
  list(data: NavigationData): T[];
  /** The candidate a string argument names, when it names exactly one (else the picker opens on the matches). */
  direct(all: Indexed[], query: string): { matches: Candidate<T>[]; only?: Candidate<T> };
  item(t: T, folder: string | undefined): vscode.QuickPickItem;
  placeHolder: string;
}

/** Service by id (`module.Class`), by `module:Class`, or by name (the current one first when a deprecated twin exists). */
export function findService(all: Indexed[], query: string): Candidate<ServiceEntry>[] {
  const q = query.trim();
  const flat = all.flatMap(({ folder, data }) => data.services.map((target) => ({ folder, target })));
  const exact = flat.filter(({ target }) => target.id === q || `${target.module}:${target.name}` === q);
  if (exact.length) return exact;
  return flat.filter(({ target }) => target.name === q).sort((a, b) => Number(a.target.deprecated) - Number(b.target.deprecated));
}

/** Routes named "METHOD path". */
export function findRoute(all: Indexed[], query: string): Candidate<RouteEntry>[] {
  const [method, ...rest] = query.trim().split(/\s+/);
  const path = rest.join(' ');
  return all.flatMap(({ folder, data }) => data.routes.filter((r) => r.method === method.toUpperCase() && r.path === path).map((target) => ({ folder, target })));
}

const SERVICES: Picker<ServiceEntry> = {
  list: (data) => data.services,
  direct: (all, query) => {
    const matches = findService(all, query);
    const current = matches.filter((c) => !c.target.deprecated);
    return { matches, only: matches.length === 1 ? matches[0] : current.length === 1 ? current[0] : undefined };
  },
  item: (s, folder) => ({
    label: `$(${s.deprecated ? 'warning' : 'symbol-class'}) ${s.name}`,
    description: s.module,
    detail: [`${s.file}:${s.line}`, s.routePrefixes.join(', '), s.deprecated ? `deprecated${s.replacement ? ` → ${s.replacement}` : ''}` : '', folder ?? ''].filter(Boolean).join(' · '),
  }),
  placeHolder: 'Go to service (name, module or path)',
};

const ROUTES: Picker<RouteEntry> = {
  list: (data) => data.routes,
  direct: (all, query) => {
    const matches = findRoute(all, query);
    return { matches, only: matches.length === 1 ? matches[0] : undefined };
  },
  item: (r, folder) => ({
    label: `$(${r.deprecated ? 'warning' : 'globe'}) ${r.method} ${r.path}`,
    description: r.handler ?? undefined,
    detail: [`${r.file}:${r.line}`, r.module, r.deprecated ? 'deprecated' : '', folder ?? ''].filter(Boolean).join(' · '),
  }),
  placeHolder: 'Go to route (method, path, handler or file)',
};

async function goTo<T extends Located>(host: AnalysisHost, picker: Picker<T>, query: unknown): Promise<Opened | undefined> {
  const all = await indexes(host);
  let candidates: Candidate<T>[] = all.flatMap(({ folder, data }) => picker.list(data).map((target) => ({ folder, target })));
  if (typeof query === 'string' && query.trim()) {
    const { matches, only } = picker.direct(all, query);
    if (only) return open(only.folder, only.target.file, only.target.line);
    candidates = matches;
  }
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(typeof query === 'string' && query.trim() ? `Nothing in the services index matches "${query}".` : 'The services index is empty: no services or routes were found in this workspace.');
    return undefined;
  }
  const multi = all.length > 1;
  const items = candidates.map((c) => ({ ...picker.item(c.target, multi ? c.folder.name : undefined), c }));
  const chosen = await vscode.window.showQuickPick(items, { placeHolder: picker.placeHolder, matchOnDescription: true, matchOnDetail: true });
  return chosen ? open(chosen.c.folder, chosen.c.target.file, chosen.c.target.line) : undefined;
}

/** "Go to Service…". A string argument (a service name or id) opens that service without asking, for keybindings and automation. */
export function goToService(host: AnalysisHost, query?: unknown): Promise<Opened | undefined> {
  return goTo(host, SERVICES, query);
}

/** "Go to Route…". A string argument "METHOD path" opens that route directly. */
export function goToRoute(host: AnalysisHost, query?: unknown): Promise<Opened | undefined> {
  return goTo(host, ROUTES, query);
}
