import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerKey, revokeKey } from '../../src/app/keys.js';
import { loadScenario } from '../../src/app/records.js';
import { storeLogSource } from '../../src/cli/verify.js';
import { SYSTEM } from '../../src/domain/principal.js';
import { auditLog } from '../../src/ledger/audit.js';
import type { SignerKey } from '../../src/ledger/index.js';
import { canonicalJson, createEntry, formatSignerKey, formatVerifierKey, keyReference, noteSigner, parseSignerKey } from '../../src/ledger/index.js';
import { nodeCrypto } from '../../src/ledger/node-crypto.js';
import type { Callers, TestApp } from '../support/app.js';
import { auth, makeCallers, makeServer, makeTestApp } from '../support/app.js';

const newKey = (name: string): SignerKey => parseSignerKey(nodeCrypto, formatSignerKey(nodeCrypto, name, randomBytes(32)));
const nowSec = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

function sign(key: SignerKey, party: string, kind: string, body: Record<string, unknown>, at = nowSec()) {
  return createEntry({ v: 1, kind, author: { party, key: keyReference(key) }, at, body: body as Record<string, never> }, [noteSigner(nodeCrypto, key)]);
}

const incident = (id: string) => ({
  id,
  occurred: { local: '2025-10-23T04:00', zone: 'Asia/Karachi', precision: 'exact' },
  location: { country: 'PAK', admin1: 'Khyber Pakhtunkhwa', admin2: 'Kurram' },
  event_type: 'Battles',
  sub_event_type: 'Armed clash',
});

describe('signed submissions', () => {
  let t: TestApp;
  let server: FastifyInstance;
  let who: Callers;
  const pakKey = newKey('pak.mofa');

  beforeAll(async () => {
    t = await makeTestApp('sqlite');
    who = await makeCallers(t.app);
    await registerKey(t.app, SYSTEM, 'PAK', { vkey: formatVerifierKey(nodeCrypto, pakKey.name, pakKey.publicKey) });
    server = await makeServer(t.app);
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  const submit = (entry: unknown, c = who.pak1) => server.inject({ method: 'POST', url: '/api/v1/submissions', payload: { entry } as object, headers: auth(c) });

  it('logs a party-signed statement byte for byte, and the full audit verifies it', async () => {
    const entry = sign(pakKey, 'PAK', 'incident', incident('INC-S-1'));
    const r = await submit(entry);
    expect(r.statusCode, r.body).toBe(201);
    const rec = r.json();
    const logged = await t.app.log.entry(rec.log_index);
    expect(new TextDecoder().decode(logged!)).toBe(canonicalJson(entry));
    await t.app.log.signCheckpoint();
    const audit = await auditLog(storeLogSource(t.app), { crypto: nodeCrypto, logKey: t.app.log.verifierKey });
    expect(audit.ok).toBe(true);
  });

  it('refuses a replay, a tampered body, another party, an unknown key and a stale date', async () => {
    const entry = sign(pakKey, 'PAK', 'incident', incident('INC-S-2'));
    expect((await submit(entry)).statusCode).toBe(201);
    // The incident's id is taken now, so its replay fails on the id before the signature is checked again.
    expect((await submit(entry)).json().error.code).toBe('DUPLICATE_ID');
    // A designation gets a fresh id each time: only the used signature stops its replay.
    const designation = sign(pakKey, 'PAK', 'designation', { actor: 'TTP', by: 'PAK', position: 'terrorist', collective_action: 'support', basis: 'replay probe', at: '2025-10-20' });
    expect((await submit(designation)).statusCode).toBe(201);
    const size = await t.app.log.size();
    const replay = await submit(designation);
    expect(replay.json().error).toMatchObject({ code: 'BAD_SIGNATURE', message: expect.stringContaining('replay') });
    expect(await t.app.log.size()).toBe(size);

    const tampered = sign(pakKey, 'PAK', 'incident', incident('INC-S-3'));
    (tampered.statement as unknown as { body: { id: string } }).body.id = 'INC-S-3b';
    expect((await submit(tampered)).json().error.code).toBe('BAD_SIGNATURE');

    expect((await submit(sign(pakKey, 'PAK', 'incident', incident('INC-S-4')), who.afg1)).statusCode).toBe(403);
    expect((await submit(sign(newKey('pak.other'), 'PAK', 'incident', incident('INC-S-5')))).json().error.code).toBe('BAD_SIGNATURE');
    expect((await submit(sign(pakKey, 'PAK', 'incident', incident('INC-S-6'), '2025-10-23T00:00:00Z'))).json().error.code).toBe('BAD_SIGNATURE');
    expect((await server.inject({ method: 'GET', url: '/api/v1/incidents/INC-S-3b' })).statusCode).toBe(404);
  });

  it('a refused submission does not use up its signature: the same bytes succeed once the write can be made', async () => {
    const claim = sign(pakKey, 'PAK', 'claim', { id: 'CLM-S-1', incident: 'INC-S-9', by: 'PAK', basis: 'alleged', asserts: { text: 'signed before the incident was filed' } });
    expect((await submit(claim)).statusCode).toBe(404);
    expect((await submit(sign(pakKey, 'PAK', 'incident', incident('INC-S-9')))).statusCode).toBe(201);
    const r = await submit(claim);
    expect(r.statusCode, r.body).toBe(201);
  });

  it('refuses a signed claim about an incident that is not public: its body would go into the public log', async () => {
    expect((await submit(sign(pakKey, 'PAK', 'incident', { ...incident('INC-S-10'), visibility: 'parties' }))).json().error.code).toBe('VALIDATION_FAILED');
    await loadScenario(t.app, SYSTEM, { incidents: [{ ...incident('INC-S-11'), visibility: 'parties' }] });
    const size = await t.app.log.size();
    const r = await submit(sign(pakKey, 'PAK', 'claim', { id: 'CLM-S-2', incident: 'INC-S-11', by: 'PAK', basis: 'alleged', asserts: { text: 'a secret' } }));
    expect(r.statusCode).toBe(400);
    expect(r.json().error.message).toMatch(/public log/);
    expect(await t.app.log.size()).toBe(size);
  });

  it('after revocation the key signs nothing new, and what it signed before still verifies', async () => {
    await revokeKey(t.app, SYSTEM, 'PAK', keyReference(pakKey));
    expect((await submit(sign(pakKey, 'PAK', 'incident', incident('INC-S-7')))).json().error.code).toBe('BAD_SIGNATURE');
    await t.app.log.signCheckpoint();
    const audit = await auditLog(storeLogSource(t.app), { crypto: nodeCrypto, logKey: t.app.log.verifierKey });
    expect(audit.ok).toBe(true);
    if (audit.ok) expect(audit.kinds['key.revoke']).toBe(1);
  });
});
