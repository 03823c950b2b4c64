import type { WarningEvent } from './events.js';
import { dyadKey } from './events.js';

export const DAY_MS = 86_400_000;
/** "The previous 6 months": 26 weeks, so it splits evenly into 7- and 28-day windows. */
export const BASELINE_DAYS = 182;

export interface WindowStat {
  readonly days: number;
  readonly events: number;
  readonly fatalities: number;
  /** Mean and population standard deviation over the baseline windows. */
  readonly baseline: { readonly windows: number; readonly events_mean: number; readonly events_sd: number; readonly fatalities_mean: number; readonly fatalities_sd: number };
  readonly events_z: number;
  readonly fatalities_z: number;
}

export interface Indicator {
  readonly by: 'dyad' | 'district';
  readonly key: string;
  readonly last7: WindowStat;
  readonly last28: WindowStat;
}

/**
 * z = (x − mean) / max(sd, 1). A flat baseline (sd 0, often all zeros) would divide by zero;
 * the floor of one event (or one death) keeps z finite, and z is then the excess over the mean.
 */
export function zScore(x: number, mean: number, sd: number): number {
  return (x - mean) / Math.max(sd, 1);
}

export function meanSd(xs: readonly number[]): { mean: number; sd: number } {
  if (xs.length === 0) return { mean: 0, sd: 0 };
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const v = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
  return { mean, sd: Math.sqrt(v) };
}

/**
 * One window [asOf − days, asOf) against the same window repeated over the 182 days before it
 * (26 windows of 7 days, 6 of 28). Events with a non-finite time or fatality count are ignored.
 */
export function windowStat(events: readonly WarningEvent[], asOf: number, days: number): WindowStat {
  const w = days * DAY_MS;
  const n = Math.max(1, Math.floor(BASELINE_DAYS / days));
  const ev = new Array<number>(n + 1).fill(0);
  const fa = new Array<number>(n + 1).fill(0);
  for (const e of events) {
    if (!Number.isFinite(e.at)) continue;
    const k = Math.floor((asOf - 1 - e.at) / w); // 0 = current window, 1..n = baseline
    if (e.at >= asOf || k < 0 || k > n) continue;
    ev[k]! += 1;
    fa[k]! += Number.isFinite(e.fatalities) && e.fatalities > 0 ? e.fatalities : 0;
  }
  const be = meanSd(ev.slice(1));
  const bf = meanSd(fa.slice(1));
  return {
    days,
    events: ev[0]!,
    fatalities: fa[0]!,
    baseline: { windows: n, events_mean: be.mean, events_sd: be.sd, fatalities_mean: bf.mean, fatalities_sd: bf.sd },
    events_z: zScore(ev[0]!, be.mean, be.sd),
    fatalities_z: zScore(fa[0]!, bf.mean, bf.sd),
  };
}

/** Indicators per dyad and per district, as of an instant; only keys with an event in the last 7 + 182 days. */
export function computeIndicators(events: readonly WarningEvent[], asOf: number): Indicator[] {
  const groups = new Map<string, { by: 'dyad' | 'district'; key: string; events: WarningEvent[] }>();
  const horizon = asOf - (28 + BASELINE_DAYS) * DAY_MS;
  for (const e of events) {
    if (!(e.at < asOf && e.at >= horizon)) continue;
    for (const [by, key] of [['dyad', dyadKey(e.dyad)], ['district', e.district]] as const) {
      const id = `${by}:${key}`;
      const g = groups.get(id) ?? { by, key, events: [] };
      g.events.push(e);
      groups.set(id, g);
    }
  }
  const out: Indicator[] = [];
  for (const g of groups.values()) out.push({ by: g.by, key: g.key, last7: windowStat(g.events, asOf, 7), last28: windowStat(g.events, asOf, 28) });
  return out.sort((x, y) => (x.by < y.by ? -1 : x.by > y.by ? 1 : 0) || y.last7.events_z - x.last7.events_z || (x.key < y.key ? -1 : 1));
}
