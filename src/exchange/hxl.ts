// HXL-tagged CSV (Humanitarian Exchange Language 1.1, https://hxlstandard.org/standard/1-1final/):
// a header row, then a row of hashtags, then the data — the layout HDX and Ushahidi's HDX export
// use. HXL readers skip rows above the header, so the attribution goes there. Pure row formatting.
import { countryName } from '../intake/index.js';
import { guard } from './cells.js';
import type { ActorNames, StoredIncident } from './incident-view.js';
import { actorsWithRole, eventDate } from './incident-view.js';

interface HxlColumn {
  readonly name: string;
  readonly tag: string;
  readonly value: (inc: StoredIncident, names: ActorNames) => string;
  /** Numbers and dates: never formula-guarded. */
  readonly numeric?: boolean;
}

const num = (v: number | null | undefined): string => (v === null || v === undefined ? '' : String(v));

export const HXL_COLUMNS: readonly HxlColumn[] = [
  { name: 'event_id', tag: '#event+id', value: (i) => i.id },
  { name: 'event_date', tag: '#date+occurred', value: (i) => eventDate(i).date, numeric: true },
  { name: 'occurred_from', tag: '#date+start', value: (i) => i.occurred.from, numeric: true },
  { name: 'occurred_to', tag: '#date+end', value: (i) => i.occurred.to, numeric: true },
  { name: 'event_type', tag: '#event+type', value: (i) => i.event_type },
  { name: 'sub_event_type', tag: '#event+type+sub', value: (i) => i.sub_event_type },
  { name: 'title', tag: '#event+name', value: (i) => i.title ?? '' },
  { name: 'country_code', tag: '#country+code', value: (i) => i.location.country },
  { name: 'country', tag: '#country+name', value: (i) => countryName(i.location.country) },
  { name: 'admin1', tag: '#adm1+name', value: (i) => i.location.admin1 ?? '' },
  { name: 'admin2', tag: '#adm2+name', value: (i) => i.location.admin2 ?? '' },
  { name: 'location', tag: '#loc+name', value: (i) => i.location.place ?? '' },
  { name: 'latitude', tag: '#geo+lat', value: (i) => num(i.location.lat), numeric: true },
  { name: 'longitude', tag: '#geo+lon', value: (i) => num(i.location.lon), numeric: true },
  { name: 'geo_precision', tag: '#geo+precision', value: (i) => num(i.location.geo_precision), numeric: true },
  { name: 'computed_admin1', tag: '#adm1+name+computed', value: (i) => i.location.computed_admin1 ?? '' },
  { name: 'computed_admin2', tag: '#adm2+name+computed', value: (i) => i.location.computed_admin2 ?? '' },
  { name: 'side_of_border', tag: '#country+code+side', value: (i) => i.location.side ?? '' },
  { name: 'distance_to_border_km', tag: '#geo+distance+border_km', value: (i) => num(i.location.distance_to_border_km), numeric: true },
  { name: 'perpetrator', tag: '#org+perpetrator', value: (i, n) => actorsWithRole(i, 'perpetrator', n).map((a) => a.name).join('; ') },
  { name: 'target', tag: '#org+target', value: (i, n) => actorsWithRole(i, 'target', n).map((a) => a.name).join('; ') },
  { name: 'fatalities', tag: '#affected+killed', value: (i) => num(i.fatalities?.best), numeric: true },
  { name: 'fatalities_low', tag: '#affected+killed+min', value: (i) => num(i.fatalities?.low), numeric: true },
  { name: 'fatalities_high', tag: '#affected+killed+max', value: (i) => num(i.fatalities?.high), numeric: true },
  { name: 'notes', tag: '#description', value: (i) => i.notes ?? '' },
  { name: 'sources', tag: '#meta+source', value: (i) => (i.sources ?? []).join('; ') || (i.origin ? `${i.origin.dataset.toUpperCase()} ${i.origin.id}` : '') },
  { name: 'quality', tag: '#meta+quality', value: (i) => (i.quality ?? []).join('; ') },
  { name: 'visibility', tag: '#meta+visibility', value: (i) => i.visibility },
];

export const HXL_HEADER: readonly string[] = HXL_COLUMNS.map((c) => c.name);
export const HXL_TAGS: readonly string[] = HXL_COLUMNS.map((c) => c.tag);

export function hxlRow(inc: StoredIncident, names: ActorNames): string[] {
  return HXL_COLUMNS.map((c) => {
    const v = c.value(inc, names);
    return c.numeric ? v : guard(v);
  });
}
