import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BORDER_NAME,
  BORDER_NOTE,
  BorderLine,
  findGeoDataDir,
  GeoError,
  haversineKm,
  loadGeo,
  parseBoundaries,
  type BoundaryData,
  type PointFacts,
} from '../../src/geo/index.js';

const geo = loadGeo();

function facts(lat: number, lon: number): PointFacts {
  return geo.pointFacts(lat, lon);
}

// GeoNames coordinates (see ../shared/data/README.md) unless noted.
describe('pointFacts: which side of the Afghanistan–Pakistan border (Durand Line)', () => {
  it('Kabul: Afghanistan, far from the border', () => {
    const f = facts(34.52813, 69.17233);
    expect(f).toMatchObject({ country: 'AFG', side: 'AFG', admin1: 'Kabul', admin2: 'Kabul', near_border: false });
    // The nearest stretch is the tip of Kurram (the "Parrot's Beak"), about 86 km east-south-east.
    expect(f.distance_to_border_km).toBeGreaterThan(70);
    expect(f.distance_to_border_km).toBeLessThan(110);
  });

  it('Spin Boldak: Afghanistan, a few km from the border', () => {
    const f = facts(31.00575, 66.40001);
    expect(f).toMatchObject({ country: 'AFG', side: 'AFG', admin1: 'Kandahar', admin2: 'Spin Boldak' });
    expect(f.distance_to_border_km).toBeGreaterThan(2);
    expect(f.distance_to_border_km).toBeLessThan(12);
  });

  it('Chaman: Pakistan, a few km from the border', () => {
    const f = facts(30.91769, 66.45259);
    expect(f).toMatchObject({ country: 'PAK', side: 'PAK', admin1: 'Balochistan', admin2: 'Qilla Abdullah', admin1_former: null });
    expect(f.distance_to_border_km).toBeGreaterThan(1);
    expect(f.distance_to_border_km).toBeLessThan(10);
  });

  it('Parachinar: Pakistan, Kurram, formerly FATA', () => {
    const f = facts(33.89968, 70.10012);
    expect(f).toMatchObject({
      country: 'PAK',
      side: 'PAK',
      admin1: 'Khyber Pakhtunkhwa',
      admin1_former: 'Federally Administered Tribal Areas',
      admin2: 'Kurram',
    });
    expect(f.distance_to_border_km).toBeGreaterThan(5);
    expect(f.distance_to_border_km).toBeLessThan(20);
  });

  it('Torkham crossing: on the border, side uncertain', () => {
    const torkham = geo.lookup('Torkham').items[0]!;
    const f = facts(torkham.lat, torkham.lon);
    expect(f.distance_to_border_km).toBeLessThan(2);
    expect(f.near_border).toBe(true);
    expect(f.side).not.toBeNull();
  });

  it('every curated crossing lies within 2 km of the border line', () => {
    const crossings = geo.places().filter((p) => p.kind === 'crossing');
    expect(crossings.length).toBeGreaterThanOrEqual(5);
    for (const c of crossings) expect(facts(c.lat, c.lon).distance_to_border_km, c.name).toBeLessThan(2);
  });

  it('Peshawar: Pakistan, formerly N.W.F.P.', () => {
    expect(facts(34.008, 71.578)).toMatchObject({ country: 'PAK', admin1: 'Khyber Pakhtunkhwa', admin1_former: 'North-West Frontier Province', admin2: 'Peshawar' });
  });

  it('Zahedan, Iran: no side', () => {
    const f = facts(29.4963, 60.8629);
    expect(f).toMatchObject({ country: null, side: null, admin1: null, admin2: null });
    expect(f.distance_to_border_km).toBeGreaterThan(0);
  });

  it('Srinagar, in the part of Kashmir outside the Pakistan outline: no side', () => {
    expect(facts(34.0837, 74.7973)).toMatchObject({ country: null, side: null });
  });

  it('Gilgit, inside the de facto Pakistan outline: Pakistan, Gilgit-Baltistan', () => {
    expect(facts(35.9208, 74.3083)).toMatchObject({ country: 'PAK', side: 'PAK', admin1: 'Gilgit-Baltistan' });
  });

  it('points far away still get a distance', () => {
    const paris = facts(48.8566, 2.3522);
    expect(paris.side).toBeNull();
    expect(paris.distance_to_border_km).toBeGreaterThan(4500);
    expect(facts(-89.9, -179.9).side).toBeNull();
  });
});

