import type { WarningEvent } from './events.js';
import { byTime } from './events.js';

export const DEFAULT_CHAIN_WINDOW_HOURS = 72;
const HOUR_MS = 3_600_000;

export interface RetaliationChain {
  /** The side that acted first, and the side that answered. */
  readonly first: string;
  readonly second: string;
  readonly events: readonly string[];
  readonly length: number;
  readonly from: string;
  readonly to: string;
  readonly span_hours: number;
  /** Hours between each event and the one it answered (length − 1 entries). */
  readonly gaps_hours: readonly number[];
}

/**
 * A retaliation chain: an event by A against B, answered by B against A within the window
 * (measured start to start), answered in turn, and so on — A→B→A→B is one chain of length 4.
 * Only directed events take part. Each event joins at most one chain: the open chain, among those
 * whose last event it answers within the window, with the latest last event. Chains of length ≥ 2
 * are returned, longest first.
 */
export function detectChains(events: readonly WarningEvent[], windowHours = DEFAULT_CHAIN_WINDOW_HOURS): RetaliationChain[] {
  const windowMs = Math.max(0, windowHours) * HOUR_MS;
  let open: WarningEvent[][] = [];
  const closed: WarningEvent[][] = [];
  for (const e of [...events].filter((x) => x.dyad.directed && Number.isFinite(x.at)).sort(byTime)) {
    // A chain whose last event is older than the window can never be extended again.
    if (open.length > 64) {
      const keep: WarningEvent[][] = [];
      for (const c of open) (e.at - c[c.length - 1]!.at > windowMs ? closed : keep).push(c);
      open = keep;
    }
    let best: WarningEvent[] | null = null;
    for (const chain of open) {
      const last = chain[chain.length - 1]!;
      const gap = e.at - last.at;
      if (last.dyad.a === e.dyad.b && last.dyad.b === e.dyad.a && gap >= 0 && gap <= windowMs && last.id !== e.id) {
        if (!best || best[best.length - 1]!.at <= last.at) best = chain;
      }
    }
    if (best) best.push(e);
    else open.push([e]);
  }
  return [...closed, ...open]
    .filter((c) => c.length >= 2)
    .map((c) => {
      const first = c[0]!;
      const last = c[c.length - 1]!;
      return {
        first: first.dyad.a,
        second: first.dyad.b,
        events: c.map((x) => x.id),
        length: c.length,
        from: new Date(first.at).toISOString(),
        to: new Date(last.at).toISOString(),
        span_hours: (last.at - first.at) / HOUR_MS,
        gaps_hours: c.slice(1).map((x, i) => (x.at - c[i]!.at) / HOUR_MS),
      };
    })
    .sort((x, y) => y.length - x.length || (x.from < y.from ? -1 : x.from > y.from ? 1 : 0));
}
