import type { LogisticModel } from './logistic.js';
import { fitLogistic, fitPoisson, poissonLogPmf, poissonQuantile, predict, predictRate } from './logistic.js';
import type { UcdpEvent } from './ucdp.js';

const WEEK_MS = 7 * 86_400_000;
/** Weeks start on Monday (1970-01-05 was one). */
const ORIGIN = Date.UTC(1970, 0, 5);
const weekOf = (ms: number) => Math.floor((ms - ORIGIN) / WEEK_MS);
const weekStart = (w: number) => new Date(ORIGIN + w * WEEK_MS).toISOString().slice(0, 10);

/** Fixed before looking at the test years; never tuned on them. */
export const FEATURES = [
  'log1p(events in the cell last week)',
  'log1p(events in the cell, last 4 weeks)',
  'log1p(events in the cell, last 26 weeks)',
  'log1p(events of the same dyad in other provinces last week)',
  'log1p(events of other dyads in the same province last week)',
  'log1p(weeks since the cell last had an event)',
] as const;

export interface CalibrationBin {
  readonly from: number;
  readonly to: number;
  readonly n: number;
  readonly mean_predicted: number;
  readonly observed: number;
}

export interface Score {
  readonly name: string;
  readonly brier: number;
  /** 1 − Brier / Brier(base rate): > 0 is better than always forecasting the training base rate. */
  readonly brier_skill: number;
  readonly log_loss: number;
  readonly auc: number;
  readonly calibration: readonly CalibrationBin[];
}

export interface BacktestReport {
  readonly target: string;
  readonly data: {
    readonly events: number;
    readonly first: string;
    readonly last: string;
    readonly cells: number;
    readonly split: string;
    readonly train_rows: number;
    readonly test_rows: number;
    readonly test_positive_rate: number;
  };
  readonly model: { readonly name: string; readonly features: readonly string[]; readonly weights: readonly number[]; readonly iterations: number };
  /** The model first, then the naive baselines. */
  readonly scores: readonly Score[];
  /**
   * The same, on the test cell-weeks whose cell had an event in the previous 26 weeks: the harder
   * question, without the easy zeros of cells long quiet (which flatter every AUC above).
   */
  readonly scores_active: readonly Score[];
  readonly active_rows: number;
  readonly active_positive_rate: number;
  /**
   * The same cells as counts: next week's number of events, a Poisson regression on the same
   * features against a constant per-cell rate and a 28-day moving average; mean log-likelihood per
   * test week (summed over cells) and coverage of the central 90 % Poisson interval.
   */
  readonly counts: CountsReport;
  readonly verdict: string;
}

export function brier(p: readonly number[], y: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) s += (p[i]! - y[i]!) ** 2;
  return p.length ? s / p.length : NaN;
}

export function logLoss(p: readonly number[], y: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const q = Math.min(1 - 1e-6, Math.max(1e-6, p[i]!));
    s -= y[i]! ? Math.log(q) : Math.log(1 - q);
  }
  return p.length ? s / p.length : NaN;
}

/** Area under the ROC curve by the rank-sum (Mann–Whitney) formula, ties given their mean rank. */
export function auc(p: readonly number[], y: readonly number[]): number {
  const idx = p.map((_, i) => i).sort((a, b) => p[a]! - p[b]!);
  let rankSumPos = 0;
  let nPos = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && p[idx[j + 1]!] === p[idx[i]!]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (y[idx[k]!]) {
      rankSumPos += rank;
      nPos++;
    }
    i = j + 1;
  }
  const nNeg = p.length - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

export function calibration(p: readonly number[], y: readonly number[], bins = 10): CalibrationBin[] {
  const out: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    const from = b / bins;
    const to = (b + 1) / bins;
    let n = 0;
    let sp = 0;
    let sy = 0;
    for (let i = 0; i < p.length; i++) {
      const q = p[i]!;
      if (q >= from && (q < to || (b === bins - 1 && q <= 1))) {
        n++;
        sp += q;
        sy += y[i]!;
      }
    }
    if (n > 0) out.push({ from, to, n, mean_predicted: sp / n, observed: sy / n });
  }
  return out;
}

export interface CountsReport {
  readonly windows: number;
  /** Rates are floored at this many events per week, for every forecast alike, so log-likelihoods stay finite. */
  readonly rate_floor: number;
  readonly model: { readonly mean_loglik: number; readonly coverage_90: number };
  readonly baselines: {
    readonly poisson_constant: { readonly mean_loglik: number; readonly coverage_90: number };
    readonly poisson_ma28: { readonly mean_loglik: number; readonly coverage_90: number };
  };
}

