import { GeoError } from './errors.js';
import type {
  AdminProps,
  AdminRename,
  Alpha3,
  AreaFeature,
  BoundaryData,
  CountryProps,
  CrossingSide,
  GazetteerData,
  Place,
  PlaceKind,
  PolygonRings,
  Position,
} from './types.js';

/** The files in data/geo/ that the runtime reads (scripts/geo/build.mjs writes them). */
export const GEO_FILES = {
  gazetteer: 'gazetteer.json',
  countries: 'countries.geojson',
  border: 'border.geojson',
  afgAdm1: 'afg-adm1.geojson',
  afgAdm2: 'afg-adm2.geojson',
  pakAdm1: 'pak-adm1.geojson',
  pakAdm2: 'pak-adm2.geojson',
} as const;

export type BoundaryFileKey = Exclude<keyof typeof GEO_FILES, 'gazetteer'>;

// The data files are ours, but they are read from disk where anything may have happened
// to them; a malformed file fails loudly here instead of producing wrong border facts later.
function invalid(where: string, why: string): never {
  throw new GeoError('GEO_DATA_INVALID', `${where}: ${why}`);
}

type Obj = Readonly<Record<string, unknown>>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function obj(v: unknown, where: string): Obj {
  if (!isObj(v)) invalid(where, 'expected an object');
  return v;
}
function arr(v: unknown, where: string): readonly unknown[] {
  if (!Array.isArray(v)) invalid(where, 'expected an array');
  return v;
}
function str(v: unknown, where: string): string {
  if (typeof v !== 'string') invalid(where, 'expected a string');
  return v;
}
function strOrNull(v: unknown, where: string): string | null {
  return v === null || v === undefined ? null : str(v, where);
}
function num(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) invalid(where, 'expected a finite number');
  return v;
}
function alpha3(v: unknown, where: string): Alpha3 {
  if (v !== 'AFG' && v !== 'PAK') invalid(where, 'expected AFG or PAK');
  return v;
}

const KINDS: readonly PlaceKind[] = ['crossing', 'populated_place', 'district', 'province'];

function position(v: unknown, where: string): Position {
  const a = arr(v, where);
  const lon = num(a[0], where);
  const lat = num(a[1], where);
  if (lon < -180 || lon > 180 || lat < -90 || lat > 90) invalid(where, 'coordinates out of range');
  return [lon, lat];
}

function ring(v: unknown, where: string): readonly Position[] {
  return arr(v, where).map((p, i) => position(p, `${where}[${i}]`));
}

function polygons(geometry: unknown, where: string): readonly PolygonRings[] {
  const g = obj(geometry, where);
  const coords = arr(g.coordinates, `${where}.coordinates`);
  const poly = (p: unknown, w: string): PolygonRings => arr(p, w).map((r, i) => ring(r, `${w}[${i}]`));
  if (g.type === 'Polygon') return [poly(coords, `${where}.coordinates`)];
  if (g.type === 'MultiPolygon') return coords.map((p, i) => poly(p, `${where}.coordinates[${i}]`));
  return invalid(where, `unsupported geometry type ${String(g.type)}`);
}

function features(json: unknown, file: string): readonly Obj[] {
  const fc = obj(json, file);
  if (fc.type !== 'FeatureCollection') invalid(file, 'not a FeatureCollection');
  return arr(fc.features, `${file}.features`).map((f, i) => obj(f, `${file}.features[${i}]`));
}

function areaLayer<P>(json: unknown, file: string, props: (p: Obj, where: string) => P): AreaFeature<P>[] {
  return features(json, file).map((f, i) => {
    const where = `${file}.features[${i}]`;
    return { properties: props(obj(f.properties, `${where}.properties`), where), polygons: polygons(f.geometry, `${where}.geometry`) };
  });
}

const countryProps = (p: Obj, w: string): CountryProps => ({ iso3: alpha3(p.iso3, `${w}.iso3`), name: str(p.name, `${w}.name`) });

function adminProps(p: Obj, w: string): AdminProps {
  const former = strOrNull(p.former ?? p.admin1_former, `${w}.former`);
  const admin1 = strOrNull(p.admin1, `${w}.admin1`);
  return {
    name: str(p.name, `${w}.name`),
    country: alpha3(p.country, `${w}.country`),
    ...(admin1 !== null ? { admin1 } : {}),
    former,
  };
}

