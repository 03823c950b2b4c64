// ACLED's CSV layout onto Mizan's incident model. Column meanings: ACLED Codebook (2023/2024)
// and acledR's acled_codebook. Pure: a row in, a mapped incident or a rejection out.
import { nameKey } from '../app/apply.js';
import type { OccurredInput } from '../domain/time.js';
import { localToUtcMs, TimeError } from '../domain/time.js';
import { ACLED_EVENT_TYPES } from '../domain/taxonomy.js';
import { alpha3FromName, alpha3FromNumeric, isKnownAlpha3 } from './countries.js';
import type { RowRejection } from './errors.js';
import type { Day, SourceRecord } from './fields.js';
import { addDays, code, coordinates, count, day, isoDay, problem, required, resolveOccurredCached, RowProblem, text, zoneFor } from './fields.js';
import type { MappedActor, MappedIncident, Origin, PublishedFatalities, QualityFlag } from './mapped.js';
import { checkCore } from './mapped.js';
import { extActors, extOccurred, extOrigin, extSources, extVisibility, IMPORT_ID, unguard } from './mizan-columns.js';

/** ACLED's columns in ACLED's order (2023 layout: no data_id, event_id_no_cnty or iso3). */
export const ACLED_COLUMNS = [
  'event_id_cnty',
  'event_date',
  'year',
  'time_precision',
  'disorder_type',
  'event_type',
  'sub_event_type',
  'actor1',
  'assoc_actor_1',
  'inter1',
  'actor2',
  'assoc_actor_2',
  'inter2',
  'interaction',
  'civilian_targeting',
  'iso',
  'region',
  'country',
  'admin1',
  'admin2',
  'admin3',
  'location',
  'latitude',
  'longitude',
  'geo_precision',
  'source',
  'source_scale',
  'notes',
  'fatalities',
  'tags',
  'timestamp',
] as const;

export const ACLED_REQUIRED = ['event_id_cnty', 'event_date', 'event_type', 'sub_event_type'] as const;

/** Columns the model holds in its own fields; every other column is kept in `origin.fields`. */
const MODELLED = new Set(['event_id_cnty', 'event_type', 'sub_event_type', 'admin1', 'admin2', 'location', 'latitude', 'longitude', 'geo_precision', 'notes', 'fatalities']);

// Case-insensitive lookups into ACLED's taxonomy, with the spellings older files use.
const EVENT_TYPE = new Map(Object.keys(ACLED_EVENT_TYPES).map((t) => [t.toLowerCase(), t]));
const SUB_EVENT_TYPE = new Map<string, Map<string, string>>(
  Object.entries(ACLED_EVENT_TYPES).map(([t, subs]) => [t, new Map(subs.map((s) => [s.toLowerCase(), s]))]),
);
const SUB_ALIASES: Record<string, string> = {
  'excessive force against protestors': 'excessive force against protesters',
  'remote explosive/landmine/ied': 'remote explosive/landmine/ied',
  'shelling/artillery/missile': 'shelling/artillery/missile attack',
};

export function canonicalEventType(v: string): string | null {
  return EVENT_TYPE.get(v.trim().toLowerCase()) ?? null;
}

export function canonicalSubEventType(eventType: string, v: string): string | null {
  const subs = SUB_EVENT_TYPE.get(eventType);
  if (!subs) return null;
  const k = v.trim().toLowerCase();
  return subs.get(k) ?? subs.get(SUB_ALIASES[k] ?? '') ?? null;
}

// ACLED inter codes, numeric (before 2024) or as words (since): the type of an actor.
const INTER_KIND: Record<string, MappedActor['kind']> = {
  '1': 'state_forces',
  '2': 'armed_group',
  '3': 'militia',
  '4': 'militia',
  '5': 'other',
  '6': 'other',
  '7': 'other',
  '8': 'other',
  'state forces': 'state_forces',
  'rebel group': 'armed_group',
  'political militia': 'militia',
  'identity militia': 'militia',
};

function actorKind(inter: string): MappedActor['kind'] {
  return INTER_KIND[inter.trim().toLowerCase()] ?? 'other';
}

