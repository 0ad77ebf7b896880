/**
 * The navigation index as plain data: the JSON of `codenav services` and the
 * model of the Services view. Contract fields (CLI-CONTRACT.md) come first in
 * each type; the rest are additions. Lines are 1-based, paths root-relative.
 */

export type NavLanguage = 'python' | 'typescript';
export type Framework = 'fastapi' | 'nestjs' | 'nextjs' | 'nextjs-pages' | 'express';
export type DeprecationSource = 'config' | 'pep702' | 'docstring' | 'comment' | 'warning' | 'jsdoc' | 'route';

export interface MethodEntry {
  name: string;
  line: number;
  deprecated: boolean;
  reason: string | null;
}

export interface ServiceEntry {
  name: string;
  /** Dotted module (Python) or root-relative module path without extension (TypeScript). */
  module: string;
  file: string;
  line: number;
  /** Common prefix of the mount prefixes of the routes whose handlers use the service. */
  routePrefix: string | null;
  deprecated: boolean;
  /** The replacement module (or symbol) named by the deprecation, resolved to its full name when indexed. */
  replacement: string | null;
  /** Every distinct mount prefix of those routes, in route order. */
  routePrefixes: string[];
  /** `Module.Class`, unique in the index. */
  id: string;
  kind: 'class' | 'injectable';
  language: NavLanguage;
  /** Name of the package entry holding the module. */
  package: string | null;
  methods: MethodEntry[];
  /** Number of routes whose handlers use the service. */
  routes: number;
  reason: string | null;
  removeBy: string | null;
  replacementFile: string | null;
}

export interface RouteEntry {
  method: string;
  path: string;
  file: string;
  line: number;
  framework: Framework;
  language: NavLanguage;
  /** Handler function (`get_invoice`, `InvoicesController.findOne`), when named. */
  handler: string | null;
  /** The application the route is registered on (`acme.platform.main:app`), null for an unmounted router. */
  app: string | null;
  /** What the mounts put in front of the path written at the handler. */
  prefix: string;
  deprecated: boolean;
  /** Ids of the services the handler uses (directly, through its parameters or its dependencies). */
  services: string[];
  module: string;
  package: string | null;
}

export interface ModuleEntry {
  name: string;
  file: string;
  language: NavLanguage;
  package: string | null;
  /** Path below the package folder (`invoicing/service.py`), for display. */
  path: string;
  deprecated: boolean;
  replacement: string | null;
  replacementFile: string | null;
  reason: string | null;
  removeBy: string | null;
  /** Indexes into `services`. */
  services: number[];
  /** Indexes into `routes` of the routes declared in this file. */
  routes: number[];
  /** Deprecated functions and classes of the module (PEP 702, JSDoc, docstrings, config). */
  deprecatedSymbols: { name: string; line: number; reason: string | null; replacement: string | null }[];
}

export interface PackageEntry {
  /** Dotted package (`acme.platform.billing`) or the folder for TypeScript. */
  name: string;
  label: string;
  dir: string;
  language: NavLanguage;
  configured: boolean;
  /** Indexes into `modules`, sorted by path. */
  modules: number[];
  services: number;
  routes: number;
  routePrefix: string | null;
  /** Every source file below `dir` (relative to it), for the guide's directory structure. */
  files: string[];
  filesTruncated: boolean;
}

/** What every deprecation carries, whatever marked it. */
export interface DeprecationInfo {
  source: DeprecationSource;
  reason: string | null;
  replacement: string | null;
  replacementFile: string | null;
  removeBy: string | null;
}

export interface DeprecationRecord extends DeprecationInfo {
  kind: 'module' | 'symbol' | 'route';
  /** Module name, `module.Symbol`, or `METHOD path`. */
  name: string;
  file: string;
  line: number;
}

export interface AppEntry {
  name: string;
  framework: Framework;
  /** Python source root, or the project folder of a TypeScript app. */
  root: string;
  file: string;
  line: number;
  routes: number;
}

export interface NavigationProblem {
  file: string;
  line: number;
  message: string;
}

export interface NavigationData {
  services: ServiceEntry[];
  routes: RouteEntry[];
  modules: ModuleEntry[];
  packages: PackageEntry[];
  deprecations: DeprecationRecord[];
  apps: AppEntry[];
  /** Things the static reading could not follow (a computed prefix, an unresolved router). */
  problems: NavigationProblem[];
}

export function emptyNavigationData(): NavigationData {
  return { services: [], routes: [], modules: [], packages: [], deprecations: [], apps: [], problems: [] };
}

/** Code-unit order: the same on every machine and locale, so outputs stay byte-identical. */
export function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
