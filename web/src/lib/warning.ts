// What the early-warning page derives from GET /api/v1/warning (src/app/warning.ts): pure
// functions, no DOM, so component tests and the page share them.
import type { AlertThresholds, Indicator, RetaliationChain, WarningAlert } from '../../../src/warning/index.js';

export type { AlertThresholds, Indicator, RetaliationChain, WarningAlert };

/**
 * The self-exciting (Hawkes) model fitted on the dyads' event times. `excitation[i][j]` is the
 * expected number of events on dyad j triggered by one event on dyad i.
 */
export interface WarningModel {
  readonly kind: 'hawkes-exp';
  readonly dyads: readonly string[];
  readonly mu_per_day: readonly number[];
  readonly excitation: readonly (readonly number[])[];
  readonly decay_hours: number;
  readonly spectral_radius: number;
  readonly fitted_on: { readonly events: number; readonly from: string; readonly to: string };
  /** Less active dyads of the fit window that the model leaves out. */
  readonly omitted_dyads: number;
  readonly forecast: { readonly horizon_days: number; readonly items: readonly { readonly dyad: string; readonly expected: number; readonly low: number; readonly high: number }[] };
}

export interface PeaceIndicator {
  readonly scope: string;
  readonly kind: 'peace_report' | 'crossing_reopened';
  readonly last_7d: number;
  readonly last_28d: number;
}

export interface WarningPayload {
  readonly as_of: string;
  readonly window_hours: number;
  readonly thresholds: AlertThresholds;
  readonly events: number;
  readonly indicators: readonly Indicator[];
  readonly chains: readonly RetaliationChain[];
  readonly alerts: readonly WarningAlert[];
  /** Absent on servers without the model; null when there are too few events to fit it. */
  readonly model?: WarningModel | null;
  readonly peace?: readonly PeaceIndicator[];
}

/** A dyad key as the warning engine writes it (src/warning/events.ts dyadKey). */
export interface DyadParts {
  readonly a: string;
  readonly b: string;
  /** false: both sides are named as the one who acted (the direction is disputed). */
  readonly directed: boolean;
}

export function dyadParts(key: string): DyadParts | null {
  const directed = key.indexOf('->');
  if (directed > 0) return { a: key.slice(0, directed), b: key.slice(directed + 2), directed: true };
  const both = key.indexOf('--');
  if (both > 0) return { a: key.slice(0, both), b: key.slice(both + 2), directed: false };
  return null;
}

export type AlertSubject = { readonly kind: 'exchange'; readonly a: string; readonly b: string } | { readonly kind: 'dyad' | 'district'; readonly key: string } | { readonly kind: 'other'; readonly text: string };

/** What an alert is about (src/warning/alerts.ts): `A<->B` for an exchange, `dyad:KEY` or `district:KEY` for a rise. */
export function alertSubject(subject: string): AlertSubject {
  const both = subject.indexOf('<->');
  if (both > 0) return { kind: 'exchange', a: subject.slice(0, both), b: subject.slice(both + 3) };
  if (subject.startsWith('dyad:')) return { kind: 'dyad', key: subject.slice(5) };
  if (subject.startsWith('district:')) return { kind: 'district', key: subject.slice(9) };
  return { kind: 'other', text: subject };
}

/** A model is usable only if its matrix is square over its dyads; anything else is shown as "no model". */
export function usableModel(m: WarningModel | null | undefined): WarningModel | null {
  if (!m || m.kind !== 'hawkes-exp' || !Array.isArray(m.dyads) || !Array.isArray(m.excitation)) return null;
  const n = m.dyads.length;
  if (n === 0 || m.excitation.length !== n || m.excitation.some((row) => !Array.isArray(row) || row.length !== n)) return null;
  return m;
}

export interface HeatCell {
  /** The triggering dyad (row). */
  readonly from: string;
  /** The triggered dyad (column). */
  readonly to: string;
  readonly value: number;
}

/** The excitation matrix as one cell per (row, column), in the model's dyad order. */
export function heatCells(m: WarningModel): HeatCell[] {
  return m.dyads.flatMap((from, i) => m.dyads.map((to, j) => ({ from, to, value: m.excitation[i]?.[j] ?? 0 })));
}

/** Nothing to look at: no alert, and no event in any indicator's last 28 days. */
export function isQuiet(v: Pick<WarningPayload, 'alerts' | 'indicators'>): boolean {
  return v.alerts.length === 0 && v.indicators.every((i) => i.last28.events === 0);
}

/**
 * When "now" is quiet, the page opens on the day after the latest exchange (retaliation chain),
 * whose alert is then in view; with no exchange, the day after the model's last event. Returns a
 * UTC day, or null.
 */
export function fallbackDay(v: Pick<WarningPayload, 'chains' | 'model'>): string | null {
  const chainEnds = v.chains.map((c) => Date.parse(c.to)).filter(Number.isFinite);
  const m = usableModel(v.model);
  const ends = chainEnds.length > 0 ? chainEnds : m ? [Date.parse(m.fitted_on.to)].filter(Number.isFinite) : [];
  if (ends.length === 0) return null;
  // The day after the latest event, so that event and its whole day count.
  return new Date(Math.max(...ends) + 86_400_000).toISOString().slice(0, 10);
}

/** The API's as_of for "as of the end of this UTC day". */
export function asOfParam(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().replace('.000Z', 'Z');
}

/** The UTC day the page shows for an as_of instant (inverse of asOfParam). */
export function dayOfAsOf(iso: string): string {
  return new Date(Date.parse(iso) - 1).toISOString().slice(0, 10);
}

export const isDay = (s: string | null | undefined): s is string => !!s && /^\d{4}-\d{2}-\d{2}$/.test(s) && Number.isFinite(Date.parse(`${s}T00:00:00Z`));

export interface ChainPoint {
  readonly chain: number;
  readonly at: Date;
  /** The side that acted in this event (the chain alternates). */
  readonly side: string;
  readonly event: string;
}

/** Each event of each chain on the time axis: the first at `from`, the next after each gap. */
export function chainPoints(chains: readonly RetaliationChain[]): ChainPoint[] {
  return chains.flatMap((c, k) => {
    let at = Date.parse(c.from);
    return c.events.map((event, i) => {
      if (i > 0) at += (c.gaps_hours[i - 1] ?? 0) * 3_600_000;
      return { chain: k, at: new Date(at), side: i % 2 === 0 ? c.first : c.second, event };
    });
  });
}

/** Indicators worth attention first: highest 7-day event z-score, then most events. */
export function sortIndicators(items: readonly Indicator[]): Indicator[] {
  return [...items].sort((x, y) => y.last7.events_z - x.last7.events_z || y.last28.events - x.last28.events || x.key.localeCompare(y.key));
}
