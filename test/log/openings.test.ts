// An authorised reader opens a commitment: gets the committed record and its salt, recomputes the
// commitment in the public entry, and checks the entry's inclusion against a signed checkpoint.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/app/records.js';
import { SYSTEM } from '../../src/domain/principal.js';
import { base64Decode, decodeEntry, hashLeaf, makeCommitment, noteVerifier, verifyTlogProof } from '../../src/ledger/index.js';
import { nodeCrypto } from '../../src/ledger/node-crypto.js';
import type { Callers, TestApp } from '../support/app.js';
import { auth, makeCallers, makeServer, makeTestApp } from '../support/app.js';
import { postgresAvailable } from '../support/env.js';

const stores: ('sqlite' | 'postgres')[] = ['sqlite'];
if (await postgresAvailable()) stores.push('postgres');

const incident = (id: string, visibility: string) => ({
  id,
  title: `Opening probe ${id}`,
  occurred: { from: '2025-10-20T00:00:00Z', to: '2025-10-20T01:00:00Z' },
  location: { country: 'PAK' },
  event_type: 'Battles',
  sub_event_type: 'Armed clash',
  visibility,
});

describe.each(stores)('log openings on %s', (kind) => {
  let t: TestApp;
  let server: FastifyInstance;
  let who: Callers;
  const get = (w: keyof Callers, url: string) => server.inject({ method: 'GET', url, headers: auth(who[w]) });
  const indexOf = async (id: string) => (await get('mediator1', `/api/v1/incidents/${id}`)).json().log_index as number;

  beforeAll(async () => {
    t = await makeTestApp(kind);
    who = await makeCallers(t.app);
    server = await makeServer(t.app);
    await loadScenario(t.app, SYSTEM, { incidents: [incident('INC-OPEN-P', 'parties'), incident('INC-OPEN-M', 'mediators'), incident('INC-OPEN-0', 'public')] });
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  it('a delegate opens a parties entry, recomputes its commitment and verifies its inclusion', async () => {
    const index = await indexOf('INC-OPEN-P');
    const r = await get('pak1', `/api/v1/log/openings/${index}`);
    expect(r.statusCode, r.body).toBe(200);
    const o = r.json();
    expect(o).toMatchObject({ index, kind: 'incident', record_id: 'INC-OPEN-P', visibility: 'parties', body: { id: 'INC-OPEN-P', title: 'Opening probe INC-OPEN-P' } });

    const entryBytes = base64Decode(o.entry, 'INVALID_ARGUMENT', 'entry');
    const served = (await t.app.log.entry(index))!;
    expect(Buffer.from(entryBytes).equals(Buffer.from(served))).toBe(true);
    const statement = decodeEntry(entryBytes).statement;
    expect(statement.body).toBeUndefined();
    expect(statement.commitment).toBe(makeCommitment(nodeCrypto, o.body, base64Decode(o.salt, 'INVALID_ARGUMENT', 'salt')));
    // One changed field and the commitment no longer matches.
    expect(statement.commitment).not.toBe(makeCommitment(nodeCrypto, { ...o.body, title: 'edited' }, base64Decode(o.salt, 'INVALID_ARGUMENT', 'salt')));

    await t.app.log.signCheckpoint();
    const size = await t.app.log.size();
    const proof = await server.inject({ method: 'GET', url: `/log/proof/inclusion?index=${index}&size=${size}`, headers: { accept: 'text/plain' } });
    expect(proof.statusCode, proof.body).toBe(200);
    const verified = verifyTlogProof(nodeCrypto, proof.body, hashLeaf(nodeCrypto, entryBytes), [noteVerifier(nodeCrypto, t.app.log.verifierKey)], t.app.log.origin);
    expect(verified.index).toBe(index);
  });

  it('is not found outside the caller’s scope, for public entries, and for anonymous callers asks for a login', async () => {
    const parties = await indexOf('INC-OPEN-P');
    const mediators = await indexOf('INC-OPEN-M');
    const pub = await indexOf('INC-OPEN-0');
    expect((await get('analyst1', `/api/v1/log/openings/${parties}`)).statusCode).toBe(404);
    expect((await get('monitor1', `/api/v1/log/openings/${parties}`)).statusCode).toBe(404);
    expect((await get('pak1', `/api/v1/log/openings/${mediators}`)).statusCode).toBe(404);
    expect((await get('admin1', `/api/v1/log/openings/${mediators}`)).statusCode).toBe(404);
    for (const w of ['pak1', 'mediator1'] as const) expect((await get(w, `/api/v1/log/openings/${pub}`)).statusCode).toBe(404);
    expect((await server.inject({ method: 'GET', url: `/api/v1/log/openings/${parties}` })).statusCode).toBe(401);
    expect((await get('pak1', '/api/v1/log/openings/-1')).statusCode).toBe(400);
    expect((await get('pak1', '/api/v1/log/openings/abc')).statusCode).toBe(400);
  });

  it('a mediator opens a mediators entry, and the read is audited', async () => {
    const index = await indexOf('INC-OPEN-M');
    const r = await get('mediator1', `/api/v1/log/openings/${index}`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ visibility: 'mediators', record_id: 'INC-OPEN-M' });
    const audit = await t.app.store.db.selectFrom('audit').select(['action', 'target']).where('action', '=', 'open log entry').execute();
    expect(audit).toContainEqual({ action: 'open log entry', target: String(index) });
  });

  it('an erased entry cannot be opened any more, and says so', async () => {
    const reg = await server.inject({
      method: 'POST',
      url: '/api/v1/monitors',
      headers: auth(who.mediator1),
      payload: { id: `MON-OPEN-${kind}`, pseudonym: 'Probe', districts: ['Barmal'], languages: ['ps'], zone: 'Asia/Kabul', identity: { name: 'Probe Name', phone: '+93 700 555 111' } },
    });
    expect(reg.statusCode, reg.body).toBe(201);
    const row = await t.app.store.db.selectFrom('monitors').select('identity_log_index').where('id', '=', `MON-OPEN-${kind}`).executeTakeFirstOrThrow();
    const index = row.identity_log_index!;
    const before = await get('mediator1', `/api/v1/log/openings/${index}`);
    expect(before.statusCode, before.body).toBe(200);
    expect(before.json().body).toMatchObject({ name: 'Probe Name' });
    expect((await server.inject({ method: 'POST', url: `/api/v1/monitors/MON-OPEN-${kind}/erase`, headers: auth(who.mediator1) })).statusCode).toBe(200);
    const after = await get('mediator1', `/api/v1/log/openings/${index}`);
    expect(after.statusCode).toBe(404);
    expect(after.json().error.message).toMatch(/erased/);
    expect(after.body).not.toContain('Probe Name');
  });
});
