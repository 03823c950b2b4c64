import type { HawkesEvent, HawkesFit } from './hawkes.js';
import { expectedCount, fit, sampleQuantile, seededRng, simulate } from './hawkes.js';
import { poissonLogPmf, poissonQuantile } from './logistic.js';
import type { UcdpEvent } from './ucdp.js';

const DAY_MS = 86_400_000;
/** Rates are floored at this many events per cell and window, for every forecast alike (as in the logistic backtest). */
export const HAWKES_RATE_FLOOR = 0.01;

export interface HawkesBacktestOptions {
  /** First forecast origin (YYYY-MM-DD, UTC midnight). */
  readonly from?: string;
  /** No origin on or after this day; default: the day after the last event, less the horizon. */
  readonly to?: string;
  /** Refit the model every this many weekly origins (the forecasts in between use the last fit and the full history). */
  readonly refitWeeks?: number;
  /** Simulated samples per window for the 90 % intervals. */
  readonly samples?: number;
  readonly seed?: number;
  /** Range searched for the decay, per day. Fixed before looking at any evaluation window. */
  readonly betaRange?: readonly [number, number];
  /** A fixed decay per day instead of the search (for quick runs). */
  readonly beta?: number;
  /** 'diagonal': self-excitation only, the ablation of the excitation between cells. */
  readonly structure?: 'full' | 'diagonal';
}

export interface CountScore {
  /** Mean over windows of the log-likelihood of the window's counts, summed over the cells. */
  readonly mean_loglik: number;
  /** Share of cell-windows whose count lies in the forecast's central 90 % interval. */
  readonly coverage_90: number;
  /** The same, only over cell-windows that had at least one event (quiet cells flatter coverage). */
  readonly coverage_90_with_events: number;
}

export interface WindowRow {
  readonly origin: string;
  readonly events: number;
  readonly cells: number;
  readonly hawkes: number;
  readonly poisson_constant: number;
  readonly poisson_ma28: number;
}

export interface HawkesBacktestReport {
  readonly windows: number;
  readonly model: CountScore & {
    readonly kind: 'hawkes-exp';
    readonly structure: 'full' | 'diagonal';
    /** The same forecast scored as a Poisson with the model's expected count (no overdispersion). */
    readonly mean_loglik_poisson: number;
    readonly refits: number;
    readonly refit_weeks: number;
    readonly samples: number;
    readonly decay_days: { readonly min: number; readonly max: number; readonly last: number };
    readonly spectral_radius: { readonly min: number; readonly max: number; readonly last: number };
  };
  readonly baselines: { readonly poisson_constant: CountScore; readonly poisson_ma28: CountScore };
  readonly data: {
    readonly events: number;
    readonly first: string;
    readonly last: string;
    readonly cells: number;
    readonly origins: { readonly first: string; readonly last: string };
    /** Events in the evaluation windows on cells first seen after the fit (no forecast can score them). */
    readonly unscored_events: number;
    readonly horizon_days: 7;
    readonly rate_floor: number;
  };
  readonly per_year: readonly { readonly year: string; readonly windows: number; readonly events: number; readonly hawkes: number; readonly poisson_constant: number; readonly poisson_ma28: number }[];
  readonly rows: readonly WindowRow[];
  readonly beats_baselines: boolean;
  readonly verdict: string;
}

/** A deterministic offset in [0, 1) day from the event id: UCDP dates are days, and same-day events must not coincide. */
function jitter(id: string): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return ((h >>> 0) + 0.5) / 4294967296;
}

const LANCZOS = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];

/** log Γ(x) for x > 0 (Lanczos, g = 7). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * The model's predictive count distribution: the expected count with the simulated variance, as a
 * negative binomial when the samples are overdispersed, else a Poisson.
 */
export function countLogPmf(y: number, mean: number, variance: number): number {
  const m = Math.max(HAWKES_RATE_FLOOR, mean);
  if (!(variance > m * 1.000001)) return poissonLogPmf(y, m);
  const r = (m * m) / (variance - m);
  return logGamma(y + r) - logGamma(r) - logGamma(y + 1) + r * Math.log(r / (r + m)) + y * Math.log(m / (r + m));
}

