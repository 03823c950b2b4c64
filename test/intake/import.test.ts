import { createReadStream, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportRejectedError, importIncidents } from '../../src/app/imports.js';
import type { Principal } from '../../src/domain/principal.js';
import { SYSTEM } from '../../src/domain/principal.js';
import { openSourceRows } from '../../src/intake/index.js';
import { storeLogSource, verifyLog } from '../../src/cli/verify.js';
import type { StoreKind, TestApp } from '../support/app.js';
import { makeTestApp } from '../support/app.js';
import { postgresAvailable } from '../support/env.js';
import { acledCsv, acledRow, count, importText, UCDP_PAKISTAN, UCDP_SAMPLE } from './support.js';

const kinds: StoreKind[] = ['sqlite'];
if (await postgresAvailable()) kinds.push('postgres');

const analyst: Principal = { kind: 'user', userId: 'u-analyst', name: 'analyst1', role: 'analyst', party: null };

const importFile = async (t: TestApp, file: string, format: 'acled' | 'ucdp', opts: Parameters<typeof importIncidents>[3] extends infer O ? Partial<O> : never = {}) =>
  importIncidents(t.app, SYSTEM, await openSourceRows(createReadStream(file), format), { format, ...opts });

async function searchRows(t: TestApp, id: string): Promise<number> {
  const table = t.app.store.dialect === 'sqlite' ? 'search_fts' : 'search_docs';
  const r = await t.app.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('record_id', '=', id).executeTakeFirstOrThrow();
  return Number(r.n);
}

