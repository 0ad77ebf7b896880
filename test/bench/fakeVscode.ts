/**
 * A minimal, permissive stand-in for the `vscode` module, enough to load the bundled extension
 * in plain Node and run `activate()`. The parts activation really uses (configuration with the
 * package.json defaults, events, output channels, Uri, tree items …) behave; anything else is a
 * callable, constructible stub, so feature code that lands later keeps loading.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

type Listener<T> = (e: T) => unknown;

export class Disposable {
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((d) => d.dispose()));
  }
  constructor(private readonly fn: () => unknown = () => undefined) {}
  dispose(): void {
    this.fn();
  }
}

export class EventEmitter<T> {
  private listeners = new Set<Listener<T>>();
  readonly event = (listener: Listener<T>, thisArg?: unknown, bucket?: Disposable[]): Disposable => {
    const bound: Listener<T> = (e) => listener.call(thisArg, e);
    this.listeners.add(bound);
    const d = new Disposable(() => this.listeners.delete(bound));
    bucket?.push(d);
    return d;
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly fsPath: string,
  ) {}
  static file(p: string): Uri {
    return new Uri('file', path.resolve(p));
  }
  static parse(s: string): Uri {
    return s.startsWith('file://') ? Uri.file(decodeURIComponent(s.slice(7))) : new Uri(s.split(':')[0], s);
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri(base.scheme, path.join(base.fsPath, ...parts));
  }
  get path(): string {
    return this.fsPath.split(path.sep).join('/');
  }
  with(change: { path?: string }): Uri {
    return new Uri(this.scheme, change.path ?? this.fsPath);
  }
  toString(): string {
    return this.scheme === 'file' ? `file://${this.path}` : this.fsPath;
  }
  toJSON(): string {
    return this.toString();
  }
}

/** A value that can be called, constructed, awaited (resolves to itself, not a thenable) and read from at any depth. */
export function stub(name: string): unknown {
  const children = new Map<PropertyKey, unknown>();
  const target = function () {
    /* stub */
  };
  return new Proxy(target, {
    get(_t, key) {
      if (key === 'then') return undefined;
      if (key === Symbol.toPrimitive) return () => name;
      if (key === Symbol.iterator) return function* () {};
      if (key === 'toString' || key === 'toJSON') return () => name;
      if (key === 'prototype') return target.prototype;
      if (key === 'event') return (..._args: unknown[]) => new Disposable();
      if (!children.has(key)) children.set(key, stub(`${name}.${String(key)}`));
      return children.get(key);
    },
    set(_t, key, value) {
      children.set(key, value);
      return true;
    },
    apply: () => stub(`${name}()`),
    construct: () => stub(`new ${name}`) as object,
  });
}

const noEvent = () => (_listener: unknown) => new Disposable();

/** Wraps a namespace so unknown members are stubs instead of `undefined`. */
function permissive<T extends object>(name: string, known: T): T {
  return new Proxy(known, {
    get(t, key) {
      if (key in t) return (t as Record<PropertyKey, unknown>)[key];
      if (typeof key === 'string' && key.startsWith('onDid')) return noEvent();
      if (key === 'then') return undefined;
      return ((t as Record<PropertyKey, unknown>)[key] = stub(`${name}.${String(key)}`));
    },
  });
}

function defaultsFromPackageJson(repoRoot: string): Map<string, unknown> {
  const defaults = new Map<string, unknown>();
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { contributes?: { configuration?: { properties?: Record<string, { default?: unknown }> } } };
  for (const [key, spec] of Object.entries(pkg.contributes?.configuration?.properties ?? {})) defaults.set(key, spec.default);
  return defaults;
}

export interface FakeVscodeOptions {
  repoRoot: string;
  /** Workspace folders to open; none by default. */
  folders?: string[];
  /** Called with every line written to an output channel (`[info] analysed …`). */
  onLog?: (channel: string, line: string) => void;
}

