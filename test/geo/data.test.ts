import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createGeo,
  findGeoDataDir,
  GEO_FILES,
  GeoError,
  loadGeo,
  parseBoundaries,
  parseGazetteer,
  type AreaFeature,
  type AdminProps,
  type BoundaryData,
  type GeoErrorCode,
  type Position,
} from '../../src/geo/index.js';

function codeOf(fn: () => unknown): GeoErrorCode | 'no error' | 'not a GeoError' {
  try {
    fn();
    return 'no error';
  } catch (e) {
    return e instanceof GeoError ? e.code : 'not a GeoError';
  }
}

const dir = findGeoDataDir();

describe('shipped data (data/geo)', () => {
  it('stays small', () => {
    const total = readdirSync(dir).reduce((n, f) => n + statSync(path.join(dir, f)).size, 0);
    expect(total).toBeLessThan(3 * 1024 * 1024);
  });

  it('is exactly what scripts/geo/build.mjs wrote (no hand edits)', () => {
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
      outputs: Record<string, { sha256: string }>;
      warnings: string[];
    };
    for (const file of Object.values(GEO_FILES)) {
      const sha = createHash('sha256').update(readFileSync(path.join(dir, file))).digest('hex');
      expect(sha, file).toBe(manifest.outputs[file]?.sha256);
    }
    expect(manifest.warnings).toEqual([]);
  });

  it('loads quickly', () => {
    const geo = createGeoFrom(dir);
    const t0 = performance.now();
    geo.lookup('Chaman');
    const t1 = performance.now();
    geo.pointFacts(30.91769, 66.45259);
    const t2 = performance.now();
    // ~130 ms + ~110 ms on a developer machine; generous here so that slow CI does not flake
    expect(t1 - t0).toBeLessThan(1500);
    expect(t2 - t1).toBeLessThan(1500);
  });

  it('every place has a name, coordinates inside the region and a country or crossing sides', () => {
    const places = loadGeo().places();
    expect(places.length).toBeGreaterThan(1400);
    for (const p of places) {
      expect(p.name.length).toBeGreaterThan(0);
      expect(p.lat).toBeGreaterThan(23);
      expect(p.lat).toBeLessThan(39);
      expect(p.lon).toBeGreaterThan(60);
      expect(p.lon).toBeLessThan(78);
      if (p.kind === 'crossing') expect(p.sides?.map((s) => s.country)).toEqual(['AFG', 'PAK']);
      else expect(p.country).not.toBeNull();
    }
  });

  it('places in a district of the boundary data lie in that district', () => {
    const geo = loadGeo();
    let checked = 0;
    let same = 0;
    for (const p of geo.places()) {
      if (p.kind !== 'district') continue;
      checked++;
      const f = geo.pointFacts(p.lat, p.lon);
      if (f.admin2 === p.admin2 && f.admin1 === p.admin1) same++;
    }
    // a district's interior point may fall outside its country outline only at the border
    expect(same / checked).toBeGreaterThan(0.98);
  });
});

function createGeoFrom(d: string) {
  const read = (f: string): unknown => JSON.parse(readFileSync(path.join(d, f), 'utf8'));
  return createGeo({
    gazetteer: () => parseGazetteer(read(GEO_FILES.gazetteer)),
    boundaries: () =>
      parseBoundaries({
        countries: read(GEO_FILES.countries),
        border: read(GEO_FILES.border),
        afgAdm1: read(GEO_FILES.afgAdm1),
        afgAdm2: read(GEO_FILES.afgAdm2),
        pakAdm1: read(GEO_FILES.pakAdm1),
        pakAdm2: read(GEO_FILES.pakAdm2),
      }),
  });
}