describe.each(kinds)('importing on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  // Source: HDX "UCDP data for Pakistan" (GED 22.1), see test/fixtures/README.md. The counts below
  // were checked independently of Mizan (Python csv module): 6,416 events, 200 with low ≤ best ≤ high
  // broken, sum of best 43,225.
  it('imports the real UCDP GED Pakistan file completely', async () => {
    const before = { incidents: await count(t.app, 'incidents'), log: await t.app.log.size() };
    const s = await importFile(t, UCDP_PAKISTAN, 'ucdp', { flushEvery: 1500 });
    expect(s).toMatchObject({ rows: 6416, imported: 6416, updated: 0, unchanged: 0, rejected: 0, hxl_row_skipped: true, committed: true });
    expect(s.quality).toEqual({ fatalities_order: 200, outside_stated_country: 157 });
    expect(await count(t.app, 'incidents')).toBe(before.incidents + 6416);
    // One log entry per record: every incident and every actor the file introduced.
    expect(s.log_entries).toBe(6416 + s.actors_created);
    expect(await t.app.log.size()).toBe(before.log + s.log_entries);
    // Scenario actors are matched by name (TTP, al-Qaida, BLA), not created again.
    const ttp = await t.app.store.db
      .selectFrom('incident_actors')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('actor_id', '=', 'TTP')
      .where('incident_id', 'like', 'ucdp:%')
      .executeTakeFirstOrThrow();
    expect(Number(ttp.n)).toBe(3834 + 380);
    const docs = (await t.app.store.db.selectFrom('incidents').select('doc').where('id', 'like', 'ucdp:%').execute()).map((r) => JSON.parse(r.doc));
    expect(docs.reduce((sum, d) => sum + (d.fatalities?.best ?? 0), 0)).toBe(43_225);
    expect(docs.filter((d) => d.location.computed_country === null)).not.toHaveLength(0);
  });

  it('keeps the stated and the computed country and admin units, and flags points outside the stated country', async () => {
    const kashmir = (await t.app.get(SYSTEM, 'incidents', 'ucdp:59553')) as { location: Record<string, unknown>; quality?: string[] };
    expect(kashmir.location).toMatchObject({ country: 'PAK', admin1: 'Azad Jammu & Kashmir', admin2: 'Neelam district', lat: 34.821865, lon: 74.355544 });
    expect(kashmir.location).toHaveProperty('computed_admin1');
    const flagged = (await t.app.store.db.selectFrom('incidents').select('doc').where('id', 'like', 'ucdp:%').execute())
      .map((r) => JSON.parse(r.doc) as { location: { country: string; computed_country: string | null }; quality?: string[] })
      .filter((d) => d.quality?.includes('outside_stated_country'));
    expect(flagged).toHaveLength(157);
    for (const d of flagged) expect(d.location.computed_country).not.toBe('PAK');
    expect(flagged.filter((d) => d.location.computed_country === 'AFG').length).toBeGreaterThan(0);
  });

  it('re-importing the same file changes nothing and appends nothing to the log', async () => {
    const incidents = await count(t.app, 'incidents');
    const log = await t.app.log.size();
    const s = await importFile(t, UCDP_PAKISTAN, 'ucdp');
    expect(s).toMatchObject({ rows: 6416, imported: 0, updated: 0, unchanged: 6416, rejected: 0, actors_created: 0, log_entries: 0 });
    expect(await count(t.app, 'incidents')).toBe(incidents);
    expect(await t.app.log.size()).toBe(log);
  });

  it('a changed row updates its incident with an incident.update entry that supersedes the old one', async () => {
    const text = readFileSync(UCDP_PAKISTAN, 'utf8').split('\n');
    const at = text.findIndex((l) => l.startsWith('59553,'));
    const old = (await t.app.get(SYSTEM, 'incidents', 'ucdp:59553')) as { log_index: number; fatalities: { best: number } };
    expect(old.fatalities.best).toBe(2);
    // best 2 → 5: columns best,high,low are the 46th–48th.
    const cells = text[at]!.split(',');
    cells.splice(-5, 3, '5', '6', '1');
    const changed = [text[0], text[1], cells.join(',')].join('\n') + '\n';
    const incidents = await count(t.app, 'incidents');
    const s = await importText(t.app, SYSTEM, changed, 'ucdp');
    expect(s).toMatchObject({ rows: 1, imported: 0, updated: 1, log_entries: 1 });
    const now = (await t.app.get(SYSTEM, 'incidents', 'ucdp:59553')) as { log_index: number; supersedes: number; fatalities: unknown };
    expect(now.fatalities).toEqual({ low: 1, best: 5, high: 6 });
    expect(now.supersedes).toBe(old.log_index);
    expect(now.log_index).toBeGreaterThan(old.log_index);
    const entry = await t.app.store.db.selectFrom('log_entries').select(['kind', 'record_id']).where('idx', '=', now.log_index).executeTakeFirstOrThrow();
    expect(entry).toEqual({ kind: 'incident.update', record_id: 'ucdp:59553' });
    expect(await count(t.app, 'incidents')).toBe(incidents);
    expect(await searchRows(t, 'ucdp:59553')).toBe(1);
    const listed = await t.app.listIncidents(SYSTEM, { q: 'Kel Neelam' }, 500);
    expect(listed.items.filter((i) => (i as { id: string }).id === 'ucdp:59553')).toHaveLength(1);
  });

  it('is all or nothing: one bad row and nothing is written, the log unchanged', async () => {
    const incidents = await count(t.app, 'incidents');
    const actors = await count(t.app, 'actors');
    const log = await t.app.log.size();
    const text = acledCsv([acledRow({ event_id_cnty: 'AON1', actor1: 'Brand-new group' }), acledRow({ event_id_cnty: 'AON2', latitude: '123' }), acledRow({ event_id_cnty: 'AON3' })]);
    const err = await importText(t.app, SYSTEM, text, 'acled').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportRejectedError);
    const e = err as ImportRejectedError;
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.fields).toEqual([{ path: ['line', 3, 'latitude'], code: 'invalid_coordinates', message: expect.any(String) }]);
    expect(e.summary).toMatchObject({ rows: 3, rejected: 1, imported: 0, committed: false, rejected_by_reason: { invalid_coordinates: 1 } });
    expect(await count(t.app, 'incidents')).toBe(incidents);
    expect(await count(t.app, 'actors')).toBe(actors);
    expect(await t.app.log.size()).toBe(log);
  });

  it('with skip_invalid imports the valid rows and hands over each rejected one with its values', async () => {
    const rejected: { line: number; reason: string; values: readonly string[] }[] = [];
    const text = acledCsv([acledRow({ event_id_cnty: 'SK1' }), acledRow({ event_id_cnty: 'SK2', event_date: 'yesterday' }), acledRow({ event_id_cnty: 'SK1' }), acledRow({ event_id_cnty: 'SK3' })]);
    const s = await importText(t.app, SYSTEM, text, 'acled', { skipInvalid: true, onReject: (r, values) => void rejected.push({ line: r.line, reason: r.reason, values }) });
    expect(s).toMatchObject({ rows: 4, imported: 2, rejected: 2, rejected_by_reason: { invalid_date: 1, duplicate_id: 1 }, committed: true });
    expect(rejected.map((r) => [r.line, r.reason, r.values[0]])).toEqual([
      [3, 'invalid_date', 'SK2'],
      [4, 'duplicate_id', 'SK1'],
    ]);
    expect(await t.app.get(SYSTEM, 'incidents', 'acled:SK3')).toMatchObject({ id: 'acled:SK3', event_type: 'Battles' });
  });

  it('writes many flushes into one transaction and the log still verifies', async () => {
    const s = await importFile(t, UCDP_SAMPLE, 'ucdp', { batchSize: 64, flushEvery: 128 });
    expect(s).toMatchObject({ rows: 1000, rejected: 0 });
    expect(s.imported + s.updated + s.unchanged).toBe(1000);
    // 32 of the sample's 34 Pakistani events are in the HDX file too, under the same GED ids
    // (../shared/data/README.md): the later GED version (23.1, without iso3) updates them instead of
    // duplicating them.
    expect(s.updated + s.unchanged).toBe(32);
    await t.app.log.signCheckpoint();
    const result = await verifyLog(storeLogSource(t.app), t.app.log.verifierKey);
    expect(result.ok, JSON.stringify(result)).toBe(true);
  });

  it('lets an analyst import public records only, and never overwrite a record they cannot see', async () => {
    const hidden = { ...acledRow({ event_id_cnty: 'VIS1' }), mizan_id: 'acled:VIS1', mizan_visibility: 'parties' };
    const header = [...Object.keys(acledRow()), 'mizan_id', 'mizan_visibility'];
    const csv = (r: Record<string, string>) => [header.join(','), header.map((c) => r[c] ?? '').join(',')].join('\n') + '\n';
    expect((await importText(t.app, SYSTEM, csv(hidden), 'acled')).imported).toBe(1);
    const asAnalyst = await importText(t.app, analyst, csv(hidden), 'acled', { skipInvalid: true });
    expect(asAnalyst.rejected_by_reason).toEqual({ visibility_not_allowed: 1 });
    const overwrite = await importText(t.app, analyst, csv({ ...hidden, mizan_visibility: 'public', fatalities: '99' }), 'acled', { skipInvalid: true });
    expect(overwrite.rejected_by_reason).toEqual({ id_in_use: 1 });
    expect(((await t.app.get(SYSTEM, 'incidents', 'acled:VIS1')) as { fatalities: { best: number } }).fatalities.best).toBe(3);
  });

  it('refuses callers without the import permission', async () => {
    const delegate: Principal = { kind: 'user', userId: 'u-pak', name: 'pak1', role: 'delegate', party: 'PAK' };
    await expect(importText(t.app, delegate, acledCsv([acledRow()]), 'acled')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(importText(t.app, { kind: 'anonymous' }, acledCsv([acledRow()]), 'acled')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
