import { closestOnSegment, KM_PER_DEGREE } from './distance.js';
import { GridIndex, type BBox } from './grid.js';
import type { AreaFeature } from './types.js';

interface Unit<P> {
  readonly props: P;
  /** Every ring of every polygon, as flat [lon, lat, lon, lat, …]; even-odd over all of them. */
  readonly rings: readonly Float64Array[];
  readonly bbox: BBox;
}

// Ray casting, even-odd rule (W. Randolph Franklin, "PNPOLY"). A point exactly on an edge
// may fall either way; callers treat points that close to a boundary as uncertain anyway.
function inRing(ring: Float64Array, x: number, y: number): boolean {
  let inside = false;
  const n = ring.length;
  // indices stay within [0, n) by construction, hence the non-null assertions
  for (let i = 0, j = n - 2; i < n; j = i, i += 2) {
    const xi = ring[i]!;
    const yi = ring[i + 1]!;
    const xj = ring[j]!;
    const yj = ring[j + 1]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function distanceToRingsKm(rings: readonly Float64Array[], x: number, y: number): number {
  let best = Infinity;
  for (const ring of rings) {
    const n = ring.length;
    for (let i = 0, j = n - 2; i < n; j = i, i += 2) {
      const d = closestOnSegment(x, y, ring[j]!, ring[j + 1]!, ring[i]!, ring[i + 1]!).km;
      if (d < best) best = d;
    }
  }
  return best;
}

/**
 * Administrative areas (countries, provinces, districts) behind a grid index: which area
 * contains a point, and which is nearest when none does (simplified outlines from different
 * sources leave slivers along shared boundaries).
 */
export class AreaIndex<P> {
  private readonly units: readonly Unit<P>[];
  private readonly grid: GridIndex<number>;

  constructor(features: readonly AreaFeature<P>[], cellDeg = 0.25) {
    const units: Unit<P>[] = [];
    const all: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const f of features) {
      const rings: Float64Array[] = [];
      const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
      for (const polygon of f.polygons) {
        for (const ring of polygon) {
          // GeoJSON rings repeat the first position at the end; the loops above close rings themselves
          const open = ring.length > 1 && ring[0]?.[0] === ring.at(-1)?.[0] && ring[0]?.[1] === ring.at(-1)?.[1] ? ring.slice(0, -1) : ring;
          if (open.length < 3) continue;
          const flat = new Float64Array(open.length * 2);
          open.forEach(([x, y], i) => {
            flat[2 * i] = x;
            flat[2 * i + 1] = y;
            if (x < b[0]) b[0] = x;
            if (y < b[1]) b[1] = y;
            if (x > b[2]) b[2] = x;
            if (y > b[3]) b[3] = y;
          });
          rings.push(flat);
        }
      }
      if (rings.length === 0) continue;
      units.push({ props: f.properties, rings, bbox: b });
      for (let k = 0; k < 2; k++) all[k] = Math.min(all[k]!, b[k]!);
      for (let k = 2; k < 4; k++) all[k] = Math.max(all[k]!, b[k]!);
    }
    this.units = units;
    this.grid = new GridIndex<number>(units.length > 0 ? all : [0, 0, 1, 1], cellDeg);
    units.forEach((u, i) => this.grid.insert(i, u.bbox));
  }

  /** The area containing the point, or null. */
  containing(lon: number, lat: number): P | null {
    for (const i of this.grid.at(lon, lat)) {
      const u = this.units[i];
      if (!u) continue;
      const [x0, y0, x1, y1] = u.bbox;
      if (lon < x0 || lon > x1 || lat < y0 || lat > y1) continue;
      let inside = false;
      for (const ring of u.rings) if (inRing(ring, lon, lat)) inside = !inside;
      if (inside) return u.props;
    }
    return null;
  }

  /** The area whose boundary is nearest to the point, if within maxKm. */
  nearest(lon: number, lat: number, maxKm: number): { readonly props: P; readonly km: number } | null {
    const inside = this.containing(lon, lat);
    if (inside !== null) return { props: inside, km: 0 };
    const kmPerCell = this.grid.cellDeg * KM_PER_DEGREE * Math.max(0.01, Math.cos((Math.min(89, Math.abs(lat) + 1) * Math.PI) / 180));
    const rings = Math.ceil(maxKm / kmPerCell);
    const [c, r] = this.grid.cellOf(lon, lat);
    const seen = new Set<number>();
    for (let k = 0; k <= rings; k++) this.grid.forRing(c, r, k, (items) => items.forEach((i) => seen.add(i)));
    let best: { props: P; km: number } | null = null;
    const padLat = maxKm / KM_PER_DEGREE;
    for (const i of seen) {
      const u = this.units[i];
      if (!u) continue;
      const [x0, y0, x1, y1] = u.bbox;
      const padLon = padLat / Math.max(0.01, Math.cos((lat * Math.PI) / 180));
      if (lon < x0 - padLon || lon > x1 + padLon || lat < y0 - padLat || lat > y1 + padLat) continue;
      const km = distanceToRingsKm(u.rings, lon, lat);
      if (km <= maxKm && (best === null || km < best.km)) best = { props: u.props, km };
    }
    return best;
  }
}