/** The stated country: Mizan's own alpha-3 column, then ACLED's ISO numeric, then the name. */
function country(r: SourceRecord): string {
  const ext = text(r, 'mizan_country', 3);
  if (/^[A-Z]{3}$/.test(ext) && isKnownAlpha3(ext)) return ext;
  const iso = text(r, 'iso', 8);
  const name = text(r, 'country', 200);
  const found = (iso !== '' ? alpha3FromNumeric(iso) : null) ?? (name !== '' ? alpha3FromName(name) : null);
  if (found) return found;
  if (iso === '' && name === '') problem('missing_field', 'country', 'is empty (and so is iso)');
  return problem('unknown_country', name !== '' ? 'country' : 'iso', `${JSON.stringify(name || iso)} is not a country Mizan knows (ISO 3166-1 name or numeric code)`);
}

/**
 * ACLED's time_precision: 1 the day is known; 2 the source gives a week or a few days around the
 * coded date; 3 only the month is known. Mizan keeps that as an interval: the day, the seven
 * days centred on the coded date, or the calendar month.
 */
export function acledOccurred(d: Day, precision: number | undefined, zone: string): OccurredInput {
  switch (precision) {
    case undefined:
    case 1:
      return { local: isoDay(d), zone, precision: 'day' };
    case 2:
      return { local_from: `${isoDay(addDays(d, -3))}T00:00`, local_to: `${isoDay(addDays(d, 4))}T00:00`, zone };
    case 3:
      return { local: isoDay(d).slice(0, 7), zone, precision: 'month' };
    default:
      return problem('invalid_number', 'time_precision', 'must be 1, 2 or 3');
  }
}

/** The occurred form of a Mizan export, when its interval still contains the row's event_date. */
function statedIfConsistent(r: SourceRecord, d: Day, zone: string): OccurredInput | undefined {
  const stated = extOccurred(r);
  if (!stated) return undefined;
  try {
    const o = resolveOccurredCached(stated);
    const dayFrom = localToUtcMs(zone, d[0], d[1], d[2]);
    const dayTo = localToUtcMs(zone, d[0], d[1], d[2] + 1);
    return Date.parse(o.from) < dayTo && dayFrom < Date.parse(o.to) ? stated : undefined;
  } catch (e) {
    if (e instanceof TimeError) problem('invalid_extension', 'mizan_occurred', e.message);
    throw e;
  }
}

function actorsOf(r: SourceRecord): MappedActor[] {
  const out: MappedActor[] = [];
  const a1 = text(r, 'actor1', 300);
  const a2 = text(r, 'actor2', 300);
  if (a1) out.push({ name: a1, role: 'perpetrator', kind: actorKind(text(r, 'inter1', 40)) });
  if (a2) out.push({ name: a2, role: 'target', kind: actorKind(text(r, 'inter2', 40)) });
  const ext = extActors(r);
  if (!ext) return out;
  // Mizan's own list (all actors, not only two) counts only while it still agrees with actor1/actor2.
  const first = (role: MappedActor['role']) => ext.find((a) => a.role === role)?.name ?? '';
  return nameKey(first('perpetrator')) === nameKey(a1) && nameKey(first('target')) === nameKey(a2) ? ext : out;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,121}$/;
const NATIVE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

function withoutGuards(r: SourceRecord): SourceRecord {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(r)) out[k] = unguard(v);
  return out;
}

/**
 * One ACLED row. `fromMizan` is set when the file is a Mizan export (it has mizan_* columns):
 * then the export's formula guards are undone and the extension columns are read.
 */
export function mapAcledRow(row: SourceRecord, line: number, fromMizan = false): MappedIncident | RowRejection {
  try {
    return mapAcled(fromMizan ? withoutGuards(row) : row, line, fromMizan);
  } catch (e) {
    if (e instanceof RowProblem) return e.at(line);
    throw e;
  }
}

