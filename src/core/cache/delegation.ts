import { invalidatesSomething, type LinkedUnit } from './link';
import type { CacheRef, CacheWrite } from './model';
import { inOrder, type Placed, type Rank } from './reach';

function norm(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, '');
}

interface Target extends Placed {
  u: LinkedUnit;
  w: CacheWrite;
  /** The unit's name, normalised. */
  name: string;
}

/**
 * Invalidating data writes of the workspace by name, in workspace order, to
 * tell where a `receiver.method(…)` call in a write delegates to:
 * `service.create_booking(…)` in a route reaches BookingService.create_booking.
 * Files are added and removed as they change.
 */
export class Delegation {
  private readonly files = new Map<string, Target[]>();
  private readonly byName = new Map<string, Target[]>();
  private readonly unsorted = new Set<string>();
  private readonly reachable = new Map<string, Target[]>();

  constructor(private readonly rank: Rank) {}

  add(file: string, units: readonly LinkedUnit[]): void {
    const own: Target[] = [];
    for (const u of units) {
      const name = norm(u.raw.name);
      for (const w of u.writes) {
        if (w.kind !== 'write' || !invalidatesSomething(w)) continue;
        const t: Target = { u, w, name, file, i: own.length };
        own.push(t);
        const list = this.byName.get(w.name);
        if (list) list.push(t);
        else this.byName.set(w.name, [t]);
        this.unsorted.add(w.name);
      }
    }
    this.files.set(file, own);
    if (own.length) this.reachable.clear();
  }

  remove(file: string): void {
    const own = this.files.get(file) ?? [];
    for (const t of own) {
      const list = this.byName.get(t.w.name) ?? [];
      list.splice(list.indexOf(t), 1);
      if (!list.length) this.byName.delete(t.w.name);
    }
    this.files.delete(file);
    if (own.length) this.reachable.clear();
  }

  /** The first invalidating write of another unit that a write of `lu` reaches through a member call, if any. */
  target(lu: LinkedUnit, w: CacheWrite): CacheRef | undefined {
    if (invalidatesSomething(w)) return undefined;
    for (const call of lu.fns.get(w.name)?.memberCalls ?? []) {
      if (!this.byName.has(call.method)) continue;
      const hit = this.targets(call.method, norm(call.receiver)).find((t) => t.u.raw !== lu.raw);
      if (hit) return { service: hit.u.raw.name, name: hit.w.name, file: hit.u.file, line: hit.w.line };
    }
    return undefined;
  }

  /** Writes named `method` whose unit the receiver names (`bookingService`, `booking_repo`, `service`), by method and receiver. */
  private targets(method: string, receiver: string): Target[] {
    const at = `${method}\0${receiver}`;
    let list = this.reachable.get(at);
    if (!list) {
      const named = this.byName.get(method) ?? [];
      if (this.unsorted.delete(method)) inOrder(this.rank, named);
      list = named.filter(({ u, name }) => name.includes(receiver) || receiver.includes(name) || (!!u.raw.entity && receiver.includes(u.raw.entity)));
      this.reachable.set(at, list);
    }
    return list;
  }
}
