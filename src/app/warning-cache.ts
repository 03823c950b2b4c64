/**
 * What the early-warning view reads from the store depends on the caller only through the scope
 * keys below, and on the store only through its state. Every write appends to the log in the same
 * transaction as its rows, so the log size names that state: (log size, scope) names what a caller
 * reads. The size must be read before the rows — rows read after it are at least that new, and an
 * entry built from newer rows is never served again, because by then the size has grown.
 */
import { readsUnpublishedReports } from '../domain/policy.js';
import type { Principal } from '../domain/principal.js';
import { visibleLevels } from '../store/scope.js';

/**
 * Least recently used first out, over a Map (which iterates in insertion order). It holds promises,
 * so concurrent requests for one key share one computation.
 */
export class Lru<V> {
  private readonly items = new Map<string, Promise<V>>();

  constructor(private readonly max: number) {}

  get size(): number {
    return this.items.size;
  }

  /** The value under `key`, computed by `compute` on a miss; a failed computation is not kept. */
  getOrCompute(key: string, compute: () => Promise<V>): Promise<V> {
    const hit = this.items.get(key);
    if (hit) {
      this.items.delete(key);
      this.items.set(key, hit);
      return hit;
    }
    const value = compute();
    this.items.set(key, value);
    for (const k of this.items.keys()) {
      if (this.items.size <= this.max) break;
      this.items.delete(k);
    }
    value.catch(() => {
      if (this.items.get(key) === value) this.items.delete(key);
    });
    return value;
  }
}

/** Incidents and claims are filtered by the caller's visibility levels and by nothing else. */
export function eventsScope(p: Principal): string {
  return visibleLevels(p).join(',');
}

/**
 * Monitors' reports go by role, not only by level: readers see every report in their levels,
 * everyone else only the published ones whatever their levels, so all non-readers share one key.
 */
export function peaceScope(p: Principal): string {
  return readsUnpublishedReports(p) ? `reader:${visibleLevels(p).join(',')}` : 'published';
}
