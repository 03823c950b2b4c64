import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WarningEvent } from '../../src/warning/index.js';
import { computeIndicators, DAY_MS, detectChains, dyadKey, undirected, windowStat, zScore } from '../../src/warning/index.js';

const AS_OF = Date.UTC(2025, 9, 20);
let n = 0;
const ev = (daysBefore: number, a = 'PAK', b = 'AFG', fatalities = 0, extra: Partial<WarningEvent> = {}): WarningEvent => ({
  id: `E${++n}`,
  at: AS_OF - daysBefore * DAY_MS,
  dyad: { a, b, directed: true },
  district: 'AFG/Paktika',
  fatalities,
  lat: null,
  lon: null,
  visibility: 'public',
  ...extra,
});

describe('indicators', () => {
  it('counts events and deaths in [asOf − 7 d, asOf) and the 26 weekly windows before', () => {
    // Current week: 3 events, 5 deaths. Baseline: one event in each of 13 of the 26 weeks (alternate weeks).
    const events = [ev(0.5, 'PAK', 'AFG', 2), ev(3, 'PAK', 'AFG', 3), ev(6.99, 'PAK', 'AFG', 0)];
    for (let w = 1; w <= 26; w += 2) events.push(ev(7 * w + 1, 'PAK', 'AFG', 1));
    events.push(ev(-1)); // after asOf: ignored
    events.push(ev(7 + 182 + 1)); // before the baseline: ignored
    const s = windowStat(events, AS_OF, 7);
    expect(s.events).toBe(3);
    expect(s.fatalities).toBe(5);
    expect(s.baseline.windows).toBe(26);
    expect(s.baseline.events_mean).toBeCloseTo(0.5);
    expect(s.baseline.events_sd).toBeCloseTo(0.5);
    // sd 0.5 is floored at 1: z = (3 − 0.5) / 1.
    expect(s.events_z).toBeCloseTo(2.5);
  });

  it('the 28-day window uses 6 baseline windows', () => {
    const events = [ev(1), ev(27.5), ev(28 + 1), ev(28 * 2 + 1), ev(28 * 3 + 1)];
    const s = windowStat(events, AS_OF, 28);
    expect(s.events).toBe(2);
    expect(s.baseline.windows).toBe(6);
    expect(s.baseline.events_mean).toBeCloseTo(3 / 6);
  });

  it('a zero baseline gives a finite z-score: the excess over zero', () => {
    expect(zScore(0, 0, 0)).toBe(0);
    expect(zScore(4, 0, 0)).toBe(4);
    const s = windowStat([ev(1), ev(2)], AS_OF, 7);
    expect(s.baseline.events_mean).toBe(0);
    expect(s.events_z).toBe(2);
    expect(windowStat([], AS_OF, 7).events_z).toBe(0);
  });

  it('groups by dyad (directed and undirected) and by district', () => {
    const events = [ev(1), ev(2, 'AFG', 'PAK'), { ...ev(3), dyad: undirected('PAK', 'AFG'), district: 'AFG/Kandahar' }];
    const keys = computeIndicators(events, AS_OF).map((i) => `${i.by}:${i.key}`).sort();
    expect(keys).toEqual(['district:AFG/Kandahar', 'district:AFG/Paktika', 'dyad:AFG--PAK', 'dyad:AFG->PAK', 'dyad:PAK->AFG']);
    expect(dyadKey(undirected('PAK', 'AFG'))).toBe('AFG--PAK');
  });
});

describe('retaliation chains', () => {
  const h = (hours: number) => hours / 24;
  it('finds A→B→A→B as one chain of length 4 with its span and gaps', () => {
    const e = [ev(h(100)), ev(h(80), 'AFG', 'PAK'), ev(h(40)), ev(h(10), 'AFG', 'PAK')];
    const [c, ...rest] = detectChains(e);
    expect(rest).toHaveLength(0);
    expect(c!.length).toBe(4);
    expect(c!.events).toEqual(e.map((x) => x.id));
    expect(c!.first).toBe('PAK');
    expect(c!.span_hours).toBeCloseTo(90);
    expect(c!.gaps_hours.map((g) => Math.round(g))).toEqual([20, 40, 30]);
  });

  it('breaks the chain when the answer comes after the window, and honours a custom window', () => {
    const e = [ev(h(200)), ev(h(100), 'AFG', 'PAK')];
    expect(detectChains(e)).toHaveLength(0);
    expect(detectChains(e, 120)[0]!.length).toBe(2);
  });

  it('ignores same-direction repeats, other dyads and undirected events', () => {
    const e = [ev(h(50)), ev(h(40)), ev(h(30), 'TTP', 'PAK'), { ...ev(h(20), 'AFG', 'PAK'), dyad: undirected('AFG', 'PAK') }];
    expect(detectChains(e)).toHaveLength(0);
    const answered = detectChains([ev(h(50)), ev(h(40)), ev(h(30), 'AFG', 'PAK')]);
    // The answer joins the latest open chain.
    expect(answered).toHaveLength(1);
    expect(answered[0]!.events[0]).toBe(`E${n - 1}`);
  });
});

const SIDES = ['PAK', 'AFG', 'TTP'];
const arbEvent = fc.record({
  id: fc.uuid(),
  at: fc.oneof(fc.integer({ min: AS_OF - 400 * DAY_MS, max: AS_OF + 10 * DAY_MS }), fc.constant(Number.NaN)),
  a: fc.constantFrom(...SIDES),
  b: fc.constantFrom(...SIDES),
  directed: fc.boolean(),
  district: fc.constantFrom('AFG/Paktika', 'PAK/Khyber Pakhtunkhwa', 'AFG'),
  fatalities: fc.oneof(fc.nat(50), fc.constant(Number.NaN), fc.constant(-3)),
}).map((r): WarningEvent => ({ id: r.id, at: r.at, dyad: { a: r.a, b: r.b, directed: r.directed }, district: r.district, fatalities: r.fatalities, lat: null, lon: null, visibility: 'public' }));

describe('properties', () => {
  it('indicators never throw and are finite, whatever the events', () => {
    fc.assert(
      fc.property(fc.array(arbEvent, { maxLength: 60 }), (events) => {
        for (const i of computeIndicators(events, AS_OF)) {
          for (const s of [i.last7, i.last28]) {
            expect(Number.isFinite(s.events_z)).toBe(true);
            expect(Number.isFinite(s.fatalities_z)).toBe(true);
            expect(s.events).toBeGreaterThanOrEqual(0);
          }
        }
      }),
    );
  });

  it('chain lengths are consistent: length = events = gaps + 1, gaps within the window, span = sum of gaps, no event twice', () => {
    fc.assert(
      fc.property(fc.uniqueArray(arbEvent, { maxLength: 60, selector: (e) => e.id }), fc.integer({ min: 1, max: 500 }), (events, windowHours) => {
        const chains = detectChains(events, windowHours);
        const seen = new Set<string>();
        for (const c of chains) {
          expect(c.length).toBe(c.events.length);
          expect(c.length).toBeGreaterThanOrEqual(2);
          expect(c.gaps_hours).toHaveLength(c.length - 1);
          for (const g of c.gaps_hours) expect(g >= 0 && g <= windowHours).toBe(true);
          expect(c.span_hours).toBeCloseTo(c.gaps_hours.reduce((s, g) => s + g, 0), 6);
          for (const id of c.events) seen.add(id);
        }
        expect(seen.size).toBe(chains.reduce((s, c) => s + c.length, 0));
      }),
    );
  });
});
