// Exports: ACLED-compatible CSV, HXL-tagged CSV and RFC 7946 GeoJSON. Pure row formatting here;
// src/app/exports.ts reads the store page by page and streams the text.

export { ATTRIBUTION_SOURCES, ATTRIBUTION_TEXT } from './attribution.js';
export type { AttributionSource } from './attribution.js';
export { ACLED_EXPORT_HEADER, acledCsvRow } from './acled-csv.js';
export { HXL_COLUMNS, HXL_HEADER, HXL_TAGS, hxlRow } from './hxl.js';
export { geojsonClose, geojsonFeature, geojsonOpen } from './geojson.js';
export type { GeoJsonFeature } from './geojson.js';
export { guard } from './cells.js';
export { eventDate, localDate } from './incident-view.js';
export type { ActorInfo, ActorNames, StoredIncident } from './incident-view.js';