describe('pointFacts: coordinates are validated', () => {
  const bad: [unknown, unknown][] = [
    [Number.NaN, 69],
    [34, Number.NaN],
    [Number.POSITIVE_INFINITY, 69],
    [34, Number.NEGATIVE_INFINITY],
    [90.0001, 69],
    [-91, 69],
    [34, 180.5],
    [34, -181],
    ['34.5', 69.1],
    [null, 69],
    [undefined, undefined],
  ];
  it.each(bad)('rejects (%s, %s) with INVALID_COORDINATES', (lat, lon) => {
    let error: unknown;
    try {
      geo.pointFacts(lat as number, lon as number);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GeoError);
    expect((error as GeoError).code).toBe('INVALID_COORDINATES');
  });

  it('accepts the edges of the valid range', () => {
    expect(() => facts(90, 180)).not.toThrow();
    expect(() => facts(-90, -180)).not.toThrow();
  });
});

describe('border constants', () => {
  it('uses the neutral name and notes that Afghanistan does not recognise the line', () => {
    expect(BORDER_NAME).toBe('Afghanistan–Pakistan border (Durand Line)');
    expect(BORDER_NOTE).toMatch(/Afghanistan does not recognise/);
  });
});

describe('indexes agree with brute force', () => {
  const dir = findGeoDataDir();
  const read = (f: string): unknown => JSON.parse(readFileSync(path.join(dir, f), 'utf8'));
  const data: BoundaryData = parseBoundaries({
    countries: read('countries.geojson'),
    border: read('border.geojson'),
    afgAdm1: read('afg-adm1.geojson'),
    afgAdm2: read('afg-adm2.geojson'),
    pakAdm1: read('pak-adm1.geojson'),
    pakAdm2: read('pak-adm2.geojson'),
  });
  const line = new BorderLine(data.border);

  function bruteForceKm(lat: number, lon: number): number {
    let best = Infinity;
    for (const l of data.border) {
      // dense sampling of each segment: a slow but independent estimate
      for (let i = 0; i + 1 < l.length; i++) {
        const [ax, ay] = l[i]!;
        const [bx, by] = l[i + 1]!;
        for (let t = 0; t <= 1; t += 1 / 64) best = Math.min(best, haversineKm(lat, lon, ay + t * (by - ay), ax + t * (bx - ax)));
      }
    }
    return best;
  }

  it('nearest border segment through the grid equals the nearest by scanning every segment', () => {
    fc.assert(
      fc.property(fc.double({ min: 20, max: 42, noNaN: true }), fc.double({ min: 55, max: 80, noNaN: true }), (lat, lon) => {
        const indexed = line.distance(lat, lon)!.km;
        const brute = bruteForceKm(lat, lon);
        // Sampling overestimates by at most half a sample step: the longest segment is 44 km,
        // sampled 64 times, so 0.35 km. A segment missed by the index would be off by more.
        expect(indexed).toBeLessThanOrEqual(brute + 1e-6);
        expect(indexed).toBeGreaterThan(brute - 0.35);
      }),
      { numRuns: 200 },
    );
  });

  it('side is the country, and is null exactly when the point is outside both outlines', () => {
    fc.assert(
      fc.property(fc.double({ min: 23, max: 39, noNaN: true }), fc.double({ min: 60, max: 78, noNaN: true }), (lat, lon) => {
        const f = facts(lat, lon);
        expect(f.side).toBe(f.country);
        expect(f.distance_to_border_km).toBeGreaterThanOrEqual(0);
        expect(f.near_border).toBe(f.distance_to_border_km < 2);
        if (f.country === null) expect(f.admin1).toBeNull();
        else expect(f.admin1).not.toBeNull();
      }),
      { numRuns: 300 },
    );
  });
});
