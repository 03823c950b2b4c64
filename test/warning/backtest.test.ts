import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auc, brier, countLogPmf, formatHawkesBacktest, logGamma, runHawkesBacktest, calibration, fitLogistic, fitPoisson, formatBacktest, parseUcdpCsv, poissonLogPmf, poissonQuantile, predict, predictRate, runBacktest } from '../../src/warning/index.js';
import { REPO_ROOT } from '../support/env.js';

const FILE = join(REPO_ROOT, 'test', 'fixtures', 'warning', 'ucdp_ged_pakistan_hdx_v22_1989-2021.csv');

describe('backtest on the real UCDP Pakistan file', () => {
  const parsed = parseUcdpCsv(readFileSync(FILE, 'utf8'));

  it('reads all 6,416 events and skips the HXL hashtag row', () => {
    expect(parsed.events).toHaveLength(6416);
    expect(parsed.skipped).toBe(0);
    expect(parsed.events[0]!.at).toBeLessThanOrEqual(parsed.events[parsed.events.length - 1]!.at);
  });

  it('computes finite figures for the model and the naive baselines', () => {
    const r = runBacktest(parsed.events);
    const names = r.scores.map((s) => s.name);
    expect(names.some((n) => n.includes('same as last week'))).toBe(true);
    expect(names.some((n) => n.includes('base rate'))).toBe(true);
    for (const s of r.scores) {
      expect(Number.isFinite(s.brier)).toBe(true);
      expect(Number.isFinite(s.log_loss)).toBe(true);
      expect(Number.isFinite(s.auc)).toBe(true);
    }
    const c = r.counts;
    for (const x of [c.model, c.baselines.poisson_constant, c.baselines.poisson_ma28]) {
      expect(Number.isFinite(x.mean_loglik)).toBe(true);
      expect(x.coverage_90).toBeGreaterThanOrEqual(0);
      expect(x.coverage_90).toBeLessThanOrEqual(1);
    }
    expect(c.windows).toBeGreaterThan(0);
    expect(r.data.train_rows).toBeGreaterThan(0);
    expect(r.data.test_rows).toBeGreaterThan(0);
    const text = formatBacktest(r);
    expect(text).toContain('same as last week');
    expect(text).toContain('28-day moving average');
    expect(text).toContain(r.verdict);
    console.log(text);
  });
});