function mapAcled(r: SourceRecord, line: number, fromMizan: boolean): MappedIncident {
  const sourceId = required(r, 'event_id_cnty', 200);
  if (!ID.test(sourceId)) problem('invalid_id', 'event_id_cnty', 'must be letters, digits, ".", "_", ":" or "-", at most 122');
  const extId = fromMizan ? text(r, 'mizan_id', 200) : '';
  const id = IMPORT_ID.test(extId) ? extId : `acled:${sourceId}`;
  const native = extId !== '' && !IMPORT_ID.test(extId) && NATIVE_ID.test(extId) ? extId : undefined;

  const eventType = canonicalEventType(required(r, 'event_type', 100));
  if (!eventType) problem('unknown_event_type', 'event_type', `must be one of ACLED's event types: ${Object.keys(ACLED_EVENT_TYPES).join(', ')}`);
  const subEventType = canonicalSubEventType(eventType, required(r, 'sub_event_type', 100));
  if (!subEventType) problem('unknown_sub_event_type', 'sub_event_type', `is not a sub-event type of "${eventType}"`);

  const alpha3 = country(r);
  const zone = zoneFor(alpha3);
  const d = day(r, 'event_date');
  const precision = code(r, 'time_precision', [1, 2, 3]);
  const occurred = (fromMizan ? statedIfConsistent(r, d, zone) : undefined) ?? acledOccurred(d, precision, zone);

  const point = coordinates(r, 'latitude', 'longitude');
  const geoPrecision = code(r, 'geo_precision', [1, 2, 3]) as 1 | 2 | 3 | undefined;
  const admin1 = text(r, 'admin1', 200);
  const admin2 = text(r, 'admin2', 200);
  const place = text(r, 'location', 200);

  const best = count(r, 'fatalities');
  const low = fromMizan ? count(r, 'mizan_fatalities_low') : undefined;
  const high = fromMizan ? count(r, 'mizan_fatalities_high') : undefined;
  const fatalities: PublishedFatalities | null =
    best === undefined && low === undefined && high === undefined
      ? null
      : { ...(low !== undefined ? { low } : {}), ...(best !== undefined ? { best } : {}), ...(high !== undefined ? { high } : {}) };
  const quality: QualityFlag[] = fatalities && !inOrder(fatalities) ? ['fatalities_order'] : [];

  const notes = text(r, 'notes', 20_000);
  const title = fromMizan ? text(r, 'mizan_title', 500) : '';
  const visibility = fromMizan ? extVisibility(r) : undefined;

  const core = checkCore(
    {
      id,
      ...(title ? { title } : {}),
      occurred,
      location: {
        country: alpha3,
        ...(admin1 ? { admin1 } : {}),
        ...(admin2 ? { admin2 } : {}),
        ...(place ? { place } : {}),
        ...(point ? { lat: point.lat, lon: point.lon } : {}),
        ...(geoPrecision !== undefined ? { geo_precision: geoPrecision } : {}),
      },
      event_type: eventType,
      sub_event_type: subEventType,
      ...(visibility ? { visibility } : {}),
      ...(notes ? { notes } : {}),
    },
    (path) => ACLED_COLUMN_OF[String(path[path.length - 1])] ?? null,
  );

  const ext = fromMizan ? extOrigin(r) : undefined;
  const origin: Origin = ext && ext.dataset === 'ucdp' ? ext : { dataset: 'acled', id: sourceId, fields: unmodelled(r) };
  return { line, id, core, actors: actorsOf(r), fatalities, sources: fromMizan ? extSources(r) : [], quality, origin, ...(native ? { native } : {}) };
}

const ACLED_COLUMN_OF: Record<string, string> = {
  id: 'event_id_cnty',
  title: 'mizan_title',
  occurred: 'event_date',
  local: 'event_date',
  country: 'country',
  admin1: 'admin1',
  admin2: 'admin2',
  place: 'location',
  lat: 'latitude',
  lon: 'longitude',
  geo_precision: 'geo_precision',
  event_type: 'event_type',
  sub_event_type: 'sub_event_type',
  notes: 'notes',
};

function unmodelled(r: SourceRecord): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(r)) {
    if (MODELLED.has(k) || k.startsWith('mizan_')) continue;
    const t = v.trim();
    if (t !== '') out[k] = t.slice(0, 20_000);
  }
  return out;
}

export function inOrder(f: PublishedFatalities): boolean {
  const xs = [f.low, f.best, f.high].filter((x): x is number => x !== undefined);
  return xs.every((x, i) => i === 0 || xs[i - 1]! <= x);
}
