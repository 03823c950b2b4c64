// Boundaries from data/geo, bundled as static files and fetched from the app's own origin
// (no tile server, no remote style). When the server grows /api/v1/geo/*, only this file changes.
import afgAdm1Url from '../../../data/geo/afg-adm1.geojson?url';
import afgAdm2Url from '../../../data/geo/afg-adm2.geojson?url';
import borderUrl from '../../../data/geo/border.geojson?url';
import countriesUrl from '../../../data/geo/countries.geojson?url';
import pakAdm1Url from '../../../data/geo/pak-adm1.geojson?url';
import pakAdm2Url from '../../../data/geo/pak-adm2.geojson?url';

export const GEO_URLS = {
  countries: countriesUrl,
  border: borderUrl,
  afgAdm1: afgAdm1Url,
  pakAdm1: pakAdm1Url,
  afgAdm2: afgAdm2Url,
  pakAdm2: pakAdm2Url,
} as const;

/** Absolute URL on this origin (MapLibre's worker resolves relative URLs against its own file). */
export const absolute = (url: string) => new URL(url, window.location.href).href;

export interface AdminArea {
  readonly name: string;
  readonly country: 'AFG' | 'PAK';
}

let adminPromise: Promise<AdminArea[]> | null = null;

/** Province names (admin1) of both countries, for the filters. */
export function loadAdmin1(): Promise<AdminArea[]> {
  adminPromise ??= Promise.all([fetch(afgAdm1Url), fetch(pakAdm1Url)])
    .then((rs) => Promise.all(rs.map((r) => r.json() as Promise<{ features: { properties: { name: string; country: 'AFG' | 'PAK' } }[] }>)))
    .then((fcs) => fcs.flatMap((fc) => fc.features.map((f) => ({ name: f.properties.name, country: f.properties.country }))).sort((a, b) => a.name.localeCompare(b.name)))
    .catch((e: unknown) => {
      adminPromise = null;
      throw e;
    });
  return adminPromise;
}
