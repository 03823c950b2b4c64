import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCoordinate, parseQuery } from '../../src/cli/geo.js';
import { describePoint, nearestCrossing } from '../../src/geo/crossings.js';
import { GeoError, haversineKm, loadGeo } from '../../src/geo/index.js';

const geo = loadGeo();
const crossings = geo.places().filter((p) => p.kind === 'crossing');

describe('nearestCrossing', () => {
  it('the curated crossings exist (Torkham, Chaman–Spin Boldak, Angoor Adda, Ghulam Khan, Kharlachi)', () => {
    expect(crossings.length).toBeGreaterThanOrEqual(5);
  });

  it('is never farther than any other crossing (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 24, max: 38, noNaN: true }), fc.double({ min: 60, max: 78, noNaN: true }), (lat, lon) => {
        const n = nearestCrossing(geo.places(), lat, lon)!;
        for (const c of crossings) expect(n.distance_km).toBeLessThanOrEqual(haversineKm(lat, lon, c.lat, c.lon) + 0.01);
      }),
      { numRuns: 200 },
    );
  });

  it('at a crossing, is that crossing at distance 0, with both sides', () => {
    for (const c of crossings) {
      const n = nearestCrossing(geo.places(), c.lat, c.lon)!;
      expect(n).toMatchObject({ id: c.id, distance_km: 0 });
      expect(n.sides.map((s) => s.country).sort()).toEqual(['AFG', 'PAK']);
    }
  });

  it('is null when the gazetteer has no crossing', () => {
    expect(nearestCrossing(geo.places().filter((p) => p.kind !== 'crossing'), 34, 70)).toBeNull();
  });

  it('describePoint keeps pointFacts unchanged and validates the coordinates', () => {
    expect(describePoint(geo, 34.1, 71.1)).toMatchObject({ ...geo.pointFacts(34.1, 71.1), nearest_crossing: { name: 'Torkham' } });
    expect(() => describePoint(geo, 91, 0)).toThrow(GeoError);
  });
});

describe('CLI argument parsing for geo', () => {
  it('parseCoordinate reads every plain decimal exactly as Number does (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -180, max: 180 }), fc.nat({ max: 999_999 }), fc.boolean(), (whole, frac, plus) => {
        const text = `${plus && whole >= 0 ? '+' : ''}${whole}.${String(frac).padStart(6, '0')}`;
        expect(parseCoordinate('latitude', text)).toBe(Number(text));
      }),
    );
  });

  it('parseCoordinate refuses anything else with INVALID_COORDINATES (property)', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        fc.pre(!/^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$/.test(s));
        try {
          parseCoordinate('longitude', s);
          expect.unreachable(`accepted ${JSON.stringify(s)}`);
        } catch (e) {
          expect(e).toBeInstanceOf(GeoError);
          expect((e as GeoError).code).toBe('INVALID_COORDINATES');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('parseQuery joins words and refuses blank or over-long names', () => {
    expect(parseQuery(['Spin', 'Buldak'])).toBe('Spin Buldak');
    expect(() => parseQuery(['', ' '])).toThrow(/give a place name/);
    expect(() => parseQuery(['x'.repeat(201)])).toThrow(/at most 200/);
  });
});
