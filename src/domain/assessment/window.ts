import type { Window } from '../agreement.js';

/** A stretch of time in UTC milliseconds, half-open [from, to); `to` is Infinity when open-ended. */
export interface Period {
  readonly from: number;
  readonly to: number;
}

/** Where an incident's interval falls relative to an agreement's period in force. */
export type Coverage =
  | { readonly kind: 'inside'; readonly period: Period }
  | { readonly kind: 'outside' }
  /** Overlaps the period in force without lying inside it; `boundaries` are the starts or ends it spans. */
  | { readonly kind: 'straddles'; readonly boundaries: readonly number[] };

/**
 * The union of an agreement's half-open windows as disjoint periods, sorted. Windows that
 * touch are joined, so a truce and an extension starting when it ends are one continuous
 * period (issue 5, "In force"). An empty window (from ≥ to) covers nothing.
 */
export function periodsInForce(windows: readonly Window[]): Period[] {
  const spans = windows
    .map((w) => ({ from: Date.parse(w.from), to: w.to === null ? Infinity : Date.parse(w.to) }))
    .filter((p) => p.from < p.to)
    .sort((a, b) => a.from - b.from);
  const out: { from: number; to: number }[] = [];
  for (const s of spans) {
    const last = out[out.length - 1];
    if (last && s.from <= last.to) last.to = Math.max(last.to, s.to);
    else out.push({ ...s });
  }
  return out;
}

/** Compare the incident's interval [from, to) with the periods in force; all in UTC. */
export function coverage(from: number, to: number, periods: readonly Period[]): Coverage {
  // A reversed or unreadable interval (NaN) cannot be placed: nothing covers it.
  if (!(from <= to)) return { kind: 'outside' };
  if (from === to) {
    const p = periods.find((q) => q.from <= from && from < q.to);
    return p ? { kind: 'inside', period: p } : { kind: 'outside' };
  }
  for (const p of periods) if (p.from <= from && to <= p.to) return { kind: 'inside', period: p };
  const touched = periods.filter((p) => p.from < to && from < p.to);
  if (touched.length === 0) return { kind: 'outside' };
  const boundaries: number[] = [];
  for (const p of touched) {
    if (from < p.from && p.from < to) boundaries.push(p.from);
    if (from < p.to && p.to < to) boundaries.push(p.to);
  }
  return { kind: 'straddles', boundaries };
}
