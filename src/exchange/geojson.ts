// RFC 7946 GeoJSON: one Feature per incident, a Point at [longitude, latitude] (WGS 84, no "crs"
// member, §4) or a null geometry when the incident has no coordinates (§3.2). The collection is
// written in pieces so that it can be streamed; the attribution is a foreign member (§6.1).
import { countryName } from '../intake/index.js';
import { ATTRIBUTION_SOURCES, ATTRIBUTION_TEXT } from './attribution.js';
import type { ActorNames, StoredIncident } from './incident-view.js';
import { actorsWithRole } from './incident-view.js';

export interface GeoJsonFeature {
  readonly type: 'Feature';
  readonly id: string;
  readonly geometry: { readonly type: 'Point'; readonly coordinates: readonly [number, number] } | null;
  readonly properties: Record<string, string | number | null>;
}

export function geojsonFeature(inc: StoredIncident, names: ActorNames): GeoJsonFeature {
  const loc = inc.location;
  const perps = actorsWithRole(inc, 'perpetrator', names);
  const targets = actorsWithRole(inc, 'target', names);
  const n = (v: number | null | undefined) => (v === undefined ? null : v);
  return {
    type: 'Feature',
    id: inc.id,
    geometry: loc.lat !== undefined && loc.lon !== undefined ? { type: 'Point', coordinates: [loc.lon, loc.lat] } : null,
    properties: {
      id: inc.id,
      title: inc.title ?? null,
      event_type: inc.event_type,
      sub_event_type: inc.sub_event_type,
      occurred_from: inc.occurred.from,
      occurred_to: inc.occurred.to,
      occurred_precision: inc.occurred.precision,
      occurred_stated: inc.occurred.stated ? JSON.stringify(inc.occurred.stated) : null,
      country: loc.country,
      country_name: countryName(loc.country),
      admin1: loc.admin1 ?? null,
      admin2: loc.admin2 ?? null,
      place: loc.place ?? null,
      geo_precision: n(loc.geo_precision),
      computed_country: loc.computed_country ?? null,
      computed_admin1: loc.computed_admin1 ?? null,
      computed_admin2: loc.computed_admin2 ?? null,
      side: loc.side ?? null,
      distance_to_border_km: n(loc.distance_to_border_km),
      perpetrators: perps.map((a) => a.name).join('; ') || null,
      perpetrator_ids: perps.map((a) => a.id).join(';') || null,
      targets: targets.map((a) => a.name).join('; ') || null,
      target_ids: targets.map((a) => a.id).join(';') || null,
      fatalities_low: n(inc.fatalities?.low),
      fatalities_best: n(inc.fatalities?.best),
      fatalities_high: n(inc.fatalities?.high),
      notes: inc.notes ?? null,
      sources: (inc.sources ?? []).join(';') || null,
      quality: (inc.quality ?? []).join(';') || null,
      origin_dataset: inc.origin?.dataset ?? null,
      origin_id: inc.origin?.id ?? null,
      visibility: inc.visibility,
      recorded_at: inc.recorded_at ?? null,
      log_index: n(inc.log_index),
    },
  };
}

export function geojsonOpen(): string {
  return '{"type":"FeatureCollection","features":[\n';
}

/** Ends the collection with its foreign members: attribution (text and sources) and when it was made. */
export function geojsonClose(meta: { readonly generated_at: string; readonly count: number }): string {
  return `\n],"attribution":${JSON.stringify(ATTRIBUTION_TEXT)},"attribution_sources":${JSON.stringify(ATTRIBUTION_SOURCES)},"generated_at":${JSON.stringify(meta.generated_at)},"count":${meta.count}}\n`;
}
