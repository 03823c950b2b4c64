import type { Visibility } from '../domain/common.js';
import type { WarningAlert } from './alerts.js';
import type { Dyad, WarningEvent } from './events.js';
import { dyadKey } from './events.js';
import type { HawkesEvent } from './hawkes.js';
import { expectedCount, fit, sampleQuantile, seededRng, simulate } from './hawkes.js';
import { DAY_MS } from './indicators.js';

/** Fewer events than this and the model is not fitted (`model: null`): EM on a handful of points says nothing. */
export const MIN_EVENTS_TO_FIT = 5;
export const FORECAST_HORIZON_DAYS = 7;
/** Decay searched between one hour and sixty days (per day); Mizan's records carry times to the hour. */
export const DYAD_BETA_RANGE: readonly [number, number] = [1 / 60, 24];
const SAMPLES = 1000;
/** The forecast rule fires only on a model fitted on at least this many events: below it, the fit is illustrative. */
export const MIN_EVENTS_FOR_FORECAST_ALERTS = 30;
/**
 * At most this many dyads are modelled, the most active in the fit window. The fit's cost grows with
 * the square of the dyads (an imported dataset easily has two hundred, and then one request held
 * the server for twenty seconds), and an excitation matrix of more is unreadable anyway.
 */
export const MAX_MODEL_DYADS = 12;
/** Only the year before as_of is fitted: with decays of at most sixty days, older events barely move a 7-day forecast. */
export const FIT_WINDOW_DAYS = 365;

export interface DyadModelView {
  readonly kind: 'hawkes-exp';
  readonly dyads: string[];
  readonly mu_per_day: number[];
  /** excitation[i][j]: expected events on dyad j triggered by one event on dyad i. */
  readonly excitation: number[][];
  readonly decay_hours: number;
  readonly spectral_radius: number;
  readonly fitted_on: { readonly events: number; readonly from: string; readonly to: string };
  /** Dyads with events in the fit window that were left out, being less active than the MAX_MODEL_DYADS modelled. */
  readonly omitted_dyads: number;
  readonly forecast: { readonly horizon_days: 7; readonly items: { readonly dyad: string; readonly expected: number; readonly low: number; readonly high: number }[] };
}

/** "PAK→AFG" for a directed dyad, "AFG↔PAK" where the data does not say who acted. */
export function dyadLabel(d: Dyad): string {
  return d.directed ? `${d.a}→${d.b}` : `${d.a}↔${d.b}`;
}

const round = (x: number, digits = 6) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * The Hawkes model over the most active dyads of the year before `asOf` (eventsToFit), fitted on
 * [first such event, asOf), and
 * its 7-day forecast per dyad: the expected count and the central 90 % interval of 1,000 seeded
 * simulations (the seed is the instant, so the same request gives the same interval).
 */
export function dyadModel(events: readonly WarningEvent[], asOf: number): DyadModelView | null {
  const { evs, omitted } = eventsToFit(events, asOf);
  if (evs.length < MIN_EVENTS_TO_FIT) return null;
  const keys: string[] = [];
  const labels: string[] = [];
  const index = new Map<string, number>();
  const hev: HawkesEvent[] = evs.map((e) => {
    const key = dyadKey(e.dyad);
    let k = index.get(key);
    if (k === undefined) {
      k = keys.length;
      index.set(key, k);
      keys.push(key);
      labels.push(dyadLabel(e.dyad));
    }
    return { t: e.at / DAY_MS, k };
  });
  const from = hev[0]!.t;
  const to = asOf / DAY_MS;
  if (!(to > from)) return null;
  const m = fit(hev, keys.length, { window: { from, to }, betaRange: DYAD_BETA_RANGE, maxIter: 500, tol: 1e-9 });
  const expected = expectedCount(m, hev, to, FORECAST_HORIZON_DAYS);
  // An explosive fit (spectral radius ≥ 1) would simulate without end: its samples are cut short.
  const sim = simulate(m, hev, to, FORECAST_HORIZON_DAYS, seededRng(Math.floor(asOf / 1000) >>> 0), SAMPLES, m.stationary ? 100_000 : 2_000);
  return {
    kind: 'hawkes-exp',
    dyads: labels,
    mu_per_day: m.mu.map((x) => round(x)),
    excitation: m.alpha.map((r) => r.map((x) => round(x))),
    decay_hours: round(24 / m.beta, 3),
    spectral_radius: round(m.spectral_radius),
    // The span of the data (first to last event); the likelihood window itself runs on to as_of.
    fitted_on: { events: evs.length, from: new Date(evs[0]!.at).toISOString(), to: new Date(evs[evs.length - 1]!.at).toISOString() },
    omitted_dyads: omitted,
    forecast: {
      horizon_days: 7,
      items: labels.map((dyad, k) => {
        const xs = sim.counts.map((c) => c[k]!);
        return { dyad, expected: round(expected[k]!, 4), low: sampleQuantile(xs, 0.05), high: sampleQuantile(xs, 0.95) };
      }),
    },
  };
}

/**
 * The events the model is fitted on, in time order: those of the FIT_WINDOW_DAYS before `asOf`, on
 * the MAX_MODEL_DYADS dyads with the most of them (ties by key, so the choice is deterministic).
 */
