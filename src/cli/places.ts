import type { PlacesPort } from '../app/ports.js';
import { loadGeo } from '../geo/index.js';

/** The gazetteer and borders shipped in data/geo; files are read lazily on first use. */
export async function loadPlaces(): Promise<PlacesPort | null> {
  return loadGeo();
}
