/** [minLon, minLat, maxLon, maxLat] */
export type BBox = readonly [number, number, number, number];

/**
 * A fixed grid of cells over a bounding box; each cell lists the items whose bounding box
 * touches it. Queries look at one cell (point in polygon) or at rings of cells around a
 * point (nearest segment), so no query scans every polygon or segment.
 */
export class GridIndex<T> {
  readonly cellDeg: number;
  private readonly minLon: number;
  private readonly minLat: number;
  private readonly nx: number;
  private readonly ny: number;
  private readonly cells: T[][];

  constructor(bounds: BBox, cellDeg: number) {
    this.cellDeg = cellDeg;
    this.minLon = bounds[0];
    this.minLat = bounds[1];
    this.nx = Math.max(1, Math.ceil((bounds[2] - bounds[0]) / cellDeg));
    this.ny = Math.max(1, Math.ceil((bounds[3] - bounds[1]) / cellDeg));
    this.cells = Array.from({ length: this.nx * this.ny }, () => []);
  }

  /** Column and row of a point, unclamped (may lie outside the grid). */
  cellOf(lon: number, lat: number): readonly [number, number] {
    return [Math.floor((lon - this.minLon) / this.cellDeg), Math.floor((lat - this.minLat) / this.cellDeg)];
  }

  insert(item: T, bbox: BBox): void {
    const [c0, r0] = this.cellOf(bbox[0], bbox[1]);
    const [c1, r1] = this.cellOf(bbox[2], bbox[3]);
    for (let r = Math.max(0, r0); r <= Math.min(this.ny - 1, r1); r++) {
      for (let c = Math.max(0, c0); c <= Math.min(this.nx - 1, c1); c++) {
        this.cells[r * this.nx + c]?.push(item);
      }
    }
  }

  /** Items whose bounding box may contain the point. */
  at(lon: number, lat: number): readonly T[] {
    const [c, r] = this.cellOf(lon, lat);
    return this.cell(c, r);
  }

  cell(c: number, r: number): readonly T[] {
    if (c < 0 || r < 0 || c >= this.nx || r >= this.ny) return [];
    return this.cells[r * this.nx + c] ?? [];
  }

  /** Chebyshev distance, in cells, from (c, r) to the farthest cell of the grid. */
  maxRing(c: number, r: number): number {
    return Math.max(Math.abs(c), Math.abs(this.nx - 1 - c), Math.abs(r), Math.abs(this.ny - 1 - r));
  }

  /** Chebyshev distance, in cells, from (c, r) to the nearest cell of the grid (0 inside). */
  minRing(c: number, r: number): number {
    const dc = c < 0 ? -c : c >= this.nx ? c - this.nx + 1 : 0;
    const dr = r < 0 ? -r : r >= this.ny ? r - this.ny + 1 : 0;
    return Math.max(dc, dr);
  }

  /** Calls visit for every in-grid cell at exactly Chebyshev distance `ring` from (c, r). */
  forRing(c: number, r: number, ring: number, visit: (items: readonly T[]) => void): void {
    if (ring === 0) {
      visit(this.cell(c, r));
      return;
    }
    const top = r + ring;
    const bottom = r - ring;
    // clamped to the grid, so a point far outside costs O(grid side) per ring, not O(ring)
    const x0 = Math.max(0, c - ring);
    const x1 = Math.min(this.nx - 1, c + ring);
    for (let x = x0; x <= x1; x++) {
      visit(this.cell(x, top));
      visit(this.cell(x, bottom));
    }
    const y0 = Math.max(0, bottom + 1);
    const y1 = Math.min(this.ny - 1, top - 1);
    for (let y = y0; y <= y1; y++) {
      visit(this.cell(c - ring, y));
      visit(this.cell(c + ring, y));
    }
  }
}