export function eventsToFit(events: readonly WarningEvent[], asOf: number): { evs: WarningEvent[]; omitted: number } {
  const since = asOf - FIT_WINDOW_DAYS * DAY_MS;
  const inWindow = events.filter((e) => Number.isFinite(e.at) && e.at < asOf && e.at >= since);
  const counts = new Map<string, number>();
  for (const e of inWindow) counts.set(dyadKey(e.dyad), (counts.get(dyadKey(e.dyad)) ?? 0) + 1);
  const ranked = [...counts.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  const kept = new Set(ranked.slice(0, MAX_MODEL_DYADS).map(([k]) => k));
  return { evs: inWindow.filter((e) => kept.has(dyadKey(e.dyad))).sort((a, b) => a.at - b.at), omitted: Math.max(0, ranked.length - MAX_MODEL_DYADS) };
}

/** Event counts of one dyad in consecutive 7-day windows ending at `asOf`, back to its first event. */
export function weeklyHistory(events: readonly WarningEvent[], dyadLabelOf: string, asOf: number): number[] {
  const own = events.filter((e) => e.at < asOf && dyadLabel(e.dyad) === dyadLabelOf);
  if (own.length === 0) return [];
  const first = Math.min(...own.map((e) => e.at));
  const weeks = Math.max(1, Math.ceil((asOf - first) / (7 * DAY_MS)));
  const counts = new Array<number>(weeks).fill(0);
  for (const e of own) counts[Math.min(weeks - 1, Math.floor((asOf - e.at) / (7 * DAY_MS)))]! += 1;
  return counts;
}

const VIS_ORDER: Visibility[] = ['public', 'parties', 'mediators'];

/**
 * The forecast rule: a dyad whose expected count for the next 7 days is at least one event and
 * above the 90th percentile of its own weekly counts so far. Its visibility is the most
 * restrictive of all the events the model was fitted on, since every event shapes every forecast.
 */
export function forecastAlerts(model: DyadModelView | null, events: readonly WarningEvent[], asOf: number): WarningAlert[] {
  if (!model || model.fitted_on.events < MIN_EVENTS_FOR_FORECAST_ALERTS) return [];
  const used = events.filter((e) => e.at < asOf);
  const visibility = used.reduce<Visibility>((m, e) => (VIS_ORDER.indexOf(e.visibility) > VIS_ORDER.indexOf(m) ? e.visibility : m), 'public');
  const asOfIso = new Date(asOf).toISOString();
  const out: WarningAlert[] = [];
  for (const item of model.forecast.items) {
    const history = weeklyHistory(used, item.dyad, asOf);
    const p90 = sampleQuantile(history, 0.9);
    if (!(item.expected >= 1 && item.expected > p90)) continue;
    const recent = used.filter((e) => dyadLabel(e.dyad) === item.dyad && e.at >= asOf - 28 * DAY_MS);
    const sides = recent[0] ? [recent[0].dyad.a, recent[0].dyad.b] : [];
    out.push({
      id: `forecast-${item.dyad.replace(/[^A-Za-z0-9._:-]+/g, '_')}-${asOfIso.slice(0, 10)}`.slice(0, 200),
      rule: 'forecast',
      subject: item.dyad,
      headline: `Forecast (${item.dyad}): ${item.expected.toFixed(1)} events expected in the next 7 days, above the 90th percentile of its weekly history (${p90})`,
      description: `Hawkes model fitted on ${model.fitted_on.events} events up to ${asOfIso}; 90% interval ${item.low}–${item.high} events; the dyad's weekly counts over ${history.length} weeks have a 90th percentile of ${p90}.`,
      severity: item.low > p90 ? 'Severe' : 'Moderate',
      certainty: item.low > p90 ? 'Likely' : 'Possible',
      as_of: asOfIso,
      onset: asOfIso,
      events: recent.map((e) => e.id),
      points: recent.filter((e) => e.lat !== null && e.lon !== null).map((e) => ({ lat: e.lat!, lon: e.lon! })),
      districts: [...new Set(recent.map((e) => e.district))].sort(),
      visibility,
      sides,
    });
  }
  return out;
}

export interface PeaceIndicator {
  /** `COUNTRY/admin1` of the report's place, or `all`. */
  readonly scope: string;
  readonly kind: 'peace_report' | 'crossing_reopened';
  readonly last_7d: number;
  readonly last_28d: number;
}

/**
 * "Open" in the four languages of the SMS grammar: a CROSSING report says a crossing closed or
 * opened, and only its free text tells which. One that says neither is not counted.
 */
const OPENED = /(\bre-?open|\bopen|خلاص|پرانیست|باز\s*شد|بازگشا|کھل|کھول)/i;

/**
 * Peace indicators from monitors' reports: PEACE reports (a jirga, a local agreement) and
 * crossings reported reopened, per district and overall, in the 7 and 28 days before `asOf`.
 */
export function peaceIndicators(reports: readonly { at: string; what: string; text: string | null; scope: string }[], asOf: number): PeaceIndicator[] {
  const groups = new Map<string, { scope: string; kind: PeaceIndicator['kind']; last_7d: number; last_28d: number }>();
  for (const r of reports) {
    const at = Date.parse(r.at);
    if (!(at < asOf && at >= asOf - 28 * DAY_MS)) continue;
    const kind = r.what === 'PEACE' ? 'peace_report' : r.what === 'CROSSING' && OPENED.test(r.text ?? '') ? 'crossing_reopened' : null;
    if (!kind) continue;
    for (const scope of ['all', r.scope]) {
      const key = `${scope}\u0000${kind}`;
      const g = groups.get(key) ?? { scope, kind, last_7d: 0, last_28d: 0 };
      g.last_28d++;
      if (at >= asOf - 7 * DAY_MS) g.last_7d++;
      groups.set(key, g);
    }
  }
  const order = (g: PeaceIndicator) => `${g.scope === 'all' ? '0' : '1'}${g.scope}\u0000${g.kind}`;
  return [...groups.values()].sort((x, y) => (order(x) < order(y) ? -1 : order(x) > order(y) ? 1 : 0));
}
