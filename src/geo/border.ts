import { closestOnSegment, closestOnSegmentExact, KM_PER_DEGREE } from './distance.js';
import { GridIndex } from './grid.js';
import type { Position } from './types.js';

/** The neutral name the platform uses for the border, in every language's interface. */
export const BORDER_NAME = 'Afghanistan–Pakistan border (Durand Line)';

/** Shown wherever the border is drawn or measured. */
export const BORDER_NOTE =
  'Afghanistan does not recognise the Durand Line as an international border; Pakistan does. ' +
  'The line drawn is Natural Earth’s 1:10m de facto boundary, accurate to about a kilometre.';

/**
 * Points closer than this to the line are reported as near_border: the 1:10m line is not
 * accurate enough to say on which side they lie.
 */
export const BORDER_UNCERTAINTY_KM = 2;

const CELL_DEG = 0.25;
/** Relative error allowed for the local projection before the spherical re-check. */
const PROJECTION_MARGIN = 0.02;

export interface BorderDistance {
  readonly km: number;
  /** The nearest point of the border line. */
  readonly lat: number;
  readonly lon: number;
}

/**
 * The border as line segments in a grid index. The nearest segment is found by searching
 * rings of cells outwards from the point and stopping once no unsearched cell can hold a
 * closer segment.
 */
export class BorderLine {
  /** [ax, ay, bx, by] per segment. */
  private readonly segments: Float64Array;
  private readonly grid: GridIndex<number>;

  constructor(lines: readonly (readonly Position[])[]) {
    const segs: number[] = [];
    for (const line of lines) {
      for (let i = 0; i + 1 < line.length; i++) {
        const a = line[i];
        const b = line[i + 1];
        if (a && b) segs.push(a[0], a[1], b[0], b[1]);
      }
    }
    this.segments = Float64Array.from(segs);
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let i = 0; i < segs.length; i += 2) {
      minX = Math.min(minX, segs[i]!);
      maxX = Math.max(maxX, segs[i]!);
      minY = Math.min(minY, segs[i + 1]!);
      maxY = Math.max(maxY, segs[i + 1]!);
    }
    this.grid = new GridIndex<number>(segs.length > 0 ? [minX, minY, maxX, maxY] : [0, 0, 1, 1], CELL_DEG);
    for (let s = 0; s * 4 < segs.length; s++) {
      const ax = segs[4 * s]!;
      const ay = segs[4 * s + 1]!;
      const bx = segs[4 * s + 2]!;
      const by = segs[4 * s + 3]!;
      this.grid.insert(s, [Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by)]);
    }
  }

  get segmentCount(): number {
    return this.segments.length / 4;
  }

  /** Distance from the point to the nearest point of the border line; null if there is no line. */
  distance(lat: number, lon: number): BorderDistance | null {
    if (this.segments.length === 0) return null;
    const [c, r] = this.grid.cellOf(lon, lat);
    const first = this.grid.minRing(c, r);
    const last = this.grid.maxRing(c, r);
    const seen = new Set<number>();
    const projected: { s: number; km: number }[] = [];
    let best: BorderDistance | null = null;
    for (let ring = first; ring <= last; ring++) {
      // Every segment not yet seen lies outside the (2·ring−1)-cell square around the point's
      // cell, so at least (ring−1) cells away in latitude or longitude. The margin covers the
      // projection error of the distances found so far.
      const reach = (ring - 1) * CELL_DEG;
      const kmPerDegLon = KM_PER_DEGREE * Math.cos((Math.min(89, Math.abs(lat) + Math.max(0, reach)) * Math.PI) / 180);
      const lowerBoundKm = Math.max(0, reach) * Math.min(KM_PER_DEGREE, kmPerDegLon);
      if (best !== null && best.km * (1 + PROJECTION_MARGIN) <= lowerBoundKm) break;
      const fresh: number[] = [];
      this.grid.forRing(c, r, ring, (items) => {
        for (const s of items) {
          if (!seen.has(s)) {
            seen.add(s);
            fresh.push(s);
          }
        }
      });
      for (const s of fresh) {
        const o = 4 * s;
        const p = closestOnSegment(lon, lat, this.segments[o]!, this.segments[o + 1]!, this.segments[o + 2]!, this.segments[o + 3]!);
        projected.push({ s, km: p.km });
        if (best === null || p.km < best.km) best = { km: p.km, lat: p.lat, lon: p.lon };
      }
    }
    if (best === null) return null;
    // Far from the border the projection centred on the point bends the segments a little:
    // the few segments that come close to the best are measured again on the sphere.
    const cutoff = best.km * (1 + PROJECTION_MARGIN);
    for (const { s, km } of projected) {
      if (km > cutoff) continue;
      const o = 4 * s;
      const p = closestOnSegmentExact(lon, lat, this.segments[o]!, this.segments[o + 1]!, this.segments[o + 2]!, this.segments[o + 3]!);
      if (p.km < best.km) best = { km: p.km, lat: p.lat, lon: p.lon };
    }
    return best;
  }
}