describe('scores', () => {
  it('Brier, AUC and calibration on a hand-made case', () => {
    expect(brier([1, 0, 0.5], [1, 0, 1])).toBeCloseTo(0.25 / 3);
    expect(auc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(auc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
    expect(auc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    const c = calibration([0.05, 0.05, 0.95, 1], [0, 1, 1, 1]);
    expect(c).toEqual([
      { from: 0, to: 0.1, n: 2, mean_predicted: 0.05, observed: 0.5 },
      { from: 0.9, to: 1, n: 2, mean_predicted: 0.975, observed: 1 },
    ]);
  });

  it('Poisson pmf and quantiles', () => {
    expect(poissonLogPmf(0, 2)).toBeCloseTo(-2);
    expect(poissonLogPmf(3, 2)).toBeCloseTo(3 * Math.log(2) - 2 - Math.log(6));
    expect(poissonQuantile(0.95, 0.01)).toBe(0);
    expect(poissonQuantile(0.5, 10)).toBe(10);
    expect(poissonQuantile(0.05, 10)).toBe(5);
  });

  it('the fitted regressions recover a known relation', () => {
    const xs: number[][] = [];
    const ys: number[] = [];
    const counts: number[] = [];
    for (let i = 0; i < 400; i++) {
      const x = (i % 20) / 10;
      xs.push([x]);
      ys.push(i % 20 >= 10 ? 1 : 0);
      counts.push(Math.round(Math.exp(0.5 + x)));
    }
    const m = fitLogistic(xs, ys);
    expect(predict(m, [1.9])).toBeGreaterThan(0.9);
    expect(predict(m, [0.1])).toBeLessThan(0.1);
    const pm = fitPoisson(xs, counts);
    expect(predictRate(pm, [1])).toBeCloseTo(Math.exp(1.5), 0);
  });

  it('a UCDP file with malformed rows: they are skipped and counted, quoted commas survive', () => {
    const csv = [
      'id,date_start,dyad_name,adm_1,best',
      ',#date+start,#group,#adm1+name,#affected+killed',
      '1,2010-05-01 00:00:00.000,"Government of Pakistan - TTP, faction",FATA,3',
      '2,not-a-date,Government of Pakistan - TTP,FATA,1',
      '3,2010-05-02,,FATA,1',
      '4,2010-05-03,Government of Pakistan - TTP,,-5',
    ].join('\n');
    const r = parseUcdpCsv(csv);
    expect(r.skipped).toBe(2);
    expect(r.events.map((e) => [e.id, e.dyad, e.admin1, e.best])).toEqual([
      ['1', 'Government of Pakistan - TTP, faction', 'FATA', 3],
      ['4', 'Government of Pakistan - TTP', '(unknown)', 0],
    ]);
  });
});

describe('Hawkes rolling-origin backtest (bounded subset)', () => {
  const parsed = parseUcdpCsv(readFileSync(FILE, 'utf8'));

  it('scores every weekly window against both Poisson baselines, refitting on schedule', () => {
    // A fixed decay keeps this quick; the CLI test runs the decay search.
    const r = runHawkesBacktest(parsed.events, { from: '2018-01-01', to: '2018-03-26', refitWeeks: 4, beta: 1 / 14, samples: 100, seed: 3 });
    expect(r.windows).toBe(12);
    expect(r.model.refits).toBe(3);
    expect(r.rows.map((x) => x.origin)[1]).toBe('2018-01-08');
    expect(r.rows.reduce((s, x) => s + x.hawkes, 0) / r.windows).toBeCloseTo(r.model.mean_loglik, 8);
    for (const s of [r.model, r.baselines.poisson_constant, r.baselines.poisson_ma28]) {
      expect(Number.isFinite(s.mean_loglik)).toBe(true);
      expect(s.mean_loglik).toBeLessThanOrEqual(0);
      expect(s.coverage_90).toBeGreaterThanOrEqual(0);
      expect(s.coverage_90).toBeLessThanOrEqual(1);
    }
    const best = Math.max(r.baselines.poisson_constant.mean_loglik, r.baselines.poisson_ma28.mean_loglik);
    expect(r.beats_baselines).toBe(r.model.mean_loglik > best);
    expect(r.verdict.includes('does NOT beat')).toBe(!r.beats_baselines);
    const text = formatHawkesBacktest(r);
    expect(text).toContain('28-day moving average');
    expect(text).toContain(r.verdict);
    // Same seed, same figures.
    const again = runHawkesBacktest(parsed.events, { from: '2018-01-01', to: '2018-03-26', refitWeeks: 4, beta: 1 / 14, samples: 100, seed: 3 });
    expect(again.model).toEqual(r.model);
  });

  it('rejects an origin range with no window', () => {
    expect(() => runHawkesBacktest(parsed.events, { from: '2018-01-01', to: '2018-01-01', beta: 0.1 })).toThrow(/no forecast windows/);
    expect(() => runHawkesBacktest(parsed.events, { from: '2018-13-01' })).toThrow(/not a date/);
  });

  it('log-gamma and the predictive pmf', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 10);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 10);
    // Without overdispersion the predictive is Poisson; with it, a pmf that still sums to one.
    expect(countLogPmf(3, 2, 2)).toBeCloseTo(poissonLogPmf(3, 2), 12);
    let total = 0;
    for (let y = 0; y < 400; y++) total += Math.exp(countLogPmf(y, 2.5, 9));
    expect(total).toBeCloseTo(1, 6);
  });
});
