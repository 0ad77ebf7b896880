import { sameList } from './memo';

export interface RouteRecord {
  methods: string[];
  path: string;
  /** The path as written at the handler. */
  ownPath: string;
  file: string;
  /** 1-based. */
  line: number;
  handler: string | null;
  deprecated: boolean;
  /** `file#Class` of services the handler uses. */
  services: string[];
}

/**
 * The route records the FastAPI layer makes (per module whose code adds them)
 * and the copies `include_router` makes of them. Records are never changed
 * once made, and equal ones are handed back as the same objects across runs:
 * a module that runs again after a save gets its previous records back when
 * nothing in them differs, and includes of those get their previous copies,
 * so everything derived from them further on (rows, lists) is kept.
 */
export class RouteRecords {
  /** Module → records by content, this run; and those of the modules that run again, from their previous run. */
  private readonly made = new Map<string, Map<string, RouteRecord>>();
  private readonly madeBefore = new Map<string, Map<string, RouteRecord>>();
  private readonly copies = new WeakMap<RouteRecord, RouteRecord[]>();
  /** The copies an include made, by where it is and the prefix it adds. */
  private readonly included = new Map<string, { from: RouteRecord[]; copies: RouteRecord[] }>();

  /** The record `module` made with the same content in this run or its previous one, else `r`. */
  keep(module: string, r: RouteRecord): RouteRecord {
    const key = JSON.stringify(r);
    let made = this.made.get(module);
    if (!made) this.made.set(module, (made = new Map()));
    const hit = made.get(key) ?? this.madeBefore.get(module)?.get(key) ?? r;
    made.set(key, hit);
    return hit;
  }

  /** The modules will run again: their records of this run become the previous ones. */
  forget(modules: Iterable<string>): void {
    for (const m of modules) {
      const made = this.made.get(m);
      if (made && !this.madeBefore.has(m)) this.madeBefore.set(m, made);
      this.made.delete(m);
    }
  }

  /** After a run: records of a module's previous run are no longer handed back. */
  endRun(): void {
    this.madeBefore.clear();
  }

  /** Copies of routes included under a prefix; an include at the same place of the same routes gets its previous list. */
  include(routes: readonly RouteRecord[], prefix: string, deprecated: boolean, at: string): RouteRecord[] {
    const key = `${at}\0${prefix}\0${deprecated}`;
    const hit = this.included.get(key);
    if (hit && sameList(hit.from, routes)) return hit.copies;
    const copies = routes.map((r) => this.copyOf(r, prefix + r.path, r.deprecated || deprecated));
    this.included.set(key, { from: routes.slice(), copies });
    return copies;
  }

  private copyOf(r: RouteRecord, path: string, deprecated: boolean): RouteRecord {
    const list = this.copies.get(r) ?? [];
    let hit = list.find((c) => c.path === path && c.deprecated === deprecated);
    if (!hit) {
      hit = { ...r, path, deprecated };
      list.push(hit);
      this.copies.set(r, list);
    }
    return hit;
  }
}