interface Row {
  readonly cell: number;
  readonly week: number;
  readonly x: number[];
  readonly last: number;
  readonly y: number;
  readonly count: number;
  readonly sum4: number;
}

const RATE_FLOOR = 0.01;

function scoreCounts(rows: readonly Row[], rate: (r: Row) => number): { mean_loglik: number; coverage_90: number } {
  const perWeek = new Map<number, number>();
  let covered = 0;
  for (const r of rows) {
    const mu = Math.max(RATE_FLOOR, rate(r));
    perWeek.set(r.week, (perWeek.get(r.week) ?? 0) + poissonLogPmf(r.count, mu));
    if (r.count >= poissonQuantile(0.05, mu) && r.count <= poissonQuantile(0.95, mu)) covered++;
  }
  const lls = [...perWeek.values()];
  return { mean_loglik: lls.reduce((s, v) => s + v, 0) / Math.max(1, lls.length), coverage_90: covered / Math.max(1, rows.length) };
}

/**
 * The retaliation model's backtest on UCDP events, undirected dyad × admin1 cells, weekly: will
 * the cell see at least one event next week? A logistic model on the cell's own recent history
 * (self-excitation) and its dyad's and province's activity elsewhere (mutual excitation), fitted on
 * the weeks before `split` and scored once on the weeks from `split` on — a time-ordered split,
 * nothing from the test years used to fit or choose anything. Only cells with an event before the
 * split are forecast (a new dyad cannot be forecast by this model).
 */
