// ACLED-compatible CSV: ACLED's 31 columns in ACLED's order, then Mizan's own columns, so ACLED
// tools read the file and Mizan reads it back without loss (docs/exchange.md). Pure row formatting.
import { ACLED_COLUMNS, acledOccurred, countryName, MIZAN_COLUMNS, numericOf, resolveOccurredCached } from '../intake/index.js';
import { guard } from './cells.js';
import type { ActorNames, StoredIncident } from './incident-view.js';
import { actorsWithRole, eventDate, zoneOf } from './incident-view.js';

export const ACLED_EXPORT_HEADER: readonly string[] = [...ACLED_COLUMNS, ...MIZAN_COLUMNS];

/** ACLED's columns that hold numbers or codes: never formula-guarded. */
const NUMERIC = new Set([
  'year', 'time_precision', 'inter1', 'inter2', 'interaction', 'iso', 'latitude', 'longitude', 'geo_precision', 'fatalities', 'timestamp',
  'mizan_fatalities_low', 'mizan_fatalities_high', 'mizan_distance_to_border_km', 'mizan_log_index',
]);

const DISORDER: Record<string, string> = {
  Battles: 'Political violence',
  'Explosions/Remote violence': 'Political violence',
  'Violence against civilians': 'Political violence',
  Protests: 'Demonstrations',
  Riots: 'Demonstrations',
  'Strategic developments': 'Strategic developments',
};

const INTER: Record<string, string> = { state_forces: '1', armed_group: '2', militia: '3' };

/** The event_date and time_precision ACLED gave, when they still describe the incident's interval. */
function originalDate(inc: StoredIncident): { date: string; precision: string } | null {
  const f = inc.origin?.dataset === 'acled' ? inc.origin.fields : undefined;
  const date = f?.event_date;
  if (!f || !date) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (!m) return null;
  const tp = f.time_precision === undefined || f.time_precision === '' ? undefined : Number(f.time_precision);
  try {
    const o = resolveOccurredCached(acledOccurred([Number(m[1]), Number(m[2]), Number(m[3])], tp, zoneOf(inc)));
    return o.from === inc.occurred.from && o.to === inc.occurred.to ? { date, precision: f.time_precision ?? '' } : null;
  } catch {
    return null;
  }
}

/**
 * One incident as an ACLED row. An incident that came from ACLED gets its own ACLED values
 * back; any other gets them derived from the model (disorder type from event type, inter codes
 * from actor kinds, country name and ISO numeric from the alpha-3 code).
 */
export function acledCsvRow(inc: StoredIncident, names: ActorNames): string[] {
  const fromAcled = inc.origin?.dataset === 'acled' ? inc.origin.fields : null;
  const perps = actorsWithRole(inc, 'perpetrator', names);
  const targets = actorsWithRole(inc, 'target', names);
  const loc = inc.location;
  const d = originalDate(inc);
  const derivedDate = eventDate(inc);
  const inter1 = INTER[perps[0]?.kind ?? ''] ?? '';
  const inter2 = INTER[targets[0]?.kind ?? ''] ?? '';
  const derived: Record<string, string> = {
    year: derivedDate.date.slice(0, 4),
    disorder_type: DISORDER[inc.event_type] ?? '',
    actor1: perps[0]?.name ?? '',
    assoc_actor_1: perps.slice(1).map((a) => a.name).join('; '),
    inter1,
    actor2: targets[0]?.name ?? '',
    assoc_actor_2: targets.slice(1).map((a) => a.name).join('; '),
    inter2,
    interaction: inter1 && inter2 ? [inter1, inter2].sort().join('') : '',
    civilian_targeting: inc.event_type === 'Violence against civilians' ? 'Civilian targeting' : '',
    iso: numericOf(loc.country),
    region: '',
    country: countryName(loc.country),
    admin3: '',
    source: inc.origin?.dataset === 'ucdp' ? (inc.origin.fields.source_office ?? '') : (inc.sources ?? []).join('; '),
    source_scale: '',
    tags: '',
    timestamp: inc.recorded_at ? String(Math.floor(Date.parse(inc.recorded_at) / 1000)) : '',
  };
  const fat = inc.fatalities ?? null;
  const values: Record<string, string> = {
    event_id_cnty: inc.id.startsWith('acled:') ? inc.id.slice(6) : inc.id,
    event_date: d ? d.date : derivedDate.date,
    time_precision: d ? d.precision : String(derivedDate.precision),
    event_type: inc.event_type,
    sub_event_type: inc.sub_event_type,
    admin1: loc.admin1 ?? '',
    admin2: loc.admin2 ?? '',
    location: loc.place ?? '',
    latitude: loc.lat === undefined ? '' : String(loc.lat),
    longitude: loc.lon === undefined ? '' : String(loc.lon),
    geo_precision: loc.geo_precision === undefined ? '' : String(loc.geo_precision),
    notes: inc.notes ?? '',
    fatalities: fat?.best === undefined ? '' : String(fat.best),
    mizan_id: inc.id,
    mizan_title: inc.title ?? '',
    mizan_occurred: inc.occurred.stated ? JSON.stringify(inc.occurred.stated) : '',
    mizan_occurred_from: inc.occurred.from,
    mizan_occurred_to: inc.occurred.to,
    mizan_country: loc.country,
    mizan_fatalities_low: fat?.low === undefined ? '' : String(fat.low),
    mizan_fatalities_high: fat?.high === undefined ? '' : String(fat.high),
    mizan_actors: (inc.actors ?? []).length === 0 ? '' : JSON.stringify([...perps.map((a) => ({ role: 'perpetrator', name: a.name, ...(a.kind ? { kind: a.kind } : {}) })), ...targets.map((a) => ({ role: 'target', name: a.name, ...(a.kind ? { kind: a.kind } : {}) }))]),
    mizan_sources: (inc.sources ?? []).join(';'),
    mizan_visibility: inc.visibility,
    mizan_quality: (inc.quality ?? []).join(';'),
    mizan_computed_country: loc.computed_country ?? '',
    mizan_computed_admin1: loc.computed_admin1 ?? '',
    mizan_computed_admin2: loc.computed_admin2 ?? '',
    mizan_side: loc.side ?? '',
    mizan_distance_to_border_km: loc.distance_to_border_km === null || loc.distance_to_border_km === undefined ? '' : String(loc.distance_to_border_km),
    mizan_origin: inc.origin ? JSON.stringify(inc.origin) : '',
    mizan_recorded_at: inc.recorded_at ?? '',
    mizan_log_index: inc.log_index === null || inc.log_index === undefined ? '' : String(inc.log_index),
  };
  return ACLED_EXPORT_HEADER.map((col) => {
    // An ACLED record keeps ACLED's own values for the columns the model does not hold.
    const v = values[col] ?? (fromAcled ? (fromAcled[col] ?? '') : (derived[col] ?? ''));
    return NUMERIC.has(col) ? v : guard(v);
  });
}
