import type { Period } from './window.js';

// Helpers that turn facts into the short English of the steps. Times are always UTC here;
// the interface shows Pakistan and Afghanistan time beside them.

const pad = (n: number): string => String(n).padStart(2, '0');

function utcDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

function utcClock(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** "2025-10-15 13:00" (UTC). */
export function instant(ms: number): string {
  if (!Number.isFinite(ms)) return ms === Infinity ? 'no end' : 'an unreadable time';
  return `${utcDay(ms)} ${utcClock(ms)}`;
}

/** "2025-10-17 12:30–18:30 UTC", or with both dates when it spans midnight. */
export function interval(from: number, to: number): string {
  if (!Number.isFinite(from) || !Number.isFinite(to)) return `${instant(from)} – ${instant(to)} UTC`;
  if (utcDay(from) === utcDay(to)) return `${utcDay(from)} ${utcClock(from)}–${utcClock(to)} UTC`;
  return `${instant(from)} – ${instant(to)} UTC`;
}

/** "[2025-10-15 13:00, 2025-10-19 13:00) UTC" or "[2025-10-19 13:00, no end) UTC". */
export function period(p: Period): string {
  return `[${instant(p.from)}, ${instant(p.to)}) UTC`;
}

/** "a", "a and b", "a, b and c". */
export function list(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** "(claim c1)" / "(claims c1, c2)"; empty for none. */
export function cite(claimIds: readonly string[]): string {
  if (claimIds.length === 0) return '';
  return claimIds.length === 1 ? `(claim ${claimIds[0]})` : `(claims ${claimIds.join(', ')})`;
}

export function isoOrNull(ms: number): string | null {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

export function uniq<T>(items: Iterable<T>): T[] {
  return [...new Set(items)];
}