class OutputChannel {
  constructor(
    readonly name: string,
    private readonly sink?: (channel: string, line: string) => void,
  ) {}
  readonly logLevel = 2;
  readonly onDidChangeLogLevel = noEvent();
  private write(level: string, args: unknown[]): void {
    this.sink?.(this.name, `[${level}] ${args.map(String).join(' ')}`);
  }
  append = (s: string) => this.write('raw', [s]);
  appendLine = (s: string) => this.write('raw', [s]);
  replace = () => undefined;
  clear = () => undefined;
  trace = (...a: unknown[]) => this.write('trace', a);
  debug = (...a: unknown[]) => this.write('debug', a);
  info = (...a: unknown[]) => this.write('info', a);
  warn = (...a: unknown[]) => this.write('warn', a);
  error = (...a: unknown[]) => this.write('error', a);
  show = () => undefined;
  hide = () => undefined;
  dispose = () => undefined;
}

/** A class that keeps its constructor arguments under the given names. */
function plain(...fields: string[]): new (...args: unknown[]) => Record<string, unknown> {
  return class {
    constructor(...args: unknown[]) {
      fields.forEach((f, i) => ((this as Record<string, unknown>)[f] = args[i]));
    }
  } as new (...args: unknown[]) => Record<string, unknown>;
}

function enumOf(...names: string[]): Record<string, number> {
  return Object.fromEntries(names.map((n, i) => [n, i]));
}

