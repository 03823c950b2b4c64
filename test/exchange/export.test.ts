import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportIncidents } from '../../src/app/exports.js';
import type { ExportFormat } from '../../src/app/exports.js';
import { importIncidents } from '../../src/app/imports.js';
import type { Principal } from '../../src/domain/principal.js';
import { ANONYMOUS, SYSTEM } from '../../src/domain/principal.js';
import { ATTRIBUTION_TEXT, HXL_TAGS } from '../../src/exchange/index.js';
import { ACLED_COLUMNS, openSourceRows } from '../../src/intake/index.js';
import { authenticator } from '../../src/server/auth.js';
import { buildServer } from '../../src/server/app.js';
import { exchangeRoutes } from '../../src/server/routes/exchange.js';
import { allRoutes } from '../../src/server/routes/index.js';
import type { Callers, TestApp } from '../support/app.js';
import { auth, makeCallers, makeTestApp } from '../support/app.js';
import { acledCsv, acledRow, count, importText, UCDP_PAKISTAN } from '../intake/support.js';

const admin: Principal = { kind: 'user', userId: 'u-admin', name: 'admin1', role: 'admin', party: null };

async function text(app: TestApp['app'], p: Principal, format: ExportFormat, filter = {}): Promise<string> {
  let out = '';
  for await (const chunk of exportIncidents(app, p, format, filter, { pageSize: 700 })) out += chunk;
  return out;
}

const BOOKKEEPING = ['recorded_at', 'recorded_by', 'log_index', 'supersedes'];
const content = (doc: Record<string, unknown>) => Object.fromEntries(Object.entries(doc).filter(([k]) => !BOOKKEEPING.includes(k)));

/** Rows of ACLED-origin data with the awkward cases: a formula, a quoted newline, a week-precision date, Afghanistan. */
const ACLED_ROWS = [
  acledRow({ event_id_cnty: 'PAK9001', notes: '=HYPERLINK("http://example.invalid","click")' }),
  acledRow({ event_id_cnty: 'PAK9002', notes: 'line one\nline two, with "quotes"', time_precision: '2', fatalities: '' }),
  acledRow({ event_id_cnty: 'AFG9003', iso: '4', country: 'Afghanistan', admin1: 'Paktika', admin2: 'Barmal', location: 'Barmal', latitude: '32.7', longitude: '69.1', time_precision: '3', actor1: '-Unknown armed men', actor2: '', inter2: '' }),
  acledRow({ event_id_cnty: 'PAK9004', latitude: '', longitude: '', geo_precision: '', location: '', notes: '' }),
];

