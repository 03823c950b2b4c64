import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MizanError } from '../../src/domain/errors.js';
import { IncidentInput } from '../../src/domain/incident.js';
import { resolveOccurred } from '../../src/domain/time.js';
import { guard } from '../../src/exchange/index.js';
import type { MappedIncident, RowRejection } from '../../src/intake/index.js';
import {
  ACLED_COLUMNS,
  alpha3FromName,
  alpha3FromNumeric,
  checkHeader,
  isHxlHashtagRow,
  mapAcledRow,
  mapUcdpRow,
  REJECT_REASONS,
  UCDP_COLUMNS,
} from '../../src/intake/index.js';
import { unguard } from '../../src/intake/mizan-columns.js';
import { generateRow, loadPlaces, prng } from '../../bench/import/generate.js';
import { acledRow, GAZETTEER } from './support.js';

const isRejection = (x: MappedIncident | RowRejection): x is RowRejection => !('id' in x);

function mapped(x: MappedIncident | RowRejection): MappedIncident {
  if (isRejection(x)) throw new Error(`rejected: ${x.reason} ${x.field}: ${x.message}`);
  return x;
}

const ucdpRow = (over: Record<string, string> = {}): Record<string, string> => ({
  id: '59553',
  type_of_violence: '1',
  dyad_name: 'Government of Pakistan - TTP',
  side_a: 'Government of Pakistan',
  side_b: 'TTP',
  where_prec: '2',
  where_coordinates: 'Miran Shah town',
  adm_1: 'Federally Administered Tribal Areas',
  adm_2: 'North Waziristan agency',
  latitude: '33.00059',
  longitude: '70.07117',
  country: 'Pakistan',
  iso3: 'PAK',
  date_prec: '1',
  date_start: '2014-06-15 00:00:00.000',
  date_end: '2014-06-15 00:00:00.000',
  best: '12',
  low: '10',
  high: '15',
  ...over,
});

