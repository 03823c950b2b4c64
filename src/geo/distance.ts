/** IUGG mean Earth radius. */
export const EARTH_RADIUS_KM = 6371.0088;
/** Kilometres per degree of latitude on the mean sphere. */
export const KM_PER_DEGREE = (Math.PI / 180) * EARTH_RADIUS_KM;

const RAD = Math.PI / 180;

/** Great-circle distance (haversine formula) in km. */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * The point of segment (ax, ay)–(bx, by) closest to (x, y), found in an equirectangular
 * projection centred on (x, y) — exact enough at the scale of a border region — and its
 * haversine distance from (x, y). Coordinates are lon (x), lat (y) in degrees.
 */
export function closestOnSegment(
  x: number,
  y: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
): { readonly lon: number; readonly lat: number; readonly km: number } {
  const k = Math.cos(y * RAD);
  const px = (ax - x) * k;
  const py = ay - y;
  const dx = (bx - ax) * k;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(px * dx + py * dy) / len2));
  const lon = ax + t * (bx - ax);
  const lat = ay + t * (by - ay);
  return { lon, lat, km: haversineKm(y, x, lat, lon) };
}

const GOLDEN = (Math.sqrt(5) - 1) / 2;

/**
 * The point of the segment (straight in longitude/latitude, as drawn on the map) with the
 * smallest great-circle distance to (x, y), by golden-section search on the segment
 * parameter. Used to refine the projected answer of closestOnSegment far from the point,
 * where the projection centred on the point is no longer faithful.
 */
export function closestOnSegmentExact(
  x: number,
  y: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
): { readonly lon: number; readonly lat: number; readonly km: number } {
  const at = (t: number): number => haversineKm(y, x, ay + t * (by - ay), ax + t * (bx - ax));
  let lo = 0;
  let hi = 1;
  let t1 = hi - GOLDEN * (hi - lo);
  let t2 = lo + GOLDEN * (hi - lo);
  let f1 = at(t1);
  let f2 = at(t2);
  for (let i = 0; i < 48 && hi - lo > 1e-9; i++) {
    if (f1 <= f2) {
      hi = t2;
      t2 = t1;
      f2 = f1;
      t1 = hi - GOLDEN * (hi - lo);
      f1 = at(t1);
    } else {
      lo = t1;
      t1 = t2;
      f1 = f2;
      t2 = lo + GOLDEN * (hi - lo);
      f2 = at(t2);
    }
  }
  // the ends are candidates too (the search only brackets interior minima)
  let t = (lo + hi) / 2;
  let km = at(t);
  for (const end of [0, 1]) {
    const d = at(end);
    if (d < km) {
      km = d;
      t = end;
    }
  }
  return { lon: ax + t * (bx - ax), lat: ay + t * (by - ay), km };
}