describe('exports', () => {
  let t: TestApp;
  let server: FastifyInstance;
  let who: Callers;

  beforeAll(async () => {
    t = await makeTestApp('sqlite');
    who = await makeCallers(t.app);
    await importIncidents(t.app, SYSTEM, await openSourceRows(createReadStream(UCDP_PAKISTAN), 'ucdp'), { format: 'ucdp' });
    await importText(t.app, SYSTEM, acledCsv(ACLED_ROWS), 'acled');
    // Until the lead lists them in routes/index.ts, the exchange routes are added here.
    const wired = allRoutes.some((r) => r.url === '/api/v1/imports');
    server = await buildServer({ app: t.app, authenticate: authenticator(t.app), extraRoutes: wired ? [] : exchangeRoutes });
    await server.ready();
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  it('CSV: ACLED’s columns in ACLED’s order, then Mizan’s, one row per visible incident, attribution last', async () => {
    const csv = await text(t.app, ANONYMOUS, 'csv');
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]!.split(',').slice(0, ACLED_COLUMNS.length)).toEqual([...ACLED_COLUMNS]);
    expect(lines.at(-1)).toBe(`# ${ATTRIBUTION_TEXT}`);
    expect(ATTRIBUTION_TEXT).not.toContain(',');
    const rows = parse<Record<string, string>>(csv, { columns: true, comment: '#', comment_no_infix: true });
    const visible = (await t.app.listIncidents(ANONYMOUS, {}, 1)).total;
    expect(rows).toHaveLength(visible);
    const kel = rows.find((r) => r.mizan_id === 'ucdp:59553')!;
    expect(kel).toMatchObject({ event_id_cnty: 'ucdp:59553', event_date: '1990-10-04', time_precision: '1', event_type: 'Battles', country: 'Pakistan', iso: '586', latitude: '34.821865', longitude: '74.355544', fatalities: '2', actor1: 'Government of India', actor2: 'Government of Pakistan', inter1: '1', inter2: '1' });
    const acled = rows.find((r) => r.event_id_cnty === 'PAK9001')!;
    expect(acled.notes).toBe(`'=HYPERLINK("http://example.invalid","click")`);
    expect(acled.source).toBe('Dawn');
  });

  it('GeoJSON: an RFC 7946 FeatureCollection with [lon, lat] points, null geometry without coordinates, attribution as a member', async () => {
    const doc = JSON.parse(await text(t.app, ANONYMOUS, 'geojson')) as {
      type: string;
      features: { type: string; id: string; geometry: { type: string; coordinates: number[] } | null; properties: Record<string, unknown> }[];
      attribution: string;
      count: number;
    };
    expect(doc.type).toBe('FeatureCollection');
    expect(doc).not.toHaveProperty('crs');
    expect(doc.features).toHaveLength(doc.count);
    for (const f of doc.features) {
      expect(f.type).toBe('Feature');
      expect(typeof f.properties).toBe('object');
      if (f.geometry === null) continue;
      expect(f.geometry.type).toBe('Point');
      const [lon, lat] = f.geometry.coordinates as [number, number];
      expect(f.geometry.coordinates).toHaveLength(2);
      expect(lon).toBeGreaterThanOrEqual(-180);
      expect(lon).toBeLessThanOrEqual(180);
      expect(lat).toBeGreaterThanOrEqual(-90);
      expect(lat).toBeLessThanOrEqual(90);
    }
    expect(doc.features.find((f) => f.id === 'ucdp:59553')!.geometry!.coordinates).toEqual([74.355544, 34.821865]);
    expect(doc.features.find((f) => f.id === 'acled:PAK9004')!.geometry).toBeNull();
    expect(doc.attribution).toMatch(/UCDP GED \(CC BY 4\.0/);
    expect(doc.attribution).toMatch(/GeoNames\.org \(CC BY 4\.0\)/);
  });

  it('HXL: attribution above the header, then the hashtag row, then the data', async () => {
    const rows = parse(await text(t.app, ANONYMOUS, 'hxl'), { relax_column_count: true });
    expect(rows[0]).toEqual([ATTRIBUTION_TEXT]);
    expect(rows[1]![0]).toBe('event_id');
    expect(rows[2]).toEqual([...HXL_TAGS]);
    for (const tag of ['#date+occurred', '#adm1+name', '#adm2+name', '#loc+name', '#geo+lat', '#geo+lon', '#affected+killed', '#org+perpetrator', '#org+target', '#event+type', '#country+code']) expect(rows[2]).toContain(tag);
    const col = (tag: string) => rows[2]!.indexOf(tag);
    const kel = rows.find((r) => r[0] === 'ucdp:59553')!;
    expect([kel[col('#date+occurred')], kel[col('#adm1+name')], kel[col('#geo+lat')], kel[col('#affected+killed')], kel[col('#org+perpetrator')], kel[col('#country+code')]]).toEqual([
      '1990-10-04', 'Azad Jammu & Kashmir', '34.821865', '2', 'Government of India', 'PAK',
    ]);
  });

  it('honours scope: a parties-only incident is not exported to an anonymous caller', async () => {
    const anon = await text(t.app, ANONYMOUS, 'csv');
    expect(anon).not.toContain('INC-202510-TTP-CAMPS');
    expect(await text(t.app, admin, 'csv')).toContain('INC-202510-TTP-CAMPS');
    const geo = await server.inject({ method: 'GET', url: '/api/v1/export/geojson?country=AFG' });
    expect(geo.body).not.toContain('INC-202510-TTP-CAMPS');
    const asDelegate = await server.inject({ method: 'GET', url: '/api/v1/export/csv', headers: auth(who.pak1) });
    expect(asDelegate.body).toContain('INC-202510-TTP-CAMPS');
  });

  it('applies the incident list’s filters', async () => {
    const rows = (csv: string) => parse<Record<string, string>>(csv, { columns: true, comment: '#', comment_no_infix: true });
    const afg = rows(await text(t.app, ANONYMOUS, 'csv', { country: 'AFG' }));
    expect(afg.length).toBeGreaterThan(0);
    expect(afg.every((r) => r.mizan_country === 'AFG')).toBe(true);
    const window = rows(await text(t.app, ANONYMOUS, 'csv', { from: '2010-01-01T00:00:00Z', to: '2010-02-01T00:00:00Z', event_type: 'Violence against civilians' }));
    expect(window.length).toBe((await t.app.listIncidents(ANONYMOUS, { from: '2010-01-01T00:00:00Z', to: '2010-02-01T00:00:00Z', event_type: 'Violence against civilians' }, 1)).total);
    expect(window.every((r) => r.event_type === 'Violence against civilians' && r.mizan_occurred_from! < '2010-02-01' && r.mizan_occurred_to! > '2010-01-01')).toBe(true);
    const ttp = rows(await text(t.app, ANONYMOUS, 'csv', { actor: 'TTP', q: 'Waziristan' }));
    expect(ttp.length).toBe((await t.app.listIncidents(ANONYMOUS, { actor: 'TTP', q: 'Waziristan' }, 1)).total);
  });

  it('streams over HTTP with the right media types; bad filters are a 400', async () => {
    const csv = await server.inject({ method: 'GET', url: '/api/v1/export/csv?country=PAK' });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toContain('mizan-incidents.csv');
    const geo = await server.inject({ method: 'GET', url: '/api/v1/export/geojson' });
    expect(geo.headers['content-type']).toBe('application/geo+json; charset=utf-8');
    expect(JSON.parse(geo.body).type).toBe('FeatureCollection');
    const hxl = await server.inject({ method: 'GET', url: '/api/v1/export/hxl' });
    expect(hxl.body.split('\n')[2]).toContain('#geo+lat');
    expect((await server.inject({ method: 'GET', url: '/api/v1/export/csv?country=Pakistan' })).statusCode).toBe(400);
  });

  it('round-trips: importing the CSV export gives back the same incidents, here and in a fresh instance', async () => {
    const csv = await text(t.app, admin, 'csv');
    const imported = (await t.app.store.db.selectFrom('incidents').select(['id', 'doc']).where((eb) => eb.or([eb('id', 'like', 'ucdp:%'), eb('id', 'like', 'acled:%')])).execute()).map(
      (r) => [r.id, JSON.parse(r.doc) as Record<string, unknown>] as const,
    );
    const natives = (await t.app.listIncidents(admin, {}, 1)).total - imported.length;

    // Here: nothing changes, nothing is duplicated, the log does not grow.
    const log = await t.app.log.size();
    const incidents = await count(t.app, 'incidents');
    const again = await importText(t.app, admin, csv, 'acled');
    expect(again).toMatchObject({ rows: imported.length + natives, imported: 0, updated: 0, unchanged: imported.length + natives, rejected: 0, log_entries: 0 });
    expect(await count(t.app, 'incidents')).toBe(incidents);
    expect(await t.app.log.size()).toBe(log);

    // Elsewhere: the same documents, apart from who recorded them when.
    const b = await makeTestApp('sqlite');
    try {
      const s = await importText(b.app, SYSTEM, csv, 'acled');
      // The records filed in Mizan (the built-in scenario's) are there already, and identical.
      expect(s).toMatchObject({ rejected: 0, imported: imported.length, unchanged: natives });
      for (const [id, doc] of imported) {
        const there = await b.app.get(SYSTEM, 'incidents', id);
        expect(content(there), id).toEqual(content(doc));
      }
    } finally {
      await b.close();
    }
  });

  it('never lets a re-imported row change a record filed in Mizan; elsewhere such a row becomes acled:<id>', async () => {
    const csv = await text(t.app, admin, 'csv', { q: 'Urgun' });
    const rows = parse<Record<string, string>>(csv, { columns: true, comment: '#', comment_no_infix: true });
    const urgun = rows.find((r) => r.mizan_id === 'INC-20251017-URGUN')!;
    const edited = [Object.keys(urgun).join(','), Object.values({ ...urgun, notes: 'edited in a spreadsheet' }).map((v) => `"${v.replace(/"/g, '""')}"`).join(',')].join('\n') + '\n';
    const here = await importText(t.app, admin, edited, 'acled', { skipInvalid: true });
    expect(here.rejections).toEqual([{ line: 2, reason: 'id_in_use', field: 'mizan_id', message: expect.stringContaining('filed in Mizan') }]);
    const empty = await makeTestApp('sqlite', { scenario: false });
    try {
      // Its sources are Mizan records too, and do not exist there.
      expect(await importText(empty.app, SYSTEM, edited, 'acled', { skipInvalid: true })).toMatchObject({ rejected_by_reason: { unknown_source: 1 } });
      const withoutSources = edited.replace(`"${urgun.mizan_sources}"`, '""');
      expect(await importText(empty.app, SYSTEM, withoutSources, 'acled')).toMatchObject({ imported: 1 });
      expect(await empty.app.get(SYSTEM, 'incidents', 'acled:INC-20251017-URGUN')).toMatchObject({ notes: 'edited in a spreadsheet', origin: { dataset: 'acled', id: 'INC-20251017-URGUN' } });
    } finally {
      await empty.close();
    }
  });

  it('POST /api/v1/imports takes the CSV as text or JSON from analysts, mediators and admins only', async () => {
    const body = acledCsv([acledRow({ event_id_cnty: 'HTTP1' })]);
    const asAnalyst = await server.inject({ method: 'POST', url: '/api/v1/imports?format=acled', payload: body, headers: { ...auth(who.analyst1), 'content-type': 'text/plain' } });
    expect(asAnalyst.statusCode, asAnalyst.body).toBe(200);
    expect(asAnalyst.json()).toMatchObject({ format: 'acled', rows: 1, imported: 1, committed: true });
    const json = await server.inject({ method: 'POST', url: '/api/v1/imports', payload: { format: 'acled', csv: body }, headers: auth(who.mediator1) });
    expect(json.json()).toMatchObject({ unchanged: 1 });
    expect((await server.inject({ method: 'POST', url: '/api/v1/imports?format=acled', payload: body, headers: { ...auth(who.pak1), 'content-type': 'text/plain' } })).statusCode).toBe(403);
    expect((await server.inject({ method: 'POST', url: '/api/v1/imports?format=acled', payload: body, headers: { 'content-type': 'text/plain' } })).statusCode).toBe(401);
    const bad = await server.inject({ method: 'POST', url: '/api/v1/imports?format=acled', payload: acledCsv([acledRow({ event_id_cnty: 'HTTP2', event_date: 'soon' })]), headers: { ...auth(who.admin1), 'content-type': 'text/plain' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ path: '/line/2/event_date', code: 'invalid_date' }] });
    const skipped = await server.inject({ method: 'POST', url: '/api/v1/imports?format=acled&skip_invalid=true', payload: acledCsv([acledRow({ event_id_cnty: 'HTTP2', event_date: 'soon' })]), headers: { ...auth(who.admin1), 'content-type': 'text/plain' } });
    expect(skipped.json()).toMatchObject({ rejected: 1, rejections: [{ line: 2, reason: 'invalid_date', field: 'event_date' }] });
    const wrong = await server.inject({ method: 'POST', url: '/api/v1/imports?format=acled', payload: 'id,type_of_violence\n', headers: { ...auth(who.admin1), 'content-type': 'text/plain' } });
    expect(wrong.statusCode).toBe(400);
  });
});
