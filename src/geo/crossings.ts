import { haversineKm } from './distance.js';
import type { Geo } from './geo.js';
import type { CrossingSide, Place, PointFacts } from './types.js';

export interface NearestCrossing {
  readonly id: string;
  readonly name: string;
  readonly lat: number;
  readonly lon: number;
  readonly sides: readonly CrossingSide[];
  /** Great-circle distance from the point, km (to 0.01 km). */
  readonly distance_km: number;
}

/** Point facts as the CLI and the API report them: the border facts and the nearest crossing. */
export type PointReport = PointFacts & { readonly nearest_crossing: NearestCrossing | null };

/**
 * The official crossing closest to a point. The curated list has a handful of entries, so a
 * scan costs less than building an index for it.
 */
export function nearestCrossing(places: readonly Place[], lat: number, lon: number): NearestCrossing | null {
  let best: { place: Place; km: number } | null = null;
  for (const p of places) {
    if (p.kind !== 'crossing') continue;
    const km = haversineKm(lat, lon, p.lat, p.lon);
    if (best === null || km < best.km) best = { place: p, km };
  }
  if (best === null) return null;
  const { place, km } = best;
  return { id: place.id, name: place.name, lat: place.lat, lon: place.lon, sides: place.sides ?? [], distance_km: Math.round(km * 100) / 100 };
}

/** pointFacts (which validates the coordinates, GeoError INVALID_COORDINATES) plus the nearest crossing. */
export function describePoint(geo: Geo, lat: number, lon: number): PointReport {
  const facts = geo.pointFacts(lat, lon);
  return { ...facts, nearest_crossing: nearestCrossing(geo.places(), lat, lon) };
}