function borderLines(json: unknown, file: string): (readonly Position[])[] {
  return features(json, file).map((f, i) => {
    const where = `${file}.features[${i}].geometry`;
    const g = obj(f.geometry, where);
    if (g.type !== 'LineString') invalid(where, 'expected a LineString');
    return ring(g.coordinates, `${where}.coordinates`);
  });
}

/** Validates the seven boundary files (already JSON-parsed) into plain boundary data. */
export function parseBoundaries(files: Readonly<Record<BoundaryFileKey, unknown>>): BoundaryData {
  return {
    countries: areaLayer(files.countries, GEO_FILES.countries, countryProps),
    border: borderLines(files.border, GEO_FILES.border),
    afgAdm1: areaLayer(files.afgAdm1, GEO_FILES.afgAdm1, adminProps),
    afgAdm2: areaLayer(files.afgAdm2, GEO_FILES.afgAdm2, adminProps),
    pakAdm1: areaLayer(files.pakAdm1, GEO_FILES.pakAdm1, adminProps),
    pakAdm2: areaLayer(files.pakAdm2, GEO_FILES.pakAdm2, adminProps),
  };
}

function side(v: unknown, where: string): CrossingSide {
  const s = obj(v, where);
  return { country: alpha3(s.country, `${where}.country`), admin1: str(s.admin1, `${where}.admin1`), admin2: str(s.admin2, `${where}.admin2`) };
}

function place(v: unknown, where: string): Place {
  const p = obj(v, where);
  const kind = p.kind;
  if (!KINDS.includes(kind as PlaceKind)) invalid(`${where}.kind`, 'unknown kind');
  const precision = p.precision;
  if (precision !== 1 && precision !== 2 && precision !== 3) invalid(`${where}.precision`, 'expected 1, 2 or 3');
  const lat = num(p.lat, `${where}.lat`);
  const lon = num(p.lon, `${where}.lon`);
  if (lat < -90 || lat > 90 || lon < -180 || lon > 180) invalid(where, 'coordinates out of range');
  const country = p.country === null ? null : alpha3(p.country, `${where}.country`);
  const out: Place = {
    id: str(p.id, `${where}.id`),
    name: str(p.name, `${where}.name`),
    names: arr(p.names, `${where}.names`).map((n, i) => str(n, `${where}.names[${i}]`)),
    country,
    admin1: strOrNull(p.admin1, `${where}.admin1`),
    admin2: strOrNull(p.admin2, `${where}.admin2`),
    lat,
    lon,
    population: p.population === undefined ? 0 : num(p.population, `${where}.population`),
    kind: kind as PlaceKind,
    precision,
    source: str(p.source, `${where}.source`),
    ...(p.sides !== undefined ? { sides: arr(p.sides, `${where}.sides`).map((s, i) => side(s, `${where}.sides[${i}]`)) } : {}),
    ...(p.note !== undefined ? { note: str(p.note, `${where}.note`) } : {}),
  };
  return out;
}

function rename(v: unknown, where: string): AdminRename {
  const r = obj(v, where);
  if (r.level !== 'admin1' && r.level !== 'admin2') invalid(`${where}.level`, 'expected admin1 or admin2');
  return {
    country: alpha3(r.country, `${where}.country`),
    level: r.level,
    from: arr(r.from, `${where}.from`).map((f, i) => str(f, `${where}.from[${i}]`)),
    to: str(r.to, `${where}.to`),
    since: str(r.since, `${where}.since`),
    note: str(r.note, `${where}.note`),
  };
}

/** Validates gazetteer.json (already JSON-parsed). */
export function parseGazetteer(json: unknown): GazetteerData {
  const file = GEO_FILES.gazetteer;
  const g = obj(json, file);
  return {
    places: arr(g.places, `${file}.places`).map((p, i) => place(p, `${file}.places[${i}]`)),
    renames: arr(g.renames, `${file}.renames`).map((r, i) => rename(r, `${file}.renames[${i}]`)),
  };
}
