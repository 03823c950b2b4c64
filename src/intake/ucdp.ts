// UCDP Georeferenced Event Dataset (GED) CSV onto Mizan's incident model. Column meanings:
// UCDP GED Codebook (version 22.1 and later). Pure: a row in, a mapped incident or a rejection out.
import { alpha3FromName, isKnownAlpha3 } from './countries.js';
import type { RowRejection } from './errors.js';
import type { SourceRecord } from './fields.js';
import { code, compareDays, coordinates, count, day, dayRange, problem, required, RowProblem, text, zoneFor } from './fields.js';
import type { MappedActor, MappedIncident, PublishedFatalities, QualityFlag } from './mapped.js';
import { checkCore } from './mapped.js';
import { inOrder } from './acled.js';

/** GED's columns as HDX and UCDP publish them (50; the CRAN copy lacks iso3). */
export const UCDP_COLUMNS = [
  'id', 'relid', 'year', 'active_year', 'code_status', 'type_of_violence', 'conflict_dset_id', 'conflict_new_id', 'conflict_name',
  'dyad_dset_id', 'dyad_new_id', 'dyad_name', 'side_a_dset_id', 'side_a_new_id', 'side_a', 'side_b_dset_id', 'side_b_new_id', 'side_b',
  'number_of_sources', 'source_article', 'source_office', 'source_date', 'source_headline', 'source_original', 'where_prec',
  'where_coordinates', 'where_description', 'adm_1', 'adm_2', 'latitude', 'longitude', 'geom_wkt', 'priogrid_gid', 'country', 'iso3',
  'country_id', 'region', 'event_clarity', 'date_prec', 'date_start', 'date_end', 'deaths_a', 'deaths_b', 'deaths_civilians',
  'deaths_unknown', 'best', 'high', 'low', 'gwnoa', 'gwnob',
] as const;

export const UCDP_REQUIRED = ['id', 'type_of_violence', 'date_start', 'date_end'] as const;

/** Columns the model holds in its own fields (geom_wkt repeats latitude/longitude); the rest go to `origin.fields`. */
const MODELLED = new Set(['id', 'latitude', 'longitude', 'geom_wkt', 'adm_1', 'adm_2', 'where_coordinates', 'best', 'low', 'high']);

/**
 * GED's type_of_violence in ACLED's taxonomy: 1 state-based and 2 non-state conflict are armed
 * clashes between organised actors; 3 one-sided violence is an attack on civilians.
 */
export const VIOLENCE_TYPE: Record<1 | 2 | 3, { event_type: string; sub_event_type: string }> = {
  1: { event_type: 'Battles', sub_event_type: 'Armed clash' },
  2: { event_type: 'Battles', sub_event_type: 'Armed clash' },
  3: { event_type: 'Violence against civilians', sub_event_type: 'Attack' },
};

/**
 * GED's where_prec (1 exact place, 2 within 25 km, 3 second-order admin unit, 4 first-order,
 * 5 a linear feature or between places, 6 the country, 7 at sea or in the air) as Mizan's
 * geo_precision (1 exact, 2 near, 3 an admin area or larger).
 */
export function geoPrecisionOf(wherePrec: number): 1 | 2 | 3 {
  return wherePrec === 1 ? 1 : wherePrec === 2 ? 2 : 3;
}

function kindOf(side: string): MappedActor['kind'] {
  if (/^government of\b/i.test(side)) return 'state_forces';
  if (/^civilians?$/i.test(side)) return 'other';
  return 'armed_group';
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$/;

export function mapUcdpRow(row: SourceRecord, line: number): MappedIncident | RowRejection {
  try {
    return mapUcdp(row, line);
  } catch (e) {
    if (e instanceof RowProblem) return e.at(line);
    throw e;
  }
}

function country(r: SourceRecord): string {
  const iso3 = text(r, 'iso3', 8).toUpperCase();
  if (/^[A-Z]{3}$/.test(iso3) && isKnownAlpha3(iso3)) return iso3;
  const name = text(r, 'country', 200);
  if (name === '' && iso3 === '') problem('missing_field', 'country', 'is empty (and so is iso3)');
  return alpha3FromName(name) ?? problem('unknown_country', name !== '' ? 'country' : 'iso3', `${JSON.stringify(name || iso3)} is not a country Mizan knows`);
}

function mapUcdp(r: SourceRecord, line: number): MappedIncident {
  const sourceId = required(r, 'id', 120);
  if (!ID.test(sourceId)) problem('invalid_id', 'id', 'must be letters, digits, ".", "_" or "-"');
  const id = `ucdp:${sourceId}`;
  const violence = code(r, 'type_of_violence', [1, 2, 3]) as 1 | 2 | 3 | undefined;
  if (violence === undefined) problem('missing_field', 'type_of_violence', 'is empty');
  const { event_type, sub_event_type } = VIOLENCE_TYPE[violence];

  const alpha3 = country(r);
  const first = day(r, 'date_start');
  const last = day(r, 'date_end');
  if (compareDays(last, first) < 0) problem('invalid_date', 'date_end', 'is before date_start');
  const occurred = dayRange(first, last, zoneFor(alpha3));

  const point = coordinates(r, 'latitude', 'longitude');
  const wherePrec = code(r, 'where_prec', [1, 2, 3, 4, 5, 6, 7]);
  const admin1 = text(r, 'adm_1', 200);
  const admin2 = text(r, 'adm_2', 200);
  const place = text(r, 'where_coordinates', 200);
  const title = text(r, 'dyad_name', 500);

  const low = count(r, 'low');
  const best = count(r, 'best');
  const high = count(r, 'high');
  const fatalities: PublishedFatalities | null =
    best === undefined && low === undefined && high === undefined
      ? null
      : { ...(low !== undefined ? { low } : {}), ...(best !== undefined ? { best } : {}), ...(high !== undefined ? { high } : {}) };
  // GED publishes some events with low > best or best > high; the figures are kept as published.
  const quality: QualityFlag[] = fatalities && !inOrder(fatalities) ? ['fatalities_order'] : [];

  const actors: MappedActor[] = [];
  const a = text(r, 'side_a', 300);
  const b = text(r, 'side_b', 300);
  if (a) actors.push({ name: a, role: 'perpetrator', kind: kindOf(a) });
  if (b) actors.push({ name: b, role: 'target', kind: kindOf(b) });

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
        ...(wherePrec !== undefined ? { geo_precision: geoPrecisionOf(wherePrec) } : {}),
      },
      event_type,
      sub_event_type,
    },
    (path) => UCDP_COLUMN_OF[String(path[path.length - 1])] ?? null,
  );
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(r)) {
    const t = v.trim();
    if (!MODELLED.has(k) && t !== '') fields[k] = t.slice(0, 20_000);
  }
  return { line, id, core, actors, fatalities, sources: [], quality, origin: { dataset: 'ucdp', id: sourceId, fields } };
}

const UCDP_COLUMN_OF: Record<string, string> = {
  id: 'id',
  title: 'dyad_name',
  occurred: 'date_start',
  local: 'date_start',
  local_from: 'date_start',
  local_to: 'date_end',
  country: 'country',
  admin1: 'adm_1',
  admin2: 'adm_2',
  place: 'where_coordinates',
  lat: 'latitude',
  lon: 'longitude',
  geo_precision: 'where_prec',
};