describe('ACLED rows', () => {
  it('map onto an incident with a stable id, the day in Pakistan time, actors and published fatalities', () => {
    const m = mapped(mapAcledRow(acledRow(), 7));
    expect(m.id).toBe('acled:PAK1001');
    expect(m.line).toBe(7);
    expect(m.core.occurred).toEqual({ local: '2025-10-12', zone: 'Asia/Karachi', precision: 'day' });
    expect(resolveOccurred(m.core.occurred)).toMatchObject({ from: '2025-10-11T19:00:00.000Z', to: '2025-10-12T19:00:00.000Z' });
    expect(m.core.location).toEqual({ country: 'PAK', admin1: 'Khyber Pakhtunkhwa', admin2: 'Kurram', place: 'Parachinar', lat: 33.89968, lon: 70.10012, geo_precision: 1 });
    expect(m.actors).toEqual([
      { name: 'TTP: Tehrik-i-Taliban Pakistan', role: 'perpetrator', kind: 'armed_group' },
      { name: 'Military Forces of Pakistan (2018-)', role: 'target', kind: 'state_forces' },
    ]);
    expect(m.fatalities).toEqual({ best: 3 });
    expect(m.origin).toMatchObject({ dataset: 'acled', id: 'PAK1001', fields: { source: 'Dawn', inter1: '2', event_date: '2025-10-12' } });
    expect(m.origin.fields).not.toHaveProperty('notes');
  });

  it('read time_precision 2 as the seven days around the date and 3 as the month, in Kabul time for Afghanistan', () => {
    const week = mapped(mapAcledRow(acledRow({ time_precision: '2', iso: '4', country: 'Afghanistan' }), 2));
    expect(week.core.occurred).toEqual({ local_from: '2025-10-09T00:00', local_to: '2025-10-16T00:00', zone: 'Asia/Kabul' });
    const month = mapped(mapAcledRow(acledRow({ time_precision: '3' }), 2));
    expect(month.core.occurred).toEqual({ local: '2025-10', zone: 'Asia/Karachi', precision: 'month' });
  });

  it('accept the date forms ACLED has used and ACLED taxonomy spellings in any case', () => {
    for (const d of ['2025-10-12', '12 October 2025', '12-Oct-2025', '12/10/2025', '2025-10-12 00:00:00']) {
      expect(mapped(mapAcledRow(acledRow({ event_date: d }), 2)).core.occurred).toMatchObject({ local: '2025-10-12' });
    }
    const m = mapped(mapAcledRow(acledRow({ event_type: 'PROTESTS', sub_event_type: 'excessive force against protestors' }), 2));
    expect([m.core.event_type, m.core.sub_event_type]).toEqual(['Protests', 'Excessive force against protesters']);
  });

  it('reject with a coded reason, the line and the column', () => {
    const cases: [Record<string, string>, string, string | null][] = [
      [{ event_date: '2025-02-30' }, 'invalid_date', 'event_date'],
      [{ event_date: '' }, 'missing_field', 'event_date'],
      [{ latitude: '95' }, 'invalid_coordinates', 'latitude'],
      [{ longitude: '' }, 'invalid_coordinates', 'longitude'],
      [{ event_type: 'Earthquake' }, 'unknown_event_type', 'event_type'],
      [{ sub_event_type: 'Air/drone strike' }, 'unknown_sub_event_type', 'sub_event_type'],
      [{ fatalities: '-1' }, 'invalid_number', 'fatalities'],
      [{ fatalities: 'many' }, 'invalid_number', 'fatalities'],
      [{ iso: '999', country: 'Atlantis' }, 'unknown_country', 'country'],
      [{ event_id_cnty: 'PAK 1' }, 'invalid_id', 'event_id_cnty'],
      [{ geo_precision: '4' }, 'invalid_number', 'geo_precision'],
      [{ notes: 'x'.repeat(20_001) }, 'field_too_long', 'notes'],
    ];
    for (const [over, reason, field] of cases) {
      const r = mapAcledRow(acledRow(over), 42);
      expect(isRejection(r), JSON.stringify(over).slice(0, 80)).toBe(true);
      expect(r).toMatchObject({ line: 42, reason, field });
    }
  });

  it('keep fatalities as published when low ≤ best ≤ high is broken, with a data-quality flag', () => {
    const row = { ...acledRow(), mizan_id: 'acled:PAK1001', mizan_fatalities_low: '5', mizan_fatalities_high: '2' };
    const m = mapped(mapAcledRow(row, 2, true));
    expect(m.fatalities).toEqual({ low: 5, best: 3, high: 2 });
    expect(m.quality).toEqual(['fatalities_order']);
  });

  it("read a Mizan export's columns only from a Mizan export, and only import ids from it", () => {
    const row = { ...acledRow(), mizan_id: 'INC-20251009-KABUL', mizan_title: 'T' };
    expect(mapped(mapAcledRow(row, 2, true)).id).toBe('acled:PAK1001');
    expect(mapped(mapAcledRow({ ...row, mizan_id: 'ucdp:123' }, 2, true)).id).toBe('ucdp:123');
    expect(mapped(mapAcledRow({ ...row, mizan_id: 'ucdp:123' }, 2, false)).id).toBe('acled:PAK1001');
  });

  it('ignore a stated time from a Mizan export that no longer agrees with event_date', () => {
    const stated = JSON.stringify({ local_from: '2025-10-11T00:00', local_to: '2025-10-14T00:00', zone: 'Asia/Karachi' });
    expect(mapped(mapAcledRow({ ...acledRow(), mizan_id: 'acled:PAK1001', mizan_occurred: stated }, 2, true)).core.occurred).toEqual(JSON.parse(stated));
    expect(mapped(mapAcledRow({ ...acledRow({ event_date: '2025-11-20' }), mizan_id: 'acled:PAK1001', mizan_occurred: stated }, 2, true)).core.occurred).toMatchObject({ local: '2025-11-20' });
    expect(mapAcledRow({ ...acledRow(), mizan_id: 'x', mizan_occurred: '{"local": 5}' }, 9, true)).toMatchObject({ reason: 'invalid_extension', field: 'mizan_occurred', line: 9 });
  });

  it('every generated benchmark row maps (the generator writes what the importer reads)', () => {
    const places = loadPlaces(GAZETTEER);
    const rnd = prng(1);
    for (let n = 0; n < 2000; n++) {
      const values = generateRow(n, rnd, places);
      const rec = Object.fromEntries(ACLED_COLUMNS.map((c, i) => [c, values[i]!]));
      mapped(mapAcledRow(rec, n + 2));
    }
  });
});

