/** A small seeded PRNG (mulberry32) with the helpers the generators need. Same seed, same workspace. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** `n` distinct items (fewer when the list is shorter). */
  sample<T>(items: readonly T[], n: number): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy.slice(0, Math.max(0, n));
  }

  /** Lower-case hex digits, like an Alembic revision id. */
  hex(length: number): string {
    let s = '';
    while (s.length < length) s += Math.floor(this.next() * 16).toString(16);
    return s;
  }

  /** A child generator, so one part's randomness does not shift another's. */
  fork(salt: number): Rng {
    return new Rng((this.int(0, 0x7fffffff) ^ Math.imul(salt + 1, 0x9e3779b1)) >>> 0);
  }
}

export const DOMAINS = [
  'billing', 'booking', 'catalog', 'identity', 'inventory', 'logistics', 'messaging', 'analytics',
  'payments', 'search', 'pricing', 'support', 'compliance', 'scheduling', 'reporting', 'notifications',
  'accounts', 'fulfilment', 'loyalty', 'marketing', 'procurement', 'warehouse', 'partners', 'content',
] as const;

export const ENTITIES = [
  'invoice', 'booking', 'product', 'customer', 'order', 'shipment', 'message', 'report', 'payment',
  'refund', 'ticket', 'document', 'voucher', 'supplier', 'contract', 'campaign', 'segment', 'slot',
  'resource', 'location', 'tenant', 'webhook', 'export', 'audit_entry', 'price_rule', 'credit_note',
  'subscription', 'plan', 'coupon', 'parcel', 'carrier', 'route', 'warehouse_bin', 'stock_item',
  'reservation', 'claim', 'dispute', 'review', 'survey', 'template', 'attachment', 'comment',
  'notification', 'device', 'session', 'api_key', 'role', 'permission', 'team', 'project',
] as const;

export const FIELDS = [
  'status', 'reference', 'amount_cents', 'currency', 'description', 'created_at', 'updated_at',
  'owner_id', 'tenant_id', 'external_id', 'priority', 'due_at', 'closed_at', 'notes', 'quantity',
  'title', 'email', 'phone', 'country', 'locale', 'is_active', 'version', 'score', 'label',
] as const;

export const VERBS = ['sync', 'rebuild', 'reconcile', 'expire', 'recalculate', 'notify', 'archive', 'import', 'export', 'validate'] as const;

export function pascal(snake: string): string {
  return snake
    .split(/[_\-/]/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}

export function camel(snake: string): string {
  const p = pascal(snake);
  return p[0].toLowerCase() + p.slice(1);
}

export function kebab(snake: string): string {
  return snake.replace(/_/g, '-');
}

export function plural(word: string): string {
  if (/(s|x|ch|sh)$/.test(word)) return word + 'es';
  if (/[^aeiou]y$/.test(word)) return word.slice(0, -1) + 'ies';
  return word + 's';
}

/** Lines joined with a final newline; `false` and `undefined` entries (optional lines) are left out. */
export const lines = (...ls: (string | false | undefined)[]): string => ls.filter((l) => l !== false && l !== undefined).join('\n') + '\n';
