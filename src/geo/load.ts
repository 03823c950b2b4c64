// The one file of the places module that touches the file system: it reads data/geo/ and
// hands plain, validated data to the pure code in geo.ts.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GeoError } from './errors.js';
import { createGeo, type Geo } from './geo.js';
import { GEO_FILES, parseBoundaries, parseGazetteer, type BoundaryFileKey } from './parse.js';

/**
 * data/geo/ of the package this module belongs to: the nearest directory above this file
 * that holds package.json — works from src/geo/ (tests, tsx) and dist/src/geo/ alike.
 */
export function findGeoDataDir(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) {
      const data = path.join(dir, 'data', 'geo');
      if (existsSync(path.join(data, GEO_FILES.gazetteer))) return data;
    }
    if (path.dirname(dir) === dir) {
      throw new GeoError('GEO_DATA_NOT_FOUND', `no data/geo/${GEO_FILES.gazetteer} in any package above ${from}`);
    }
  }
}

function readJson(dir: string, file: string): unknown {
  let text: string;
  try {
    text = readFileSync(path.join(dir, file), 'utf8');
  } catch (err) {
    throw new GeoError('GEO_DATA_NOT_FOUND', `cannot read ${path.join(dir, file)}: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new GeoError('GEO_DATA_INVALID', `${file} is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

const cache = new Map<string, Geo>();

/**
 * The places module over data/geo/, created once per data directory. Files are read when
 * first needed: the gazetteer on the first lookup, the boundaries on the first pointFacts.
 */
export function loadGeo(options: { readonly dataDir?: string } = {}): Geo {
  const dir = path.resolve(options.dataDir ?? findGeoDataDir());
  const cached = cache.get(dir);
  if (cached) return cached;
  const geo = createGeo({
    gazetteer: () => parseGazetteer(readJson(dir, GEO_FILES.gazetteer)),
    boundaries: () => {
      const keys: BoundaryFileKey[] = ['countries', 'border', 'afgAdm1', 'afgAdm2', 'pakAdm1', 'pakAdm2'];
      const files = Object.fromEntries(keys.map((k) => [k, readJson(dir, GEO_FILES[k])])) as Record<BoundaryFileKey, unknown>;
      return parseBoundaries(files);
    },
  });
  cache.set(dir, geo);
  return geo;
}