describe('hostile or damaged data files', () => {
  it('reports a missing data directory on first use, with a code', () => {
    const geo = loadGeo({ dataDir: path.join(tmpdir(), 'mizan-no-such-dir') });
    expect(codeOf(() => geo.lookup('Chaman'))).toBe('GEO_DATA_NOT_FOUND');
    expect(codeOf(() => geo.pointFacts(34, 69))).toBe('GEO_DATA_NOT_FOUND');
  });

  it('reports a file that is not JSON', () => {
    const d = mkdtempSync(path.join(tmpdir(), 'mizan-geo-'));
    writeFileSync(path.join(d, GEO_FILES.gazetteer), '{"places": [');
    expect(codeOf(() => loadGeo({ dataDir: d }).lookup('Chaman'))).toBe('GEO_DATA_INVALID');
  });

  it('rejects malformed gazetteer records', () => {
    const good = { id: 'x', name: 'X', names: [], country: 'AFG', admin1: null, admin2: null, lat: 33, lon: 69, kind: 'district', precision: 3, source: 't' };
    expect(codeOf(() => parseGazetteer({ places: [good], renames: [] }))).toBe('no error');
    const bad: unknown[] = [
      null,
      [],
      { places: {}, renames: [] },
      { places: [{ ...good, lat: 'NaN' }], renames: [] },
      { places: [{ ...good, lat: 91 }], renames: [] },
      { places: [{ ...good, kind: 'city' }], renames: [] },
      { places: [{ ...good, country: 'IND' }], renames: [] },
      { places: [{ ...good, precision: 4 }], renames: [] },
      { places: [{ ...good, names: [1] }], renames: [] },
      { places: [{ ...good, sides: [{ country: 'AFG' }] }], renames: [] },
      { places: [good], renames: [{ country: 'PAK', level: 'admin3', from: [], to: 'x', since: '', note: '' }] },
    ];
    for (const b of bad) expect(codeOf(() => parseGazetteer(b)), JSON.stringify(b)).toBe('GEO_DATA_INVALID');
  });

  it('rejects malformed boundary layers', () => {
    const fc = (geometry: unknown, properties: unknown = { name: 'A', country: 'AFG', iso3: 'AFG' }): unknown => ({
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties, geometry }],
    });
    const square = { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] };
    const line = { type: 'LineString', coordinates: [[0, 0], [1, 1]] };
    const layers = { countries: fc(square), border: fc(line), afgAdm1: fc(square), afgAdm2: fc(square), pakAdm1: fc(square), pakAdm2: fc(square) };
    expect(codeOf(() => parseBoundaries(layers))).toBe('no error');
    const broken: Record<string, unknown>[] = [
      { countries: fc({ type: 'Point', coordinates: [0, 0] }) },
      { countries: fc({ type: 'Polygon', coordinates: [[[0, 0], [1, 'x'], [1, 1]]] }) },
      { countries: fc({ type: 'Polygon', coordinates: [[[0, 0], [200, 0], [1, 1]]] }) },
      { countries: fc(square, { name: 'A', iso3: 'IND' }) },
      { border: fc(square) },
      { afgAdm2: { type: 'Feature' } },
      { pakAdm2: fc(square, { country: 'PAK' }) },
    ];
    for (const b of broken) expect(codeOf(() => parseBoundaries({ ...layers, ...b })), JSON.stringify(b)).toBe('GEO_DATA_INVALID');
  });
});

describe('point facts over synthetic boundaries', () => {
  // AFG: the square [0,10]² with a hole [4,6]²; PAK: [10,20]×[0,10]; border along x = 10.
  const sq = (x0: number, y0: number, x1: number, y1: number): Position[] => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];
  const area = (name: string, country: 'AFG' | 'PAK', rings: Position[][], admin1?: string): AreaFeature<AdminProps> => ({
    properties: { name, country, ...(admin1 ? { admin1 } : {}), former: null },
    polygons: [rings],
  });
  const data: BoundaryData = {
    countries: [
      { properties: { iso3: 'AFG', name: 'Afghanistan' }, polygons: [[sq(0, 0, 10, 10), sq(4, 4, 6, 6)]] },
      { properties: { iso3: 'PAK', name: 'Pakistan' }, polygons: [[sq(10, 0, 20, 10)]] },
    ],
    border: [[[10, 0], [10, 10]]],
    afgAdm1: [area('West', 'AFG', [sq(0, 0, 10, 10)])],
    // the district stops short of the border, as simplified sources do
    afgAdm2: [area('Inner', 'AFG', [sq(0, 0, 9.95, 10)], 'West')],
    pakAdm1: [area('East', 'PAK', [sq(10, 0, 20, 10)])],
    pakAdm2: [area('Left', 'PAK', [sq(10, 0, 15, 10)], 'East'), area('Right', 'PAK', [sq(15, 0, 20, 10)], 'East')],
  };
  const geo = createGeo({ gazetteer: () => ({ places: [], renames: [] }), boundaries: () => data });

  it('assigns country, admin units and side', () => {
    expect(geo.pointFacts(2, 2)).toMatchObject({ country: 'AFG', side: 'AFG', admin1: 'West', admin2: 'Inner' });
    expect(geo.pointFacts(2, 17)).toMatchObject({ country: 'PAK', side: 'PAK', admin1: 'East', admin2: 'Right' });
  });

  it('treats a hole as outside', () => {
    expect(geo.pointFacts(5, 5)).toMatchObject({ country: null, side: null, admin1: null });
  });

  it('snaps to the nearest district across a sliver between layers', () => {
    expect(geo.pointFacts(5, 9.99)).toMatchObject({ country: 'AFG', admin2: 'Inner' });
  });

  it('measures the distance to the border line', () => {
    const f = geo.pointFacts(5, 9);
    expect(f.distance_to_border_km).toBeGreaterThan(110);
    expect(f.distance_to_border_km).toBeLessThan(112);
    expect(geo.pointFacts(5, 10.001).near_border).toBe(true);
  });
});
