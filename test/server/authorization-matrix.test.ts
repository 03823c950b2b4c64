import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createToken } from '../../src/app/accounts.js';
import { registerKey } from '../../src/app/keys.js';
import { SYSTEM } from '../../src/domain/principal.js';
import { formatVerifierKey } from '../../src/ledger/index.js';
import { nodeCrypto } from '../../src/ledger/node-crypto.js';
import { allRoutes } from '../../src/server/routes/index.js';
import type { Callers, TestApp } from '../support/app.js';
import { auth, makeCallers, makeServer, makeTestApp } from '../support/app.js';

/**
 * Every route × every role, expected outcomes in one table. The first test fails when a route
 * exists that this table does not cover, so no new route can escape the matrix.
 */
import type { MatrixCase as Case, Who } from './matrix/types.js';
import { EVERYONE, partyOf, SIGNED_IN, uid } from './matrix/types.js';
import { extractMatrix } from './matrix/extract.js';
import { monitorsMatrix, monitorsSetup } from './matrix/monitors.js';
import { threatMatrix, threatSetup } from './matrix/threat.js';
import { warningMatrix, warningSetup } from './matrix/warning.js';
import { evidenceMatrix, evidenceSetup, monitorFileRows } from './matrix/evidence.js';

const incident = () => ({
  id: uid('INC-M'),
  occurred: { local: '2025-10-22', zone: 'Asia/Kabul', precision: 'day' },
  location: { country: 'AFG', admin1: 'Paktika' },
  event_type: 'Battles',
  sub_event_type: 'Armed clash',
});

