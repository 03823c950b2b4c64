import { createGazetteer, type Gazetteer } from './gazetteer.js';
import { createPointLocator, type PointFactsFn } from './point.js';
import type {
  AdminNameResolution,
  Alpha3,
  BoundaryData,
  GazetteerData,
  GeoPrecision,
  LookupOptions,
  LookupResult,
  Place,
  PointFacts,
} from './types.js';

/** Where the data comes from: called at most once each, on first use. */
export interface GeoSource {
  gazetteer(): GazetteerData;
  boundaries(): BoundaryData;
}

/** A single confident match: what an importer may fill in without asking a person. */
export interface ResolvedPlace {
  readonly id: string;
  readonly name: string;
  readonly lat: number;
  readonly lon: number;
  readonly admin1: string | null;
  readonly admin2: string | null;
  readonly precision: GeoPrecision;
}

/** Below this score a lone match is not trusted by resolvePlace (it stays available to lookup). */
export const MIN_RESOLVE_SCORE = 0.7;

export interface Geo {
  /** Places matching a name, best first, with ambiguity reported. */
  lookup(query: string, options?: LookupOptions): LookupResult;
  /** The best match when there is exactly one plausible place; null when none or ambiguous. */
  resolvePlace(name: string, country?: string): ResolvedPlace | null;
  /** Country, admin units, side of the border and distance to it. Throws GeoError INVALID_COORDINATES. */
  pointFacts(lat: number, lon: number): PointFacts;
  /** Maps a former admin name (FATA, N.W.F.P., Khyber Agency) to the current one. */
  resolveAdminName(name: string, options?: { readonly country?: Alpha3; readonly level?: 'admin1' | 'admin2' }): AdminNameResolution;
  /** Every place in the gazetteer. */
  places(): readonly Place[];
}

/** Country given as AFG/AF/Afghanistan or PAK/PK/Pakistan, in any case; null for anything else. */
export function toAlpha3(country: string): Alpha3 | null {
  const c = country.trim().toUpperCase();
  if (c === 'AFG' || c === 'AF' || c === 'AFGHANISTAN') return 'AFG';
  if (c === 'PAK' || c === 'PK' || c === 'PAKISTAN') return 'PAK';
  return null;
}

/**
 * The places module over a data source. The gazetteer index and the boundary indexes are
 * built separately on first use, so a caller that only looks up names never parses polygons.
 */
export function createGeo(source: GeoSource): Geo {
  let gazetteer: Gazetteer | null = null;
  let locate: PointFactsFn | null = null;
  const gaz = (): Gazetteer => (gazetteer ??= createGazetteer(source.gazetteer()));
  const loc = (): PointFactsFn => (locate ??= createPointLocator(source.boundaries()));

  return {
    lookup: (query, options) => gaz().lookup(query, options),
    resolvePlace(name, country) {
      let options: LookupOptions = { limit: 3 };
      if (country !== undefined && country.trim() !== '') {
        const c = toAlpha3(country);
        if (c === null) return null; // the module only knows places in AFG and PAK
        options = { ...options, country: c };
      }
      const result = gaz().lookup(name, options);
      const top = result.items[0];
      if (!top || result.ambiguous || top.score < MIN_RESOLVE_SCORE) return null;
      return { id: top.id, name: top.name, lat: top.lat, lon: top.lon, admin1: top.admin1, admin2: top.admin2, precision: top.precision };
    },
    pointFacts: (lat, lon) => loc()(lat, lon),
    resolveAdminName: (name, options) => gaz().resolveAdminName(name, options),
    places: () => gaz().places,
  };
}