export function runBacktest(events: readonly UcdpEvent[], split = '2014-01-01'): BacktestReport {
  const splitMs = Date.parse(`${split}T00:00:00Z`);
  if (!Number.isFinite(splitMs)) throw new RangeError(`split is not a date: ${split}`);
  const evs = events.filter((e) => Number.isFinite(e.at));
  if (evs.length === 0) throw new RangeError('no events');
  const w0 = weekOf(Math.min(...evs.map((e) => e.at)));
  const w1 = weekOf(Math.max(...evs.map((e) => e.at)));
  const nW = w1 - w0 + 1;
  const S = weekOf(splitMs) - w0;
  const cellIndex = new Map<string, number>();
  const dyadIndex = new Map<string, number>();
  const adm1Index = new Map<string, number>();
  const cellDyad: number[] = [];
  const cellAdm1: number[] = [];
  const counts: Float64Array[] = [];
  const dyadCounts: Float64Array[] = [];
  const adm1Counts: Float64Array[] = [];
  const idOf = (m: Map<string, number>, arr: Float64Array[], k: string) => {
    let i = m.get(k);
    if (i === undefined) {
      i = m.size;
      m.set(k, i);
      arr.push(new Float64Array(nW));
    }
    return i;
  };
  for (const e of evs) {
    const t = weekOf(e.at) - w0;
    const d = idOf(dyadIndex, dyadCounts, e.dyad);
    const a = idOf(adm1Index, adm1Counts, e.admin1);
    const key = `${e.dyad}\u0000${e.admin1}`;
    let c = cellIndex.get(key);
    if (c === undefined) {
      c = cellIndex.size;
      cellIndex.set(key, c);
      counts.push(new Float64Array(nW));
      cellDyad.push(d);
      cellAdm1.push(a);
    }
    counts[c]![t]! += 1;
    dyadCounts[d]![t]! += 1;
    adm1Counts[a]![t]! += 1;
  }

  const train: Row[] = [];
  const test: Row[] = [];
  for (let c = 0; c < counts.length; c++) {
    const s = counts[c]!;
    let first = -1;
    for (let t = 0; t < Math.min(S, nW); t++) if (s[t]! > 0) { first = t; break; }
    if (first < 0) continue; // first seen in the test years: not forecast
    let lastEvent = first;
    let sum4 = 0;
    let sum26 = 0;
    for (let t = 0; t + 1 < nW; t++) {
      sum4 += s[t]! - (t >= 4 ? s[t - 4]! : 0);
      sum26 += s[t]! - (t >= 26 ? s[t - 26]! : 0);
      if (s[t]! > 0) lastEvent = t;
      if (t < first) continue;
      const x = [
        Math.log1p(s[t]!),
        Math.log1p(sum4),
        Math.log1p(sum26),
        Math.log1p(dyadCounts[cellDyad[c]!]![t]! - s[t]!),
        Math.log1p(adm1Counts[cellAdm1[c]!]![t]! - s[t]!),
        Math.log1p(Math.min(520, t - lastEvent)),
      ];
      const row = { cell: c, week: t + 1, x, last: s[t]!, y: s[t + 1]! > 0 ? 1 : 0, count: s[t + 1]!, sum4 };
      (t + 1 < S ? train : test).push(row);
    }
  }
  if (train.length === 0 || test.length === 0) throw new RangeError(`the split ${split} leaves no training or no test weeks`);

  const model: LogisticModel = fitLogistic(train.map((r) => r.x), train.map((r) => r.y));
  const yTrain = train.map((r) => r.y);
  const baseRate = yTrain.reduce((s, v) => s + v, 0) / train.length;
  const cellPos = new Map<number, [number, number]>();
  for (const r of train) {
    const v = cellPos.get(r.cell) ?? [0, 0];
    cellPos.set(r.cell, [v[0] + r.y, v[1] + 1]);
  }
  const cond = (k: boolean) => {
    const rows = train.filter((r) => r.last > 0 === k);
    return rows.length ? rows.reduce((s, r) => s + r.y, 0) / rows.length : baseRate;
  };
  const pAfterEvent = cond(true);
  const pAfterQuiet = cond(false);

  const y = test.map((r) => r.y);
  const predictors: [string, (r: Row) => number][] = [
    ['model: self- and mutually-exciting logistic', (r) => predict(model, r.x)],
    ['baseline: base rate (training frequency)', () => baseRate],
    ['baseline: per-cell base rate', (r) => {
      const v = cellPos.get(r.cell) ?? [0, 0];
      return (v[0] + 1) / (v[1] + 2);
    }],
    ['baseline: same as last week (0 or 1)', (r) => (r.last > 0 ? 1 : 0)],
    ['baseline: same as last week, calibrated on training', (r) => (r.last > 0 ? pAfterEvent : pAfterQuiet)],
  ];
  const scoreOn = (rows: readonly Row[]): Score[] => {
    const yy = rows.map((r) => r.y);
    const brierBase = brier(rows.map(() => baseRate), yy);
    return predictors.map(([name, f]) => {
      const p = rows.map(f);
      const b = brier(p, yy);
      return { name, brier: b, brier_skill: 1 - b / brierBase, log_loss: logLoss(p, yy), auc: auc(p, yy), calibration: calibration(p, yy) };
    });
  };
  const scores = scoreOn(test);
  const active = test.filter((r) => r.x[2]! > 0);
  const scoresActive = scoreOn(active);
  const judge = (sc: readonly Score[], where: string): string => {
    const m = sc[0]!;
    const best = sc.slice(1).reduce((a, b) => (b.brier < a.brier ? b : a));
    return m.brier < best.brier
      ? `${where}: the model's Brier score ${m.brier.toFixed(4)} is below the best baseline's (${best.brier.toFixed(4)}, "${best.name}"), AUC ${m.auc.toFixed(3)} against ${best.auc.toFixed(3)}.`
      : `${where}: the model does NOT beat the best baseline ("${best.name}", Brier ${best.brier.toFixed(4)} against the model's ${m.brier.toFixed(4)}).`;
  };
  const poisson = fitPoisson(train.map((r) => r.x), train.map((r) => r.count));
  const cellRate = new Map<number, [number, number]>();
  for (const r of train) {
    const v = cellRate.get(r.cell) ?? [0, 0];
    cellRate.set(r.cell, [v[0] + r.count, v[1] + 1]);
  }
  const countsReport: CountsReport = {
    windows: new Set(test.map((r) => r.week)).size,
    rate_floor: RATE_FLOOR,
    model: scoreCounts(test, (r) => predictRate(poisson, r.x)),
    baselines: {
      poisson_constant: scoreCounts(test, (r) => {
        const v = cellRate.get(r.cell) ?? [0, 1];
        return v[0] / v[1];
      }),
      poisson_ma28: scoreCounts(test, (r) => r.sum4 / 4),
    },
  };
  const bestCount = Math.max(countsReport.baselines.poisson_constant.mean_loglik, countsReport.baselines.poisson_ma28.mean_loglik);
  const countVerdict =
    countsReport.model.mean_loglik > bestCount
      ? `Counts: the Poisson model's mean log-likelihood per week ${countsReport.model.mean_loglik.toFixed(2)} is above both Poisson baselines' (best ${bestCount.toFixed(2)}).`
      : `Counts: the Poisson model does NOT beat the best Poisson baseline (${bestCount.toFixed(2)} against ${countsReport.model.mean_loglik.toFixed(2)}).`;
  const verdict = `${judge(scores, 'All test cell-weeks')} ${judge(scoresActive, 'Cell-weeks active in the previous 26 weeks')} ${countVerdict}`;
  return {
    target: 'P(at least one UCDP event in the cell next week); cell = UCDP dyad (undirected) × admin1',
    data: {
      events: evs.length,
      first: new Date(Math.min(...evs.map((e) => e.at))).toISOString().slice(0, 10),
      last: new Date(Math.max(...evs.map((e) => e.at))).toISOString().slice(0, 10),
      cells: cellPos.size,
      split: weekStart(S + w0),
      train_rows: train.length,
      test_rows: test.length,
      test_positive_rate: y.reduce((s, v) => s + v, 0) / y.length,
    },
    model: { name: 'logistic regression (IRLS, L2 1e-3)', features: [...FEATURES], weights: model.weights, iterations: model.iterations },
    scores,
    scores_active: scoresActive,
    active_rows: active.length,
    counts: countsReport,
    active_positive_rate: active.reduce((s, r) => s + r.y, 0) / Math.max(1, active.length),
    verdict,
  };
}

