import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller, Callers, StoreKind, TestApp } from '../support/app.js';
import { auth, makeCallers, makeServer, makeTestApp } from '../support/app.js';
import { postgresAvailable } from '../support/env.js';

const kinds: StoreKind[] = ['sqlite'];
if (await postgresAvailable()) kinds.push('postgres');

const newIncident = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  title: 'Mortar fire on a border post',
  occurred: { local: '2025-10-21T06:15', zone: 'Asia/Karachi', precision: 'exact' },
  location: { country: 'PAK', admin1: 'Khyber Pakhtunkhwa', admin2: 'Kurram', place: 'Parachinar', lat: 33.89968, lon: 70.10012, geo_precision: 2 },
  event_type: 'Explosions/Remote violence',
  sub_event_type: 'Shelling/artillery/missile attack',
  ...extra,
});

describe.each(kinds)('HTTP API on %s', (kind) => {
  let t: TestApp;
  let server: FastifyInstance;
  let who: Callers;

  beforeAll(async () => {
    t = await makeTestApp(kind);
    who = await makeCallers(t.app);
    server = await makeServer(t.app);
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  const get = (url: string, c?: Caller) => server.inject({ method: 'GET', url, headers: c ? auth(c) : {} });
  const post = (url: string, body: unknown, c?: Caller) => server.inject({ method: 'POST', url, payload: body as object, headers: c ? auth(c) : {} });

  it('lists the scenario incidents newest first with paging', async () => {
    const first = await get('/api/v1/incidents?limit=5');
    expect(first.statusCode).toBe(200);
    const page1 = first.json();
    expect(page1.items).toHaveLength(5);
    expect(page1.total).toBeGreaterThanOrEqual(8);
    const froms = page1.items.map((i: { occurred: { from: string } }) => i.occurred.from);
    expect([...froms].sort().reverse()).toEqual(froms);
    const ids = new Set(page1.items.map((i: { id: string }) => i.id));
    let cursor = page1.next_cursor;
    while (cursor) {
      const page = (await get(`/api/v1/incidents?limit=5&cursor=${cursor}`)).json();
      for (const i of page.items) {
        expect(ids.has(i.id)).toBe(false);
        ids.add(i.id);
      }
      cursor = page.next_cursor;
    }
    expect(ids.size).toBe(page1.total);
  });

  it('counts incidents up to a cap and says when total is only a lower bound; paging still reaches every one', async () => {
    const { listIncidents } = await import('../../src/store/read.js');
    const all = (await get('/api/v1/incidents?limit=1')).json();
    expect(all.total_capped).toBeUndefined();
    const capped = await listIncidents(t.app.store.db, t.app.store.dialect, ['public'], {}, 5, undefined, 3);
    expect(capped).toMatchObject({ total: 3, total_capped: true });
    const exact = await listIncidents(t.app.store.db, t.app.store.dialect, ['public'], {}, 5, undefined, all.total);
    expect(exact.total).toBe(all.total);
    expect(exact.total_capped).toBeUndefined();
    let seen = capped.items.length;
    let cursor = capped.next_cursor;
    while (cursor) {
      const page = await listIncidents(t.app.store.db, t.app.store.dialect, ['public'], {}, 5, cursor, 3);
      seen += page.items.length;
      cursor = page.next_cursor;
    }
    expect(seen).toBe(all.total);
  });

  it('filters by interval overlap, country, event type, actor and full text', async () => {
    const truce = (await get('/api/v1/incidents?from=2025-10-15T13:00:00Z&to=2025-10-19T13:00:00Z')).json();
    for (const i of truce.items) {
      expect(i.occurred.to > '2025-10-15T13:00:00.000Z' && i.occurred.from < '2025-10-19T13:00:00.000Z').toBe(true);
    }
    expect(truce.total).toBeGreaterThan(0);
    const afg = (await get('/api/v1/incidents?country=AFG')).json();
    expect(afg.items.every((i: { location: { country: string } }) => i.location.country === 'AFG')).toBe(true);
    const strikes = (await get('/api/v1/incidents?event_type=Explosions%2FRemote%20violence')).json();
    expect(strikes.items.every((i: { event_type: string }) => i.event_type === 'Explosions/Remote violence')).toBe(true);
    const ttp = (await get('/api/v1/incidents?actor=TTP')).json();
    expect(ttp.total).toBeGreaterThan(0);
    expect(ttp.items.every((i: { actors: { actor: string }[] }) => i.actors.some((a) => a.actor === 'TTP'))).toBe(true);
    const kabul = (await get('/api/v1/incidents?q=Kabul')).json();
    expect(kabul.items.map((i: { id: string }) => i.id)).toContain('INC-20251009-KABUL');
    // Actor names are searchable: Pakistan's official name for the TTP finds TTP incidents.
    const khawarij = (await get('/api/v1/incidents?q=Khawarij')).json();
    expect(khawarij.total).toBeGreaterThan(0);
    // FTS operators typed by a caller are text, not syntax.
    expect((await get('/api/v1/incidents?q=%22NEAR(%20*')).statusCode).toBe(200);
  });

  it('rejects a bad filter with the parameter named', async () => {
    const r = await get('/api/v1/incidents?limit=9999&from=yesterday');
    expect(r.statusCode).toBe(400);
    const paths = r.json().error.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['/limit', '/from']));
  });

  it('answers an unknown id with 404 and the error shape', async () => {
    const r = await get('/api/v1/incidents/does-not-exist');
    expect(r.statusCode).toBe(404);
    expect(r.json()).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String), fields: [] } });
  });

  it('lets a delegate file an incident, which gets a log entry', async () => {
    const before = await t.app.log.size();
    const r = await post('/api/v1/incidents', newIncident('INC-T-1'), who.pak1);
    expect(r.statusCode).toBe(201);
    const body = r.json();
    expect(body.occurred).toMatchObject({ from: '2025-10-21T01:15:00.000Z', to: '2025-10-21T01:16:00.000Z', precision: 'exact' });
    expect(body.log_index).toBe(before);
    expect(await t.app.log.size()).toBe(before + 1);
    expect((await get('/api/v1/incidents/INC-T-1')).statusCode).toBe(200);
  });

  it('rejects invalid input with JSON Pointer paths and writes nothing', async () => {
    const before = await t.app.log.size();
    const bad = newIncident('INC-T-BAD', { location: { country: 'PAK', lat: 95, lon: 70 }, colour: 'red' });
    const r = await post('/api/v1/incidents', bad, who.pak1);
    expect(r.statusCode).toBe(400);
    const fields = r.json().error.fields;
    expect(fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '/location/lat', code: 'too_big' }),
        expect.objectContaining({ path: '/colour', code: 'unknown_field' }),
      ]),
    );
    expect(await t.app.log.size()).toBe(before);
    expect((await get('/api/v1/incidents/INC-T-BAD')).statusCode).toBe(404);
  });

  it('rejects a duplicate id with 409 and a dangling actor with 400', async () => {
    expect((await post('/api/v1/incidents', newIncident('INC-T-1'), who.pak1)).statusCode).toBe(409);
    const r = await post('/api/v1/incidents', newIncident('INC-T-2', { actors: [{ actor: 'NOPE', role: 'perpetrator' }] }), who.pak1);
    expect(r.statusCode).toBe(400);
    expect(r.json().error.fields[0]).toMatchObject({ path: '/actors/0/actor', code: 'dangling_reference' });
  });

  it('answers malformed JSON with 400 and anonymous writes with 401', async () => {
    const bad = await server.inject({ method: 'POST', url: '/api/v1/incidents', payload: '{"id":', headers: { 'content-type': 'application/json', ...auth(who.pak1) } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    const anon = await post('/api/v1/incidents', newIncident('INC-T-3'));
    expect(anon.statusCode).toBe(401);
    expect(anon.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('keeps each party to its own claims; only mediators verify', async () => {
    const claim = { id: 'CL-T-1', by: 'AFG', basis: 'alleged', asserts: { perpetrator: 'TTP' } };
    const asOther = await post('/api/v1/incidents/INC-T-1/claims', claim, who.pak1);
    expect(asOther.statusCode).toBe(403);
    expect(asOther.json().error.code).toBe('FORBIDDEN');
    expect((await post('/api/v1/incidents/INC-T-1/claims', { ...claim, by: 'PAK' }, who.pak1)).statusCode).toBe(201);
    const verified = { id: 'CL-T-2', by: 'QAT', basis: 'verified', asserts: { target_category: 'security_forces' } };
    expect((await post('/api/v1/incidents/INC-T-1/claims', { ...verified, by: 'PAK' }, who.pak1)).statusCode).toBe(403);
    expect((await post('/api/v1/incidents/INC-T-1/claims', verified, who.mediator1)).statusCode).toBe(201);
    const claims = (await get('/api/v1/incidents/INC-T-1/claims')).json();
    expect(claims.items.map((c: { id: string }) => c.id)).toEqual(['CL-T-1', 'CL-T-2']);
    const one = await get('/api/v1/incidents/INC-T-1/claims/CL-T-2');
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ id: 'CL-T-2', incident: 'INC-T-1', by: 'QAT', basis: 'verified' });
    // A claim is found only under its own incident.
    const elsewhere = await get('/api/v1/incidents/INC-20251009-KABUL/claims/CL-T-2');
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.json().error.code).toBe('NOT_FOUND');
    expect((await get('/api/v1/incidents/INC-T-1/claims/CL-NONE')).statusCode).toBe(404);
  });

  it('shows contested claims side by side, field by field', async () => {
    const view = (await get('/api/v1/incidents/INC-20251017-URGUN/contest')).json();
    expect(view.groups.map((g: { by: string }) => g.by)).toEqual(expect.arrayContaining(['AFG', 'PAK']));
    const target = view.fields.find((f: { field: string }) => f.field === 'target_category');
    expect(target.agreement).toBe('differ');
    expect(target.values.map((v: { value: string }) => v.value)).toEqual(expect.arrayContaining(['civilians', 'militants']));
  });

  it('assesses the built-in incidents as the seeds reason', async () => {
    const rows = (await get('/api/v1/incidents/INC-20251017-URGUN/assessment')).json();
    expect(rows.find((r: { obligation: string }) => r.obligation === 'TRUCE-PAK-CEASE')).toMatchObject({ status: 'alleged_violation' });
    const mirAli = (await get('/api/v1/incidents/INC-20251017-MIR-ALI/assessment')).json();
    expect(mirAli.find((r: { obligation: string }) => r.obligation === 'TRUCE-AFG-CEASE')).toMatchObject({ status: 'contingent_violation', open_questions: ['facilitation'] });
    const kabul = (await get('/api/v1/incidents/INC-20251009-KABUL/assessment')).json();
    expect(kabul.every((r: { status: string }) => r.status === 'not_in_force')).toBe(true);
    const severe = (await get('/api/v1/assessments?status=contingent_violation')).json().items;
    expect(severe.map((r: { incident: string }) => r.incident)).toEqual(expect.arrayContaining(['INC-20251017-MIR-ALI', 'INC-202510-KURRAM']));
    expect((await get('/api/v1/assessments?status=bogus')).statusCode).toBe(400);
  });

  it('amends an agreement: extension adds a window, termination closes open ones', async () => {
    const ext = await post('/api/v1/agreements/AGR-DOHA-2025/amendments', { type: 'termination', at: '2025-12-01T00:00:00Z' }, who.mediator1);
    expect(ext.statusCode).toBe(201);
    expect(ext.json().windows.every((w: { to: string | null }) => w.to !== null && w.to <= '2025-12-01T00:00:00.000Z')).toBe(true);
    expect((await post('/api/v1/agreements/AGR-DOHA-2025/amendments', { type: 'extension', window: { from: '2025-12-05T00:00:00Z', to: null } }, who.pak1)).statusCode).toBe(403);
    expect((await post('/api/v1/agreements/NOPE/amendments', { type: 'termination', at: '2025-12-01T00:00:00Z' }, who.mediator1)).statusCode).toBe(404);
  });

  it('hides out-of-scope incidents: 404 and not counted', async () => {
    const hidden = newIncident('INC-T-HIDDEN', { visibility: 'mediators' });
    expect((await post('/api/v1/incidents', hidden, who.afg1)).statusCode).toBe(201);
    const anonTotal = (await get('/api/v1/incidents?limit=500')).json();
    const medTotal = (await get('/api/v1/incidents?limit=500', who.mediator1)).json();
    expect(anonTotal.items.map((i: { id: string }) => i.id)).not.toContain('INC-T-HIDDEN');
    expect(medTotal.total).toBeGreaterThan(anonTotal.total);
    expect((await get('/api/v1/incidents/INC-T-HIDDEN', who.afg1)).statusCode).toBe(404);
    expect((await get('/api/v1/incidents/INC-T-HIDDEN', who.admin1)).statusCode).toBe(404);
    expect((await get('/api/v1/incidents/INC-T-HIDDEN', who.mediator1)).statusCode).toBe(200);
    // The mediator's read was audited.
    const audit = (await get('/api/v1/audit', who.admin1)).json();
    expect(audit.items.some((a: { target: string }) => a.target.includes('INC-T-HIDDEN'))).toBe(true);
  });

  it('serves an OpenAPI 3.1 document that lists every route', async () => {
    const doc = (await get('/api/v1/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/incidents', '/api/v1/incidents/{id}/claims', '/api/v1/agreements/{id}/amendments', '/api/v1/health']));
    expect(doc.paths['/api/v1/incidents'].get.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['q', 'from', 'to', 'country', 'admin1', 'event_type', 'actor', 'limit', 'cursor']));
  });

  it('answers over a real socket', async () => {
    const live = await makeServer(t.app);
    await live.listen({ port: 0, host: '127.0.0.1' });
    try {
      const addr = live.server.address() as { port: number };
      const r = await fetch(`http://127.0.0.1:${addr.port}/api/v1/health`);
      expect(r.status).toBe(200);
      expect(await r.json()).toMatchObject({ status: 'ok', store: kind });
    } finally {
      await live.close();
    }
  });
});