describe('UCDP GED rows', () => {
  it('map type_of_violence onto ACLED types and where_prec onto geo_precision', () => {
    expect(mapped(mapUcdpRow(ucdpRow(), 3)).core).toMatchObject({ event_type: 'Battles', sub_event_type: 'Armed clash', location: { geo_precision: 2 } });
    expect(mapped(mapUcdpRow(ucdpRow({ type_of_violence: '2', where_prec: '1' }), 3)).core).toMatchObject({ event_type: 'Battles', location: { geo_precision: 1 } });
    expect(mapped(mapUcdpRow(ucdpRow({ type_of_violence: '3', where_prec: '6' }), 3)).core).toMatchObject({ event_type: 'Violence against civilians', sub_event_type: 'Attack', location: { geo_precision: 3 } });
    expect(mapUcdpRow(ucdpRow({ type_of_violence: '4' }), 3)).toMatchObject({ reason: 'invalid_number', field: 'type_of_violence' });
  });

  it('turn date_start..date_end into local days [start, end + 1 day) in the country’s zone', () => {
    const m = mapped(mapUcdpRow(ucdpRow({ date_start: '2014-06-15 00:00:00.000', date_end: '2014-06-18 00:00:00.000' }), 3));
    expect(m.core.occurred).toEqual({ local_from: '2014-06-15T00:00', local_to: '2014-06-19T00:00', zone: 'Asia/Karachi' });
    expect(resolveOccurred(m.core.occurred)).toMatchObject({ from: '2014-06-14T19:00:00.000Z', to: '2014-06-18T19:00:00.000Z', precision: 'range' });
    const af = mapped(mapUcdpRow(ucdpRow({ iso3: '', country: 'Afghanistan' }), 3));
    expect(af.core.occurred).toEqual({ local: '2014-06-15', zone: 'Asia/Kabul', precision: 'day' });
    expect(resolveOccurred(af.core.occurred).from).toBe('2014-06-14T19:30:00.000Z');
    expect(mapUcdpRow(ucdpRow({ date_end: '2014-06-14' }), 3)).toMatchObject({ reason: 'invalid_date', field: 'date_end' });
  });

  it('keep low/best/high as published, flagging a broken order', () => {
    const m = mapped(mapUcdpRow(ucdpRow({ low: '2', best: '2', high: '1' }), 3));
    expect(m.fatalities).toEqual({ low: 2, best: 2, high: 1 });
    expect(m.quality).toEqual(['fatalities_order']);
  });

  it("know UCDP's country spellings", () => {
    expect(['DR Congo (Zaire)', 'Russia (Soviet Union)', 'Yemen (North Yemen)', 'Cambodia (Kampuchea)', 'Ivory Coast', 'Bosnia-Herzegovina', 'Kingdom of eSwatini (Swaziland)', 'Macedonia, FYR', 'Myanmar (Burma)', 'Serbia (Yugoslavia)'].map(alpha3FromName)).toEqual([
      'COD', 'RUS', 'YEM', 'KHM', 'CIV', 'BIH', 'SWZ', 'MKD', 'MMR', 'SRB',
    ]);
    expect([alpha3FromNumeric('586'), alpha3FromNumeric('4'), alpha3FromNumeric('004'), alpha3FromNumeric('x')]).toEqual(['PAK', 'AFG', 'AFG', null]);
  });
});