const MATRIX: Record<string, Case> = {
  'GET /api/v1/health': { req: () => ({ url: '/api/v1/health' }), allowed: EVERYONE },
  'POST /api/v1/session': { req: () => ({ url: '/api/v1/session', body: { name: 'admin1', password: 'correct horse battery staple' } }), allowed: EVERYONE },
  'GET /api/v1/session': { req: () => ({ url: '/api/v1/session' }), allowed: EVERYONE },
  'DELETE /api/v1/session': { req: () => ({ url: '/api/v1/session' }), allowed: SIGNED_IN },
  'POST /api/v1/session/logout-all': { req: () => ({ url: '/api/v1/session/logout-all' }), allowed: [] },
  'GET /api/v1/users': { req: () => ({ url: '/api/v1/users' }), allowed: ['admin1'] },
  'POST /api/v1/users': { req: () => ({ url: '/api/v1/users', body: { name: uid('u'), role: 'analyst' } }), allowed: ['admin1'] },
  'POST /api/v1/users/:id/tokens': { req: () => ({ url: '/api/v1/users/analyst1/tokens', body: {} }), allowed: ['admin1', 'analyst1'] },
  'GET /api/v1/users/:id/tokens': { req: () => ({ url: '/api/v1/users/analyst1/tokens' }), allowed: ['admin1', 'analyst1'] },
  // Each caller tries to revoke its own fresh token of analyst1's: the owner and an admin may, no one else.
  'DELETE /api/v1/tokens/:id': { req: (w) => ({ url: `/api/v1/tokens/${analystTokens[w] ?? 'none'}` }), allowed: ['admin1', 'analyst1'] },
  'GET /api/v1/audit': { req: () => ({ url: '/api/v1/audit' }), allowed: ['admin1', 'mediator1'] },
  'GET /api/v1/parties': { req: () => ({ url: '/api/v1/parties' }), allowed: EVERYONE },
  'GET /api/v1/parties/:id': { req: () => ({ url: '/api/v1/parties/PAK' }), allowed: EVERYONE },
  'POST /api/v1/parties': { req: () => ({ url: '/api/v1/parties', body: { id: uid('PX'), name: 'Observer', kind: 'observer' } }), allowed: ['admin1'] },
  'GET /api/v1/actors': { req: () => ({ url: '/api/v1/actors' }), allowed: EVERYONE },
  'GET /api/v1/actors/:id': { req: () => ({ url: '/api/v1/actors/TTP' }), allowed: EVERYONE },
  'POST /api/v1/actors': { req: () => ({ url: '/api/v1/actors', body: { id: uid('ACT'), names: ['Lashkar X'], controlled_by: null } }), allowed: ['admin1', 'mediator1', 'analyst1'] },
  'GET /api/v1/actors/:id/relations': { req: () => ({ url: '/api/v1/actors/TTP/relations' }), allowed: EVERYONE },
  'POST /api/v1/actors/:id/relations': {
    req: (w) => ({ url: '/api/v1/actors/TTP/relations', body: w === 'analyst1' || w === 'mediator1' ? { type: 'allied_with', actor: 'AQ', basis: 'reported', by: 'SRC-RUSI-20251112' } : { type: 'hosted_by', party: 'AFG', basis: 'alleged', by: partyOf[w] } }),
    allowed: ['pak1', 'afg1', 'mediator1', 'analyst1'],
  },
  'GET /api/v1/sources': { req: () => ({ url: '/api/v1/sources' }), allowed: EVERYONE },
  'GET /api/v1/sources/:id': { req: () => ({ url: '/api/v1/sources/SRC-RUSI-20251112' }), allowed: EVERYONE },
  'POST /api/v1/sources': { req: () => ({ url: '/api/v1/sources', body: { id: uid('SRC'), title: 'Wire report' } }), allowed: ['analyst1', 'mediator1', 'admin1'] },
  'GET /api/v1/incidents': { req: () => ({ url: '/api/v1/incidents' }), allowed: EVERYONE },
  'GET /api/v1/incidents/:id': { req: () => ({ url: '/api/v1/incidents/INC-20251009-KABUL' }), allowed: EVERYONE },
  'POST /api/v1/incidents': { req: () => ({ url: '/api/v1/incidents', body: incident() }), allowed: ['pak1', 'afg1'] },
  'GET /api/v1/incidents/:id/claims': { req: () => ({ url: '/api/v1/incidents/INC-20251009-KABUL/claims' }), allowed: EVERYONE },
  'GET /api/v1/incidents/:id/claims/:claim': { req: () => ({ url: '/api/v1/incidents/INC-20251009-KABUL/claims/CLM-KABUL-AFG' }), allowed: EVERYONE },
  'POST /api/v1/incidents/:id/claims': {
    // Each role files the kind of claim it is entitled to: delegates as their party, others as reported by a source.
    req: (w) => ({
      url: '/api/v1/incidents/INC-20251009-KABUL/claims',
      body: w === 'pak1' || w === 'afg1' ? { id: uid('CL'), by: partyOf[w], basis: 'alleged', asserts: {} } : { id: uid('CL'), by: 'SRC-RUSI-20251112', basis: 'reported', asserts: {} },
    }),
    allowed: ['pak1', 'afg1', 'mediator1', 'analyst1', 'admin1'],
  },
  'GET /api/v1/incidents/:id/contest': { req: () => ({ url: '/api/v1/incidents/INC-20251017-URGUN/contest' }), allowed: EVERYONE },
  'GET /api/v1/incidents/:id/assessment': { req: () => ({ url: '/api/v1/incidents/INC-20251017-URGUN/assessment' }), allowed: EVERYONE },
  'GET /api/v1/assessments': { req: () => ({ url: '/api/v1/assessments?status=violation,alleged_violation' }), allowed: EVERYONE },
  'GET /api/v1/agreements': { req: () => ({ url: '/api/v1/agreements' }), allowed: EVERYONE },
  'GET /api/v1/agreements/:id': { req: () => ({ url: '/api/v1/agreements/AGR-DOHA-2025' }), allowed: EVERYONE },
  'POST /api/v1/agreements': {
    req: () => ({ url: '/api/v1/agreements', body: { id: uid('AGR'), title: 'Local truce', parties: ['PAK', 'AFG'], mediators: ['QAT'], windows: [{ from: '2025-11-01T00:00:00Z', to: null }], obligations: [] } }),
    allowed: ['mediator1'],
  },
  'POST /api/v1/agreements/:id/amendments': { req: () => ({ url: '/api/v1/agreements/AGR-DOHA-2025/amendments', body: { type: 'extension', window: { from: '2026-01-01T00:00:00Z', to: null } } }), allowed: ['mediator1'] },
  'GET /api/v1/designations': { req: () => ({ url: '/api/v1/designations' }), allowed: EVERYONE },
  'GET /api/v1/designations/:id': { req: () => ({ url: `/api/v1/designations/${firstDesignation}` }), allowed: EVERYONE },
  'POST /api/v1/designations': { req: (w) => ({ url: '/api/v1/designations', body: { actor: 'ISKP', by: partyOf[w], position: 'terrorist', collective_action: 'support' } }), allowed: ['pak1', 'afg1'] },
  // One allegation (ALG-M, AFG against PAK) walks through its states as the rows below run in order.
  'GET /api/v1/allegations': { req: () => ({ url: '/api/v1/allegations' }), allowed: EVERYONE },
  'GET /api/v1/allegations/:id': { req: () => ({ url: '/api/v1/allegations/ALG-M' }), allowed: EVERYONE },
  'POST /api/v1/allegations': {
    req: (w) => ({ url: '/api/v1/allegations', body: { id: uid('ALG'), agreement: 'AGR-DOHA-2025', by: partyOf[w], against: partyOf[w] === 'PAK' ? 'AFG' : 'PAK', incidents: ['INC-202510-KURRAM'], text: 'Attack after the ceasefire.' } }),
    allowed: ['pak1', 'afg1'],
  },
  'POST /api/v1/allegations/:id/reply': { req: () => ({ url: '/api/v1/allegations/ALG-M/reply', body: { kind: 'deny', text: 'Not us.' } }), allowed: ['pak1'] },
  'POST /api/v1/allegations/:id/tasks': { req: () => ({ url: '/api/v1/allegations/ALG-M/tasks', body: { kind: 'imagery', assignees: ['analysts'], due: '2025-11-01T00:00:00Z' } }), allowed: ['mediator1'] },
  'POST /api/v1/allegations/:id/tasks/:sub/outcome': { req: () => ({ url: '/api/v1/allegations/ALG-M/tasks/ALG-M.task1/outcome', body: { outcome: 'Craters consistent with artillery.' } }), allowed: ['mediator1'] },
  'POST /api/v1/allegations/:id/access-denials': { req: () => ({ url: '/api/v1/allegations/ALG-M/access-denials', body: { party: 'PAK', at: '2025-10-28T00:00:00Z', text: 'Denied.' } }), allowed: ['mediator1'] },
  'POST /api/v1/allegations/:id/finding': { req: () => ({ url: '/api/v1/allegations/ALG-M/finding', body: { outcome: 'substantiated', reasoning: 'Imagery.' } }), allowed: ['mediator1'] },
  'POST /api/v1/allegations/:id/opinions': { req: () => ({ url: '/api/v1/allegations/ALG-M/opinions', body: { position: 'agree' } }), allowed: ['pak1', 'afg1'] },
  'POST /api/v1/allegations/:id/remedies': { req: () => ({ url: '/api/v1/allegations/ALG-M/remedies', body: { text: 'Compensation.' } }), allowed: ['mediator1'] },
  'POST /api/v1/allegations/:id/remedies/:sub/progress': { req: () => ({ url: '/api/v1/allegations/ALG-M/remedies/ALG-M.remedy1/progress', body: { status: 'in_progress' } }), allowed: ['mediator1'] },
  'GET /api/v1/access-denials': { req: () => ({ url: '/api/v1/access-denials' }), allowed: EVERYONE },
  'GET /api/v1/inbox': { req: () => ({ url: '/api/v1/inbox' }), allowed: SIGNED_IN },
  'GET /api/v1/places': { req: () => ({ url: '/api/v1/places?q=Barmal' }), allowed: EVERYONE },
  'GET /api/v1/places/point': { req: () => ({ url: '/api/v1/places/point?lat=31.0&lon=66.4' }), allowed: EVERYONE },
  'GET /api/v1/parties/:id/keys': { req: () => ({ url: '/api/v1/parties/PAK/keys' }), allowed: EVERYONE },
  'POST /api/v1/parties/:id/keys': { req: () => ({ url: '/api/v1/parties/PAK/keys', body: { vkey: freshVkey(), purpose: 'signing' } }), allowed: ['admin1'] },
  'POST /api/v1/parties/:id/keys/:key/revoke': { req: () => ({ url: `/api/v1/parties/PAK/keys/${encodeURIComponent(revocable.shift() ?? 'none')}/revoke` }), allowed: ['admin1'] },
  // Cosignatures are self-authenticating: anyone may post; a bad one is refused by content (400/403), not by role.
  'GET /api/v1/log/openings/:index': { req: () => ({ url: `/api/v1/log/openings/${partiesEntry}` }), allowed: ['admin1', 'mediator1', 'pak1', 'afg1'] },
  'POST /log/cosignatures': { req: () => ({ url: '/log/cosignatures', body: { size: 1, cosignature: '— nobody AAAA' } }), allowed: [], refused: [400, 403] },
  'POST /api/v1/submissions': { req: () => ({ url: '/api/v1/submissions', body: { entry: { statement: {}, signatures: [] } } }), allowed: [], refused: [400, 401, 403] },
  'POST /api/v1/extract': { req: () => ({ url: '/api/v1/extract', body: { text: 'An air strike hit Kabul on 9 October.', published: '2025-10-22' } }), allowed: ['analyst1', 'mediator1', 'admin1'] },
  'POST /api/v1/imports': { req: () => ({ url: '/api/v1/imports', body: { format: 'acled', csv: `event_id_cnty,event_date,event_type,sub_event_type,country\n${uid('MATRIX')},2025-10-22,Battles,Armed clash,Pakistan\n` } }), allowed: ['admin1', 'mediator1', 'analyst1'] },
  'GET /api/v1/export/csv': { req: () => ({ url: '/api/v1/export/csv' }), allowed: EVERYONE },
  'GET /api/v1/export/geojson': { req: () => ({ url: '/api/v1/export/geojson' }), allowed: EVERYONE },
  'GET /api/v1/export/hxl': { req: () => ({ url: '/api/v1/export/hxl' }), allowed: EVERYONE },
  ...threatMatrix,
  ...monitorsMatrix,
  ...warningMatrix,
  ...evidenceMatrix,
  ...extractMatrix,
};