export function createFakeVscode(options: FakeVscodeOptions): Record<string, unknown> {
  const defaults = defaultsFromPackageJson(options.repoRoot);
  const folders = (options.folders ?? []).map((f, index) => ({ uri: Uri.file(f), name: path.basename(f), index }));
  const getConfiguration = (section?: string) => ({
    get: (key: string, fallback?: unknown) => {
      const v = defaults.get(section ? `${section}.${key}` : key);
      return v === undefined ? fallback : v;
    },
    has: (key: string) => defaults.has(section ? `${section}.${key}` : key),
    inspect: () => undefined,
    update: async () => undefined,
  });
  const watcher = () => ({ onDidChange: noEvent(), onDidCreate: noEvent(), onDidDelete: noEvent(), dispose: () => undefined, ignoreChangeEvents: false, ignoreCreateEvents: false, ignoreDeleteEvents: false });
  const collection = (name = 'fake') => {
    const entries = new Map<string, unknown>();
    return { name, set: (uri: Uri, d: unknown) => entries.set(String(uri), d), delete: (uri: Uri) => entries.delete(String(uri)), clear: () => entries.clear(), forEach: () => undefined, get: (uri: Uri) => entries.get(String(uri)), has: (uri: Uri) => entries.has(String(uri)), dispose: () => entries.clear() };
  };
  const disposable = () => new Disposable();
  const treeView = () => permissive('TreeView', { onDidChangeVisibility: noEvent(), onDidChangeSelection: noEvent(), onDidExpandElement: noEvent(), onDidCollapseElement: noEvent(), visible: false, selection: [], reveal: async () => undefined, dispose: () => undefined });
  const statusBarItem = () => permissive('StatusBarItem', { show: () => undefined, hide: () => undefined, dispose: () => undefined });

  class TreeItem {
    constructor(
      public label: unknown,
      public collapsibleState?: number,
    ) {}
  }
  class ThemeIcon {
    static readonly File = new ThemeIcon('file');
    static readonly Folder = new ThemeIcon('folder');
    constructor(
      readonly id: string,
      readonly color?: unknown,
    ) {}
  }
  class Position {
    constructor(
      readonly line: number,
      readonly character: number,
    ) {}
  }
  class Range {
    readonly start: Position;
    readonly end: Position;
    constructor(a: number | Position, b: number | Position, c?: number, d?: number) {
      this.start = typeof a === 'number' ? new Position(a, b as number) : a;
      this.end = typeof a === 'number' ? new Position(c ?? 0, d ?? 0) : (b as Position);
    }
  }
  class CodeActionKind {
    static readonly QuickFix = new CodeActionKind('quickfix');
    static readonly Refactor = new CodeActionKind('refactor');
    static readonly Empty = new CodeActionKind('');
    constructor(readonly value: string) {}
    append(part: string): CodeActionKind {
      return new CodeActionKind(this.value ? `${this.value}.${part}` : part);
    }
  }

  const known = {
    version: '1.100.0',
    Disposable,
    EventEmitter,
    Uri,
    TreeItem,
    ThemeIcon,
    ThemeColor: class {
      constructor(readonly id: string) {}
    },
    Position,
    Range,
    Selection: Range,
    CodeActionKind,
    Diagnostic: plain('range', 'message', 'severity'),
    DiagnosticRelatedInformation: plain('location', 'message'),
    Location: plain('uri', 'range'),
    CodeAction: plain('title', 'kind'),
    CodeLens: plain('range', 'command'),
    WorkspaceEdit: class {
      readonly edits: unknown[] = [];
      replace = (...a: unknown[]) => this.edits.push(['replace', ...a]);
      insert = (...a: unknown[]) => this.edits.push(['insert', ...a]);
      delete = (...a: unknown[]) => this.edits.push(['delete', ...a]);
      createFile = (...a: unknown[]) => this.edits.push(['createFile', ...a]);
      renameFile = (...a: unknown[]) => this.edits.push(['renameFile', ...a]);
    },
    RelativePattern: plain('base', 'pattern'),
    MarkdownString: class {
      constructor(public value = '') {}
      appendMarkdown(s: string) {
        this.value += s;
        return this;
      }
      appendText(s: string) {
        this.value += s;
        return this;
      }
    },
    TreeItemCollapsibleState: enumOf('None', 'Collapsed', 'Expanded'),
    DiagnosticSeverity: enumOf('Error', 'Warning', 'Information', 'Hint'),
    DiagnosticTag: { Unnecessary: 1, Deprecated: 2 },
    StatusBarAlignment: { Left: 1, Right: 2 },
    ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    FileType: { Unknown: 0, File: 1, Directory: 2, SymbolicLink: 64 },
    workspace: permissive('workspace', {
      workspaceFolders: folders.length ? folders : undefined,
      isTrusted: true,
      textDocuments: [],
      getConfiguration,
      getWorkspaceFolder: (uri: Uri) => folders.find((f) => uri.fsPath === f.uri.fsPath || uri.fsPath.startsWith(f.uri.fsPath + path.sep)),
      asRelativePath: (p: Uri | string) => String(typeof p === 'string' ? p : p.fsPath),
      createFileSystemWatcher: watcher,
      onDidChangeConfiguration: noEvent(),
      onDidChangeWorkspaceFolders: noEvent(),
      onDidGrantWorkspaceTrust: noEvent(),
      onDidSaveTextDocument: noEvent(),
      fs: permissive('workspace.fs', { stat: async () => ({ type: 1 }), readFile: async (u: Uri) => fs.readFileSync(u.fsPath), writeFile: async () => undefined }),
    }),
    window: permissive('window', {
      activeTextEditor: undefined,
      visibleTextEditors: [],
      createOutputChannel: (name: string) => new OutputChannel(name, options.onLog),
      createTreeView: treeView,
      registerTreeDataProvider: disposable,
      registerWebviewViewProvider: disposable,
      registerFileDecorationProvider: disposable,
      createStatusBarItem: statusBarItem,
      showInformationMessage: async () => undefined,
      showWarningMessage: async () => undefined,
      showErrorMessage: async () => undefined,
      withProgress: async (_o: unknown, task: (p: unknown, t: unknown) => unknown) => task({ report: () => undefined }, { isCancellationRequested: false, onCancellationRequested: noEvent() }),
      onDidChangeActiveTextEditor: noEvent(),
      onDidChangeVisibleTextEditors: noEvent(),
    }),
    languages: permissive('languages', {
      createDiagnosticCollection: collection,
      registerCodeActionsProvider: disposable,
      registerCodeLensProvider: disposable,
      registerHoverProvider: disposable,
      registerDefinitionProvider: disposable,
      registerDocumentLinkProvider: disposable,
      getDiagnostics: () => [],
    }),
    commands: permissive('commands', { registerCommand: disposable, registerTextEditorCommand: disposable, executeCommand: async () => undefined, getCommands: async () => [] }),
    env: permissive('env', { appName: 'fake', language: 'en', uiKind: 1 }),
    extensions: permissive('extensions', { getExtension: () => undefined, all: [] }),
    l10n: { t: (s: string | { message: string }) => (typeof s === 'string' ? s : s.message) },
  };
  return permissive('vscode', known);
}
