import { AreaIndex } from './area-index.js';
import { BORDER_UNCERTAINTY_KM, BorderLine } from './border.js';
import { GeoError } from './errors.js';
import type { AdminProps, Alpha3, BoundaryData, CountryProps, PointFacts } from './types.js';

/**
 * How far a point inside a country may lie from the nearest admin unit of that country and
 * still be assigned to it: the country outlines (Natural Earth) and the admin units
 * (geoBoundaries) come from different surveys and do not meet exactly along the border.
 */
export const ADMIN_SNAP_KM = 15;

/** Rejects anything that is not a finite latitude in [-90, 90] and longitude in [-180, 180]. */
export function validateCoordinates(lat: number, lon: number): void {
  // Coordinates arrive from forms, SMS and imports: NaN, Infinity, strings and swapped
  // lat/lon beyond range are all rejected here rather than silently producing "no country".
  if (typeof lat !== 'number' || typeof lon !== 'number' || !Number.isFinite(lat) || !Number.isFinite(lon)) {
    throw new GeoError('INVALID_COORDINATES', 'latitude and longitude must be finite numbers');
  }
  if (lat < -90 || lat > 90) throw new GeoError('INVALID_COORDINATES', `latitude ${lat} is outside [-90, 90]`);
  if (lon < -180 || lon > 180) throw new GeoError('INVALID_COORDINATES', `longitude ${lon} is outside [-180, 180]`);
}

const round2 = (v: number): number => Math.round(v * 100) / 100;

export type PointFactsFn = (lat: number, lon: number) => PointFacts;

/** Builds the point-facts function over validated boundary data. */
export function createPointLocator(data: BoundaryData): PointFactsFn {
  const countries = new AreaIndex<CountryProps>(data.countries, 0.5);
  const border = new BorderLine(data.border);
  const admin1: Record<Alpha3, AreaIndex<AdminProps>> = {
    AFG: new AreaIndex(data.afgAdm1, 0.25),
    PAK: new AreaIndex(data.pakAdm1, 0.25),
  };
  const admin2: Record<Alpha3, AreaIndex<AdminProps>> = {
    AFG: new AreaIndex(data.afgAdm2, 0.1),
    PAK: new AreaIndex(data.pakAdm2, 0.1),
  };

  return (lat: number, lon: number): PointFacts => {
    validateCoordinates(lat, lon);
    const country = countries.containing(lon, lat)?.iso3 ?? null;
    const distance = border.distance(lat, lon);
    const km = distance === null ? Number.POSITIVE_INFINITY : distance.km;
    let a1: AdminProps | null = null;
    let a2: AdminProps | null = null;
    if (country !== null) {
      a1 = admin1[country].nearest(lon, lat, ADMIN_SNAP_KM)?.props ?? null;
      a2 = admin2[country].nearest(lon, lat, ADMIN_SNAP_KM)?.props ?? null;
    }
    // The district decides the province when there is one, so the pair is always consistent
    // (the province layers come from other surveys and differ by a few hundred metres).
    return {
      country,
      admin1: a2?.admin1 ?? a1?.name ?? null,
      admin1_former: (a2 ? a2.former : a1?.former) ?? null,
      admin2: a2?.name ?? null,
      side: country,
      distance_to_border_km: round2(km),
      near_border: km < BORDER_UNCERTAINTY_KM,
    };
  };
}
