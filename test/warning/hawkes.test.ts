import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HawkesEvent, HawkesModel } from '../../src/warning/hawkes.js';
import { expectedCount, fit, intensity, logLikelihood, sampleQuantile, seededRng, simulate, simulateEvents, spectralRadius } from '../../src/warning/hawkes.js';

const eventsArb = (dims: number) =>
  fc.array(fc.record({ t: fc.double({ min: 0, max: 100, noNaN: true }), k: fc.integer({ min: 0, max: dims - 1 }) }), { minLength: 1, maxLength: 60 });

const modelArb = (dims: number) =>
  fc.record({
    mu: fc.array(fc.double({ min: 1e-4, max: 3, noNaN: true }), { minLength: dims, maxLength: dims }),
    alpha: fc.array(fc.array(fc.double({ min: 0, max: 0.4, noNaN: true }), { minLength: dims, maxLength: dims }), { minLength: dims, maxLength: dims }),
    beta: fc.double({ min: 0.01, max: 20, noNaN: true }),
  });

describe('Hawkes likelihood and intensity (properties)', () => {
  it('the log-likelihood is finite when every background rate is positive', () => {
    fc.assert(
      fc.property(modelArb(3), eventsArb(3), (m, evs) => {
        const ll = logLikelihood(m, evs, { from: 0, to: 100 });
        expect(Number.isFinite(ll)).toBe(true);
      }),
    );
  });

  it('intensities are never negative and never below the background rate', () => {
    fc.assert(
      fc.property(modelArb(3), eventsArb(3), fc.double({ min: 0, max: 120, noNaN: true }), (m, evs, at) => {
        const lam = intensity(m, evs, at);
        lam.forEach((x, l) => expect(x).toBeGreaterThanOrEqual(m.mu[l]!));
      }),
    );
  });

  it('EM never decreases the likelihood between iterations, and the fit is finite', () => {
    fc.assert(
      fc.property(eventsArb(3), fc.double({ min: 0.05, max: 10, noNaN: true }), (evs, beta) => {
        const f = fit(evs, 3, { beta, window: { from: 0, to: 100 }, maxIter: 60 });
        expect(Number.isFinite(f.loglik)).toBe(true);
        for (let i = 1; i < f.trace.length; i++) expect(f.trace[i]!).toBeGreaterThanOrEqual(f.trace[i - 1]! - 1e-7 * (1 + Math.abs(f.trace[i - 1]!)));
        expect(f.mu.every((x) => x >= 0)).toBe(true);
        expect(f.alpha.flat().every((x) => x >= 0)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('the reported log-likelihood equals logLikelihood on the fitted model', () => {
    const evs: HawkesEvent[] = [0.5, 1, 1.2, 4, 4.1, 9].map((t, i) => ({ t, k: i % 2 }));
    const f = fit(evs, 2, { beta: 1, window: { from: 0, to: 10 } });
    expect(logLikelihood(f, evs, { from: 0, to: 10 })).toBeCloseTo(f.loglik, 8);
  });

  it('a dimension without events gets no background rate and no excitation, and still fits', () => {
    const evs: HawkesEvent[] = [1, 2, 3, 5, 8].map((t) => ({ t, k: 0 }));
    const f = fit(evs, 3, { beta: 1, window: { from: 0, to: 10 } });
    expect(f.mu[2]).toBe(0);
    expect(f.alpha[2]!.every((x) => x === 0)).toBe(true);
    expect(Number.isFinite(f.loglik)).toBe(true);
  });

  it('rejects events outside the dimensions', () => {
    expect(() => fit([{ t: 1, k: 3 }], 2)).toThrow(/dimension 3/);
    expect(() => fit([{ t: Number.NaN, k: 0 }], 2)).toThrow(/not finite/);
  });
});

describe('Hawkes recovery and forecasts', () => {
  const truth: HawkesModel = {
    mu: [0.2, 0.1],
    alpha: [
      [0.3, 0.4],
      [0.1, 0.2],
    ],
    beta: 1.5,
  };

  it('the spectral radius of a known matrix', () => {
    expect(spectralRadius(truth.alpha)).toBeCloseTo(0.25 + Math.sqrt(0.0025 + 0.04), 6);
    expect(spectralRadius([[0, 2], [0.5, 0]])).toBeCloseTo(1, 6);
  });

  it('recovers mu, alpha and beta from a long simulated path (seeded)', () => {
    const T = 20_000;
    const evs = simulateEvents(truth, 0, T, seededRng(11));
    expect(evs.length).toBeGreaterThan(5000);
    const f = fit(evs, 2, { window: { from: 0, to: T }, betaRange: [0.05, 20] });
    expect(f.beta).toBeGreaterThan(1.5 * 0.7);
    expect(f.beta).toBeLessThan(1.5 * 1.4);
    f.mu.forEach((m, i) => expect(Math.abs(m - truth.mu[i]!)).toBeLessThan(0.3 * truth.mu[i]!));
    f.alpha.forEach((row, k) => row.forEach((a, l) => expect(Math.abs(a - truth.alpha[k]![l]!)).toBeLessThan(0.08)));
    expect(f.stationary).toBe(true);
    expect(f.spectral_radius).toBeCloseTo(spectralRadius(f.alpha), 10);
    // The fitted model explains the data better than the truth does only by overfitting's margin.
    expect(f.loglik).toBeGreaterThanOrEqual(logLikelihood(truth, evs, { from: 0, to: T }) - 1e-6);
  });

  it('a self-excitation-only fit keeps the matrix diagonal and explains the data less well', () => {
    const T = 5_000;
    const evs = simulateEvents(truth, 0, T, seededRng(12));
    const full = fit(evs, 2, { window: { from: 0, to: T }, beta: 1.5 });
    const diag = fit(evs, 2, { window: { from: 0, to: T }, beta: 1.5, structure: 'diagonal', init: full });
    expect(diag.alpha[0]![1]).toBe(0);
    expect(diag.alpha[1]![0]).toBe(0);
    expect(diag.alpha[0]![0]).toBeGreaterThan(0);
    expect(diag.loglik).toBeLessThan(full.loglik);
  });

  it('expected counts agree with the mean of simulations, and the interval is ordered', () => {
    const history: HawkesEvent[] = [{ t: 9.5, k: 0 }, { t: 9.8, k: 0 }, { t: 9.9, k: 1 }];
    const exp = expectedCount(truth, history, 10, 7);
    const sim = simulate(truth, history, 10, 7, seededRng(5), 4000);
    for (let l = 0; l < 2; l++) {
      const xs = sim.counts.map((c) => c[l]!);
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      expect(Math.abs(mean - exp[l]!)).toBeLessThan(0.05 * exp[l]! + 0.05);
      expect(sampleQuantile(xs, 0.05)).toBeLessThanOrEqual(sampleQuantile(xs, 0.95));
    }
    expect(sim.truncated).toBe(0);
    // Long after the history, the expected count tends to the stationary rate (I − αᵀ)⁻¹ μ per unit time.
    const far = expectedCount(truth, [], 0, 1000).map((x) => x / 1000);
    const det = (1 - 0.3) * (1 - 0.2) - 0.1 * 0.4;
    const stat0 = ((1 - 0.2) * 0.2 + 0.1 * 0.1) / det;
    expect(far[0]).toBeCloseTo(stat0, 2);
  });

  it('simulation is reproducible from the seed', () => {
    const a = simulate(truth, [], 0, 7, seededRng(42), 50).counts;
    const b = simulate(truth, [], 0, 7, seededRng(42), 50).counts;
    expect(a).toEqual(b);
  });
});