interface Acc {
  ll: number;
  covered: number;
  n: number;
  coveredEv: number;
  nEv: number;
}
const acc = (): Acc => ({ ll: 0, covered: 0, n: 0, coveredEv: 0, nEv: 0 });
function tally(a: Acc, y: number, ll: number, lo: number, hi: number): void {
  a.ll += ll;
  a.n++;
  const inside = y >= lo && y <= hi ? 1 : 0;
  a.covered += inside;
  if (y > 0) {
    a.nEv++;
    a.coveredEv += inside;
  }
}
const score = (a: Acc, windows: number): CountScore => ({ mean_loglik: a.ll / Math.max(1, windows), coverage_90: a.covered / Math.max(1, a.n), coverage_90_with_events: a.coveredEv / Math.max(1, a.nEv) });

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function dayMs(s: string, what: string): number {
  const ms = Date.parse(`${s}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || !Number.isFinite(ms)) throw new RangeError(`${what} is not a date (YYYY-MM-DD): ${s}`);
  return ms;
}

/**
 * Rolling-origin backtest of the Hawkes model on UCDP events, cells = undirected dyad × admin1:
 * at each weekly origin, forecast every cell's count over the next 7 days from everything before
 * the origin; refit (decay chosen by profile likelihood on the training events only) every
 * `refitWeeks` origins. Scored against a constant per-cell rate and a 28-day moving average, both
 * Poisson and recomputed at every origin. Only cells with an event before the origin are scored,
 * by every forecast alike.
 */
export function runHawkesBacktest(events: readonly UcdpEvent[], options: HawkesBacktestOptions = {}): HawkesBacktestReport {
  const evs = events.filter((e) => Number.isFinite(e.at)).sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
  if (evs.length === 0) throw new RangeError('no events');
  const refitWeeks = options.refitWeeks ?? 13;
  if (!(Number.isInteger(refitWeeks) && refitWeeks >= 1)) throw new RangeError('refitWeeks must be a positive integer');
  const samples = options.samples ?? 200;
  const betaRange = options.betaRange ?? ([1 / 90, 2] as const);
  const rng = seededRng(options.seed ?? 1);

  const cellIndex = new Map<string, number>();
  const labels: string[] = [];
  const hev: (HawkesEvent & { readonly ms: number })[] = evs.map((e) => {
    const key = `${e.dyad} @ ${e.admin1}`;
    let k = cellIndex.get(key);
    if (k === undefined) {
      k = labels.length;
      cellIndex.set(key, k);
      labels.push(key);
    }
    return { t: e.at / DAY_MS + jitter(e.id), k, ms: e.at };
  });
  const d = labels.length;
  const firstMs = evs[0]!.at;
  const lastMs = evs[evs.length - 1]!.at;
  const start = dayMs(options.from ?? '2014-01-01', 'from');
  const end = options.to ? dayMs(options.to, 'to') : lastMs + DAY_MS - 7 * DAY_MS + 1;
  if (!(start > firstMs)) throw new RangeError('the first origin must come after the first event');

  const firstSeen = new Float64Array(d).fill(Infinity);
  for (const e of hev) firstSeen[e.k] = Math.min(firstSeen[e.k]!, e.ms);

  const acH = acc();
  const acHp = acc();
  const acC = acc();
  const acM = acc();
  const rows: WindowRow[] = [];
  let model: HawkesFit | null = null;
  let refits = 0;
  const decays: number[] = [];
  const radii: number[] = [];
  let unscored = 0;
  let cursor = 0; // hev[0..cursor) are before the origin
  for (let w = 0, origin = start; origin < end; w++, origin += 7 * DAY_MS) {
    while (cursor < hev.length && hev[cursor]!.ms < origin) cursor++;
    const history = hev.slice(0, cursor);
    const t0 = origin / DAY_MS;
    if (w % refitWeeks === 0 || !model) {
      model = fit(history, d, {
        window: { from: hev[0]!.t, to: t0 },
        ...(options.beta !== undefined ? { beta: options.beta } : { betaRange }),
        structure: options.structure ?? 'full',
        maxIter: 300,
        tol: 1e-7,
        ...(model ? { init: model } : {}),
      });
      refits++;
      decays.push(1 / model.beta);
      radii.push(model.spectral_radius);
    }
    const expected = expectedCount(model, history, t0, 7);
    const sim = simulate(model, history, t0, 7, rng, samples);
    const observed = new Array<number>(d).fill(0);
    let j = cursor;
    for (; j < hev.length && hev[j]!.ms < origin + 7 * DAY_MS; j++) observed[hev[j]!.k]! += 1;
    const row = { hawkes: 0, constant: 0, ma: 0, events: 0, cells: 0 };
    const ma = new Array<number>(d).fill(0);
    for (let i = cursor - 1; i >= 0 && hev[i]!.ms >= origin - 28 * DAY_MS; i--) ma[hev[i]!.k]! += 1;
    const past = new Array<number>(d).fill(0);
    for (let i = 0; i < cursor; i++) past[hev[i]!.k]! += 1;
    for (let k = 0; k < d; k++) {
      const y = observed[k]!;
      if (!(firstSeen[k]! < origin)) {
        unscored += y;
        continue;
      }
      row.cells++;
      row.events += y;
      const xs = sim.counts.map((c) => c[k]!);
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length - 1);
      const llH = countLogPmf(y, expected[k]!, variance);
      tally(acH, y, llH, sampleQuantile(xs, 0.05), sampleQuantile(xs, 0.95));
      const muP = Math.max(HAWKES_RATE_FLOOR, expected[k]!);
      tally(acHp, y, poissonLogPmf(y, muP), poissonQuantile(0.05, muP), poissonQuantile(0.95, muP));
      const days = (origin - firstSeen[k]!) / DAY_MS;
      const muC = Math.max(HAWKES_RATE_FLOOR, (past[k]! / Math.max(days, 1)) * 7);
      const llC = poissonLogPmf(y, muC);
      tally(acC, y, llC, poissonQuantile(0.05, muC), poissonQuantile(0.95, muC));
      const muM = Math.max(HAWKES_RATE_FLOOR, (ma[k]! * 7) / 28);
      const llM = poissonLogPmf(y, muM);
      tally(acM, y, llM, poissonQuantile(0.05, muM), poissonQuantile(0.95, muM));
      row.hawkes += llH;
      row.constant += llC;
      row.ma += llM;
    }
    rows.push({ origin: isoDay(origin), events: row.events, cells: row.cells, hawkes: row.hawkes, poisson_constant: row.constant, poisson_ma28: row.ma });
  }
  if (rows.length === 0) throw new RangeError('no forecast windows between from and to');
  const n = rows.length;
  const modelScore = score(acH, n);
  const constant = score(acC, n);
  const ma28 = score(acM, n);
  const best = Math.max(constant.mean_loglik, ma28.mean_loglik);
  const beats = modelScore.mean_loglik > best;
  const years = new Map<string, { windows: number; events: number; hawkes: number; poisson_constant: number; poisson_ma28: number }>();
  for (const r of rows) {
    const y = years.get(r.origin.slice(0, 4)) ?? { windows: 0, events: 0, hawkes: 0, poisson_constant: 0, poisson_ma28: 0 };
    y.windows++;
    y.events += r.events;
    y.hawkes += r.hawkes;
    y.poisson_constant += r.poisson_constant;
    y.poisson_ma28 += r.poisson_ma28;
    years.set(r.origin.slice(0, 4), y);
  }
  const bestName = constant.mean_loglik >= ma28.mean_loglik ? 'constant-rate Poisson' : '28-day moving-average Poisson';
  const verdict = beats
    ? `The Hawkes model's mean log-likelihood per window (${modelScore.mean_loglik.toFixed(2)}) is above both baselines' (best: ${bestName}, ${best.toFixed(2)}), over ${n} weekly windows.`
    : `The Hawkes model does NOT beat the baselines: mean log-likelihood per window ${modelScore.mean_loglik.toFixed(2)} against ${best.toFixed(2)} for the ${bestName}, over ${n} weekly windows.`;
  const span = (xs: number[]) => ({ min: Math.min(...xs), max: Math.max(...xs), last: xs[xs.length - 1]! });
  return {
    windows: n,
    model: { kind: 'hawkes-exp', structure: options.structure ?? 'full', ...modelScore, mean_loglik_poisson: acHp.ll / n, refits, refit_weeks: refitWeeks, samples, decay_days: span(decays), spectral_radius: span(radii) },
    baselines: { poisson_constant: constant, poisson_ma28: ma28 },
    data: {
      events: evs.length,
      first: isoDay(firstMs),
      last: isoDay(lastMs),
      cells: d,
      origins: { first: rows[0]!.origin, last: rows[n - 1]!.origin },
      unscored_events: unscored,
      horizon_days: 7,
      rate_floor: HAWKES_RATE_FLOOR,
    },
    per_year: [...years.entries()].map(([year, y]) => ({ year, windows: y.windows, events: y.events, hawkes: y.hawkes / y.windows, poisson_constant: y.poisson_constant / y.windows, poisson_ma28: y.poisson_ma28 / y.windows })),
    rows,
    beats_baselines: beats,
    verdict,
  };
}

/** The report as a plain-text table: per year, then overall. */
export function formatHawkesBacktest(r: HawkesBacktestReport): string {
  const f = (x: number) => x.toFixed(2).padStart(10);
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(8);
  const lines = [
    `Hawkes backtest — rolling origin, weekly, horizon 7 days; cells = UCDP dyad (undirected) × admin1`,
    `${r.data.events} events ${r.data.first} … ${r.data.last}; ${r.data.cells} cells; origins ${r.data.origins.first} … ${r.data.origins.last} (${r.windows} windows); refit every ${r.model.refit_weeks} weeks (${r.model.refits} fits), decay 1/β ${r.model.decay_days.min.toFixed(2)}–${r.model.decay_days.max.toFixed(2)} days, spectral radius ${r.model.spectral_radius.min.toFixed(3)}–${r.model.spectral_radius.max.toFixed(3)}`,
    `Mean log-likelihood per window (sum over the cells seen before the origin; higher is better); rates floored at ${r.data.rate_floor}/cell/window; ${r.data.unscored_events} events on cells not yet seen are not scored.`,
    '',
    `${'year'.padEnd(6)} ${'windows'.padStart(7)} ${'events'.padStart(7)} ${'Hawkes'.padStart(10)} ${'constant'.padStart(10)} ${'MA 28 d'.padStart(10)}`,
    ...r.per_year.map((y) => `${y.year.padEnd(6)} ${String(y.windows).padStart(7)} ${String(y.events).padStart(7)} ${f(y.hawkes)} ${f(y.poisson_constant)} ${f(y.poisson_ma28)}`),
    '',
    `${'forecast'.padEnd(52)} ${'mean loglik'.padStart(11)} ${'cover 90'.padStart(8)} ${'cover 90 (y>0)'.padStart(14)}`,
    `${`model: Hawkes (exp. kernels, EM${r.model.structure === 'diagonal' ? ', self only' : ''}), NB`.padEnd(52)} ${f(r.model.mean_loglik).padStart(11)} ${pct(r.model.coverage_90)} ${pct(r.model.coverage_90_with_events).padStart(14)}`,
    `${'  the same scored as Poisson(expected count)'.padEnd(52)} ${f(r.model.mean_loglik_poisson).padStart(11)}`,
    `${'baseline: constant per-cell rate (Poisson)'.padEnd(52)} ${f(r.baselines.poisson_constant.mean_loglik).padStart(11)} ${pct(r.baselines.poisson_constant.coverage_90)} ${pct(r.baselines.poisson_constant.coverage_90_with_events).padStart(14)}`,
    `${'baseline: 28-day moving average (Poisson)'.padEnd(52)} ${f(r.baselines.poisson_ma28.mean_loglik).padStart(11)} ${pct(r.baselines.poisson_ma28.coverage_90)} ${pct(r.baselines.poisson_ma28.coverage_90_with_events).padStart(14)}`,
    '',
    r.verdict,
  ];
  return lines.join('\n') + '\n';
}
