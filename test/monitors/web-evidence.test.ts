// The monitor's web form on the server: exactly-once submission by idempotency key (also under
// racing re-sends and across monitors), photos uploaded by the monitor and cited by the report
// with the original's digest, and who may then read those photos. On SQLite and PostgreSQL.
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createToken } from '../../src/app/accounts.js';
import { SYSTEM } from '../../src/domain/principal.js';
import type { Caller, Callers, StoreKind, TestApp } from '../support/app.js';
import { auth, makeCallers, makeServer, makeTestApp } from '../support/app.js';
import { postgresAvailable } from '../support/env.js';

const kinds: StoreKind[] = ['sqlite'];
if (await postgresAvailable()) kinds.push('postgres');

const NOW = new Date('2025-10-18T10:00:00Z');
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe.each(kinds)('web reports with evidence on %s', (kind) => {
  let t: TestApp;
  let server: FastifyInstance;
  let who: Callers;
  let second: Caller;

  const post = (c: Caller, url: string, body: unknown) => server.inject({ method: 'POST', url, payload: body as object, headers: auth(c) });
  const get = (c: Caller, url: string) => server.inject({ method: 'GET', url, headers: auth(c) });
  const upload = (c: Caller, bytes: Buffer) => server.inject({ method: 'POST', url: '/api/v1/evidence?filename=IMG_0001.jpg', payload: bytes, headers: { 'content-type': 'image/jpeg', ...auth(c) } });
  const reportCount = async () => Number((await t.app.store.db.selectFrom('monitor_reports').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const form = (key: string, extra: Record<string, unknown> = {}) => ({ idempotency_key: key, place: 'Barmal', occurred_local: '2025-10-17T20:30', what: 'AIR', killed: 2, ...extra });

  beforeAll(async () => {
    t = await makeTestApp(kind, { clock: () => NOW, places: false });
    who = await makeCallers(t.app);
    server = await makeServer(t.app);
    await addUser(t.app, SYSTEM, { name: 'monitor2', role: 'monitor', password: 'correct horse battery staple' });
    second = { name: 'monitor2', role: 'monitor', party: null, token: (await createToken(t.app, SYSTEM, 'monitor2')).token };
    for (const [id, account, phone] of [
      ['MON-W1', 'monitor1', '+93 700 111 001'],
      ['MON-W2', 'monitor2', '+93 700 111 002'],
    ] as const) {
      const r = await post(who.mediator1, '/api/v1/monitors', { id, pseudonym: `Elder ${id}`, districts: ['Barmal'], languages: ['ps'], zone: 'Asia/Kabul', account, identity: { name: `Name ${id}`, phone } });
      expect(r.statusCode, r.body).toBe(201);
    }
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  it('racing re-sends of one report are stored exactly once', async () => {
    const before = await reportCount();
    const rs = await Promise.all(Array.from({ length: 6 }, () => post(who.monitor1, '/api/v1/reports', form(`race-${kind}-0001`))));
    const ids = new Set(rs.map((r) => r.json().id as string));
    expect(rs.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(ids.size).toBe(1);
    expect(await reportCount()).toBe(before + 1);
  });

  it('the key belongs to the monitor: another monitor using the same key files its own report', async () => {
    const a = await post(who.monitor1, '/api/v1/reports', form(`shared-${kind}-key`));
    const b = await post(second, '/api/v1/reports', form(`shared-${kind}-key`));
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(b.json().id).not.toBe(a.json().id);
    expect(b.json().monitor).toBe('MON-W2');
    // A re-send by the first monitor still returns its own report.
    const again = await post(who.monitor1, '/api/v1/reports', form(`shared-${kind}-key`));
    expect([again.statusCode, again.json().id]).toEqual([200, a.json().id]);
  });

  it("a monitor uploads a stripped photo; the report records the uploaded and the original digests", async () => {
    const original = Buffer.from(`original photo with GPS ${kind}`);
    const stripped = Buffer.from(`the same photo without GPS ${kind}`);
    const up = await upload(who.monitor1, stripped);
    expect(up.statusCode, up.body).toBe(201);
    expect(up.json().sha256).toBe(sha256(stripped));
    // The log holds a commitment to the file's record, never the record in clear.
    const entry = await t.app.store.db.selectFrom('log_entries').select(['kind', 'entry']).where('record_id', '=', `sha256:${sha256(stripped)}`).executeTakeFirstOrThrow();
    expect(entry.kind).toBe('evidence.add');
    expect(Buffer.from(entry.entry).toString('utf8')).not.toContain('IMG_0001');

    const evidence = [{ sha256: sha256(stripped), original_sha256: sha256(original), location_kept: false }];
    const r = await post(who.monitor1, '/api/v1/reports', form(`photo-${kind}-0001`, { evidence, lat: 32.95, lon: 69.18 }));
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().report.evidence).toEqual(evidence);
    const seen = await get(who.mediator1, `/api/v1/reports/${r.json().id}`);
    expect(seen.json().report.evidence).toEqual(evidence);
    expect(seen.json().report.place.candidates[0]).toMatchObject({ id: 'pin', lat: 32.95, lon: 69.18 });

    // Mediators read the file; the monitor itself, delegates and admins do not.
    expect((await get(who.mediator1, `/api/v1/evidence/${sha256(stripped)}`)).rawPayload.equals(stripped)).toBe(true);
    expect((await get(who.monitor1, `/api/v1/evidence/${sha256(stripped)}`)).statusCode).toBe(403);
    expect((await get(who.pak1, `/api/v1/evidence/${sha256(stripped)}`)).statusCode).toBe(404);
    expect((await get(who.admin1, `/api/v1/evidence/${sha256(stripped)}`)).statusCode).toBe(404);
    // A delegate who uploads the same bytes learns nothing of who sent them first.
    const again = await upload(who.pak1, stripped);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ sha256: sha256(stripped), filename: null, uploaded_by: 'withheld', created: false });
    expect(again.body).not.toContain('monitor1');
  });

  it('refuses a report citing a file that was never uploaded, and writes nothing', async () => {
    const before = await reportCount();
    const log = await t.app.log.size();
    const missing = sha256(Buffer.from('never uploaded'));
    const r = await post(who.monitor1, '/api/v1/reports', form(`missing-${kind}-0001`, { evidence: [{ sha256: missing, original_sha256: missing, location_kept: true }] }));
    expect(r.statusCode).toBe(400);
    expect(r.json().error.fields).toEqual([expect.objectContaining({ path: '/evidence/0', code: 'evidence_not_found' })]);
    expect(await reportCount()).toBe(before);
    expect(await t.app.log.size()).toBe(log);
  });

  it('documents the web report body, with its evidence list, in the OpenAPI document', async () => {
    const doc = (await get(who.anonymous, '/api/v1/openapi.json')).json();
    const schema = doc.paths['/api/v1/reports'].post.requestBody.content['application/json'].schema;
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['idempotency_key', 'lat', 'lon', 'evidence']));
    expect(Object.keys(schema.properties.evidence.items.properties).sort()).toEqual(['location_kept', 'original_sha256', 'sha256']);
  });

  it('refuses inconsistent evidence and half a map pin', async () => {
    const a = sha256(Buffer.from('a'));
    const b = sha256(Buffer.from('b'));
    const kept = await post(who.monitor1, '/api/v1/reports', form(`kept-${kind}-0001`, { evidence: [{ sha256: a, original_sha256: b, location_kept: true }] }));
    expect(kept.statusCode).toBe(400);
    expect(kept.json().error.fields[0].path).toBe('/evidence/0/sha256');
    const half = await post(who.monitor1, '/api/v1/reports', form(`half-${kind}-0001`, { lat: 32.9 }));
    expect(half.statusCode).toBe(400);
    expect(half.json().error.fields[0].path).toBe('/lon');
    const bad = await post(who.monitor1, '/api/v1/reports', form(`bad-${kind}-0001`, { evidence: [{ sha256: 'sha256:' + a, original_sha256: a, location_kept: false }] }));
    expect(bad.statusCode).toBe(400);
  });
});