describe('headers and HDX hashtag rows', () => {
  it('recognise an HXL hashtag row', () => {
    expect(isHxlHashtagRow(['', '', '#date+year', '', '#adm1+name', '#geo +lat'])).toBe(true);
    expect(isHxlHashtagRow(['', '', ''])).toBe(false);
    expect(isHxlHashtagRow(['#date', '59553'])).toBe(false);
  });

  it('refuse a header without the required columns, pointing at the other format when it fits', () => {
    expect(() => checkHeader('acled', ['id', 'x'])).toThrow(MizanError);
    try {
      checkHeader('acled', [...UCDP_COLUMNS]);
    } catch (e) {
      expect((e as MizanError).code).toBe('VALIDATION_FAILED');
      expect((e as MizanError).message).toMatch(/looks like a UCDP file/);
      expect((e as MizanError).fields.map((f) => f.path)).toContainEqual(['line', 1, 'event_id_cnty']);
    }
    expect(() => checkHeader('ucdp', ['id', 'id', 'type_of_violence'])).toThrow(/appears twice/);
    expect(checkHeader('acled', [...ACLED_COLUMNS, 'mizan_id']).fromMizan).toBe(true);
  });
});

// Hostile input: whatever a file holds, a mapper returns a row or a coded rejection at the row's line.
describe('mappers on arbitrary rows (properties)', () => {
  const value = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.constantFrom('', '1', '2', '3', '0', '-1', '1e400', 'NaN', '2025-10-12', '31/12/2024', '2014-06-15 00:00:00.000', 'Battles', 'Armed clash', 'Pakistan', '586', '33.9', '70.1', '{}', '[]', '=cmd|'),
  );
  const recordOf = (columns: readonly string[]) => fc.record(Object.fromEntries(columns.map((c) => [c, value])));

  const check = (r: MappedIncident | RowRejection, line: number) => {
    if (isRejection(r)) {
      expect(REJECT_REASONS).toContain(r.reason);
      expect(r.line).toBe(line);
      expect(typeof r.message).toBe('string');
    } else {
      // What a mapper accepts, the domain schema accepts (fatalities are checked apart: see quality).
      expect(IncidentInput.safeParse({ ...r.core, actors: [], sources: [] }).success).toBe(true);
      expect(r.line).toBe(line);
    }
  };

  it('ACLED: never throws', () => {
    fc.assert(
      fc.property(recordOf([...ACLED_COLUMNS, 'mizan_id', 'mizan_occurred', 'mizan_actors', 'mizan_origin', 'mizan_visibility', 'mizan_sources']), fc.integer({ min: 2, max: 1e6 }), fc.boolean(), (rec, line, fromMizan) => {
        check(mapAcledRow(rec, line, fromMizan), line);
      }),
      { numRuns: 2000 },
    );
  });

  it('ACLED: a good row with one column replaced still maps or is rejected with a code', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ACLED_COLUMNS), value, (col, v) => {
        check(mapAcledRow(acledRow({ [col]: v }), 5), 5);
      }),
      { numRuns: 2000 },
    );
  });

  it('UCDP: never throws', () => {
    fc.assert(
      fc.property(recordOf(UCDP_COLUMNS), fc.integer({ min: 2, max: 1e6 }), (rec, line) => {
        check(mapUcdpRow(rec, line), line);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.constantFrom(...UCDP_COLUMNS), value, (col, v) => {
        check(mapUcdpRow(ucdpRow({ [col]: v }), 5), 5);
      }),
      { numRuns: 2000 },
    );
  });

  it('the formula guard is undone exactly', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12, unit: fc.constantFrom("'", '=', '+', '-', '@', 'a', ' ', '\t') }), (s) => {
        expect(unguard(guard(s))).toBe(s);
        expect(/^[=+\-@\t\r]/.test(guard(s))).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });
});