function freshVkey(): string {
  return formatVerifierKey(nodeCrypto, uid('pak.key'), nodeCrypto.ed25519PublicKey(randomBytes(32)));
}
const revocable: string[] = [];
/** For the token-revocation row: one live API token of analyst1's per caller. */
const analystTokens: Partial<Record<Who, string>> = {};

/** Outcomes that are neither success nor an access refusal, for routes whose sample hits a missing record. */
// Outside a caller's scope a record is "not found" (404), not forbidden.
const NOT_FOUND_OK = new Set(['GET /api/v1/log/openings/:index']);

let firstDesignation = '';
/** The log index of a `parties` entry (the scenario's parties-only incident). */
let partiesEntry = -1;

describe('authorization matrix', () => {
  let t: TestApp;
  let server: FastifyInstance;
  let who: Callers;

  beforeAll(async () => {
    t = await makeTestApp('sqlite');
    who = await makeCallers(t.app);
    server = await makeServer(t.app);
    firstDesignation = ((await t.app.list({ kind: 'anonymous' }, 'designations', 1)).items[0] as { id: string }).id;
    const hidden = (await t.app.store.db.selectFrom('incidents').select('log_index').where('visibility', '=', 'parties').executeTakeFirstOrThrow()).log_index;
    partiesEntry = Number(hidden);
    const filed = await server.inject({
      method: 'POST',
      url: '/api/v1/allegations',
      payload: { id: 'ALG-M', agreement: 'AGR-DOHA-2025', by: 'AFG', against: 'PAK', incidents: ['INC-202510-KURRAM'], text: 'Shelling after Doha.' },
      headers: auth(who.afg1),
    });
    expect(filed.statusCode).toBe(201);
    // Keys for the revoke row: one per caller, so only the admin's attempt finds it not yet revoked.
    for (let i = 0; i < 7; i++) {
      const k = (await registerKey(t.app, SYSTEM, 'PAK', { vkey: freshVkey() })).key;
      revocable.push(k);
    }
    for (const w of EVERYONE) analystTokens[w] = (await createToken(t.app, SYSTEM, 'analyst1', `matrix: revoked by ${w}`)).id;
    const as = (w: Who, method: 'GET' | 'POST', url: string, body?: unknown) => server.inject({ method, url, ...(body !== undefined ? { payload: body as object } : {}), headers: auth(who[w]) });
    for (const setup of [threatSetup, monitorsSetup, warningSetup, evidenceSetup]) await setup(t, as);
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  it('covers every route', () => {
    const keys = allRoutes.map((r) => `${r.method} ${r.url}`);
    expect(keys.filter((k) => !(k in MATRIX))).toEqual([]);
    expect(Object.keys(MATRIX).filter((k) => !keys.includes(k))).toEqual([]);
  });

  const routeKeys = Object.keys(MATRIX).filter((k) => k !== 'POST /api/v1/session/logout-all');
  it.each(routeKeys.flatMap((k) => EVERYONE.map((w) => [k, w] as const)))('%s as %s', async (key, w) => {
    const c = MATRIX[key]!;
    const [method, path] = key.split(' ') as ['GET' | 'POST' | 'DELETE', string];
    const { url, body } = c.req(w);
    expect(url.startsWith(path.split('/:')[0]!)).toBe(true);
    const r = await server.inject({ method, url, ...(body !== undefined ? { payload: body as object } : {}), headers: auth(who[w]) });
    if (c.refused) return void expect(c.refused, r.body).toContain(r.statusCode);
    const expected = c.allowed.includes(w) ? 'ok' : w === 'anonymous' ? 401 : NOT_FOUND_OK.has(key) ? 404 : 403;
    if (expected === 'ok') expect(r.statusCode, r.body).toBeLessThan(300);
    else if (NOT_FOUND_OK.has(key) && w !== 'anonymous') expect([403, 404], r.body).toContain(r.statusCode);
    else expect(r.statusCode, r.body).toBe(expected);
  });

  it.each(EVERYONE)("a monitor's evidence file is for mediators only: GET as %s", async (w) => {
    const { url, expected } = monitorFileRows();
    const r = await server.inject({ method: 'GET', url, headers: auth(who[w]) });
    expect(r.statusCode, r.body).toBe(expected[w]);
  });

  // The log's read path sits outside the route table (binary and text bodies at C2SP paths): it is
  // public by design — non-public records are in it only as commitments — and the same for everyone.
  const LOG_PATHS = ['/log/checkpoint', '/log/key', '/log/tile/0/000.p/1', '/log/tile/entries/000.p/1', '/log/entry/0', '/log/proof/inclusion?index=0&size=2', '/log/proof/consistency?old=1&new=2'];
  it.each(LOG_PATHS.flatMap((p) => EVERYONE.map((w) => [p, w] as const)))('GET %s as %s is public and identical for every caller', async (path, w) => {
    await t.app.log.signCheckpoint();
    const mine = await server.inject({ method: 'GET', url: path, headers: auth(who[w]) });
    const anon = await server.inject({ method: 'GET', url: path });
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.rawPayload.equals(anon.rawPayload)).toBe(true);
  });

  it('the token row revoked exactly the tokens the owner and the admin aimed at (it runs after the matrix)', async () => {
    const rows = await t.app.store.db.selectFrom('api_tokens').select(['id', 'revoked_at']).where('id', 'in', Object.values(analystTokens)).execute();
    expect(rows).toHaveLength(EVERYONE.length);
    const revoked = rows.filter((r) => r.revoked_at !== null).map((r) => r.id);
    expect(revoked.sort()).toEqual([analystTokens.admin1, analystTokens.analyst1].sort());
  });

  it('logout-all ends every session of the caller', async () => {
    const login = await server.inject({ method: 'POST', url: '/api/v1/session', payload: { name: 'analyst1', password: 'correct horse battery staple' } });
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const csrf = login.json().csrf_token;
    expect((await server.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie } })).json().user.name).toBe('analyst1');
    const out = await server.inject({ method: 'POST', url: '/api/v1/session/logout-all', headers: { cookie, 'x-csrf-token': csrf } });
    expect(out.statusCode).toBe(200);
    expect((await server.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie } })).json().user).toBeNull();
    expect((await server.inject({ method: 'POST', url: '/api/v1/session/logout-all' })).statusCode).toBe(401);
  });
});