/** The report as a plain-text table. */
export function formatBacktest(r: BacktestReport): string {
  const lines = [
    `Backtest — ${r.target}`,
    `${r.data.events} events ${r.data.first} … ${r.data.last}; ${r.data.cells} cells; train weeks before ${r.data.split} (${r.data.train_rows} cell-weeks), test from it (${r.data.test_rows} cell-weeks, ${(r.data.test_positive_rate * 100).toFixed(1)}% with an event)`,
    '',
    `${'forecast'.padEnd(56)} ${'Brier'.padStart(7)} ${'skill'.padStart(7)} ${'logloss'.padStart(8)} ${'AUC'.padStart(6)}`,
    ...r.scores.map((s) => `${s.name.padEnd(56)} ${s.brier.toFixed(4).padStart(7)} ${(s.brier_skill * 100).toFixed(1).padStart(6)}% ${s.log_loss.toFixed(4).padStart(8)} ${s.auc.toFixed(3).padStart(6)}`),
    '',
    `Only cell-weeks whose cell had an event in the previous 26 weeks (${r.active_rows}, ${(r.active_positive_rate * 100).toFixed(1)}% with an event):`,
    ...r.scores_active.map((s) => `${s.name.padEnd(56)} ${s.brier.toFixed(4).padStart(7)} ${(s.brier_skill * 100).toFixed(1).padStart(6)}% ${s.log_loss.toFixed(4).padStart(8)} ${s.auc.toFixed(3).padStart(6)}`),
    '',
    `Counts next week (Poisson), ${r.counts.windows} test weeks, rates floored at ${r.counts.rate_floor}/week: mean log-likelihood per week (sum over cells), 90% interval coverage`,
    `${'model: Poisson regression, same features'.padEnd(56)} ${r.counts.model.mean_loglik.toFixed(2).padStart(9)} ${(r.counts.model.coverage_90 * 100).toFixed(1).padStart(6)}%`,
    `${'baseline: constant per-cell rate (training)'.padEnd(56)} ${r.counts.baselines.poisson_constant.mean_loglik.toFixed(2).padStart(9)} ${(r.counts.baselines.poisson_constant.coverage_90 * 100).toFixed(1).padStart(6)}%`,
    `${'baseline: 28-day moving average'.padEnd(56)} ${r.counts.baselines.poisson_ma28.mean_loglik.toFixed(2).padStart(9)} ${(r.counts.baselines.poisson_ma28.coverage_90 * 100).toFixed(1).padStart(6)}%`,
    '',
    'Calibration of the model (test): predicted → observed (n)',
    ...r.scores[0]!.calibration.map((b) => `  [${b.from.toFixed(1)}, ${b.to.toFixed(1)})  ${b.mean_predicted.toFixed(3)} → ${b.observed.toFixed(3)}  (${b.n})`),
    '',
    r.verdict,
  ];
  return lines.join('\n') + '\n';
}
