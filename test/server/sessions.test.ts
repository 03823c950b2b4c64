import { createHash } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from '../../src/app/accounts.js';
import { SYSTEM } from '../../src/domain/principal.js';
import type { Callers, TestApp } from '../support/app.js';
import { auth, makeCallers, makeServer, makeTestApp } from '../support/app.js';
import { postgresAvailable } from '../support/env.js';

/**
 * Browser sessions and API tokens over HTTP, with the app clock injected so that expiry is
 * tested by moving time, not by waiting. The same suite runs on every store.
 */
const stores: ('sqlite' | 'postgres')[] = ['sqlite'];
if (await postgresAvailable()) stores.push('postgres');

const PASSWORD = 'correct horse battery staple';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

// The login rate limiter is per process and keyed by address: give every sign-in its own address,
// so that the suites for both stores can sign in as often as they need.
let address = 0;
const nextAddress = () => `10.77.${Math.floor(++address / 250)}.${address % 250}`;

interface Browser {
  readonly cookie: string;
  readonly csrf: string;
  readonly token: string;
}

const incident = (id: string) => ({
  id,
  occurred: { local: '2025-10-22', zone: 'Asia/Kabul', precision: 'day' },
  location: { country: 'AFG', admin1: 'Paktika' },
  event_type: 'Battles',
  sub_event_type: 'Armed clash',
});

describe.each(stores)('sessions and API tokens on %s', (kind) => {
  let t: TestApp;
  let server: FastifyInstance;
  let who: Callers;
  let now = Date.parse('2025-10-25T08:00:00Z');
  let n = 0;
  const uid = (p: string) => `${p}-${kind}-${++n}`;

  beforeAll(async () => {
    t = await makeTestApp(kind, { clock: () => new Date(now) });
    who = await makeCallers(t.app);
    server = await makeServer(t.app);
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  async function signIn(name: string, previous?: Browser): Promise<Browser> {
    const r = await server.inject({ method: 'POST', url: '/api/v1/session', payload: { name, password: PASSWORD }, remoteAddress: nextAddress(), ...(previous ? { headers: { cookie: previous.cookie } } : {}) });
    expect(r.statusCode, r.body).toBe(200);
    const cookie = String(r.headers['set-cookie']).split(';')[0]!;
    expect(cookie).toMatch(/^mizan_session=[A-Za-z0-9_-]{43}$/);
    return { cookie, csrf: r.json().csrf_token, token: cookie.slice('mizan_session='.length) };
  }
  const whoAmI = async (b: Browser): Promise<string | null> => (await server.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: b.cookie } })).json().user?.name ?? null;
  const postIncident = (id: string, headers: Record<string, string>) => server.inject({ method: 'POST', url: '/api/v1/incidents', payload: incident(id), headers });
  const incidentExists = async (id: string) => (await t.app.store.db.selectFrom('incidents').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  const freshAccount = async (role: 'delegate' | 'analyst', party?: string): Promise<string> => {
    const name = uid(`${role}-fresh`);
    await addUser(t.app, SYSTEM, { name, role, ...(party ? { party } : {}), password: PASSWORD });
    return name;
  };
  const errorCode = (r: LightMyRequestResponse) => r.json<{ error: { code: string } }>().error.code;

  describe('CSRF on cookie-authenticated writes', () => {
    it('refuses a write without the X-CSRF-Token header with CSRF_FAILED (403), and writes nothing', async () => {
      const b = await signIn('pak1');
      const size = await t.app.log.size();
      const id = uid('INC-CSRF-NONE');
      const r = await postIncident(id, { cookie: b.cookie });
      expect(r.statusCode, r.body).toBe(403);
      expect(errorCode(r)).toBe('CSRF_FAILED');
      expect(await incidentExists(id)).toBe(false);
      expect(await t.app.log.size()).toBe(size);
    });

    it('refuses a wrong token, another session’s token and an empty one the same way', async () => {
      const b = await signIn('pak1');
      const other = await signIn('afg1');
      const size = await t.app.log.size();
      for (const csrf of ['x'.repeat(b.csrf.length), other.csrf, '', `${b.csrf} `]) {
        const id = uid('INC-CSRF-BAD');
        const r = await postIncident(id, { cookie: b.cookie, 'x-csrf-token': csrf });
        expect(r.statusCode, `${JSON.stringify(csrf)}: ${r.body}`).toBe(403);
        expect(errorCode(r)).toBe('CSRF_FAILED');
        expect(await incidentExists(id)).toBe(false);
      }
      expect(await t.app.log.size()).toBe(size);
    });

    it('accepts the write with the session’s own token; a new tab gets that token from GET /api/v1/session', async () => {
      const b = await signIn('pak1');
      const fromTab = (await server.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: b.cookie } })).json().csrf_token;
      expect(fromTab).toBe(b.csrf);
      const id = uid('INC-CSRF-OK');
      const r = await postIncident(id, { cookie: b.cookie, 'x-csrf-token': b.csrf });
      expect(r.statusCode, r.body).toBe(201);
      expect(await incidentExists(id)).toBe(true);
    });

    it('also guards DELETE: signing out without the token is refused and the session survives', async () => {
      const b = await signIn('analyst1');
      const r = await server.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie: b.cookie } });
      expect(r.statusCode).toBe(403);
      expect(errorCode(r)).toBe('CSRF_FAILED');
      expect(await whoAmI(b)).toBe('analyst1');
    });

    it('does not ask bearer-token requests for one (no ambient credential to ride on)', async () => {
      const id = uid('INC-BEARER');
      const r = await postIncident(id, auth(who.pak1));
      expect(r.statusCode, r.body).toBe(201);
      expect(await incidentExists(id)).toBe(true);
    });
  });

  describe('expiry', () => {
    it('ends a session idle for more than 2 hours; the client is told, its cookie cleared, and a write gets 401 SESSION_ENDED and saves nothing', async () => {
      expect(SESSION_IDLE_MS).toBe(2 * HOUR);
      const b = await signIn('pak1');
      // Activity keeps it alive: two gaps just under the idle limit, 3h58m in all.
      now += 2 * HOUR - MINUTE;
      expect(await whoAmI(b)).toBe('pak1');
      now += 2 * HOUR - MINUTE;
      expect(await whoAmI(b)).toBe('pak1');
      now += 2 * HOUR + 1;
      const id = uid('INC-IDLE');
      const r = await postIncident(id, { cookie: b.cookie, 'x-csrf-token': b.csrf });
      expect(r.statusCode, r.body).toBe(401);
      expect(errorCode(r)).toBe('SESSION_ENDED');
      expect(r.json<{ error: { message: string } }>().error.message).toMatch(/sign in again/);
      expect(String(r.headers['set-cookie'])).toMatch(/^mizan_session=;.*Max-Age=0/);
      expect(await incidentExists(id)).toBe(false);
      const s = await server.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: b.cookie } });
      expect(s.json()).toEqual({ user: null, csrf_token: null, session_ended: true });
      expect(String(s.headers['set-cookie'])).toMatch(/^mizan_session=;.*Max-Age=0/);
      // Public records stay readable with the dead cookie.
      expect((await server.inject({ method: 'GET', url: '/api/v1/incidents?limit=1', headers: { cookie: b.cookie } })).statusCode).toBe(200);
      // A browser that never signed in is not told its session ended.
      expect((await server.inject({ method: 'GET', url: '/api/v1/session' })).json()).toEqual({ user: null, csrf_token: null, session_ended: false });
      // Signing in again with the dead cookie still in the jar sets a new cookie and no clearing one.
      const again = await signIn('pak1', b);
      expect(await whoAmI(again)).toBe('pak1');
      // Gone for good: turning the clock back does not revive it.
      now -= 2 * HOUR;
      expect(await whoAmI(b)).toBeNull();
      now += 2 * HOUR;
    });

    it('ends even an active session 12 hours after sign-in', async () => {
      expect(SESSION_ABSOLUTE_MS).toBe(12 * HOUR);
      const b = await signIn('afg1');
      for (let h = 1; h <= 11; h++) {
        now += HOUR;
        expect(await whoAmI(b), `after ${h} h`).toBe('afg1');
      }
      now += HOUR - 1;
      expect(await whoAmI(b)).toBe('afg1');
      now += 2;
      expect(await whoAmI(b)).toBeNull();
      const r = await server.inject({ method: 'POST', url: '/api/v1/session/logout-all', headers: { cookie: b.cookie, 'x-csrf-token': b.csrf } });
      expect(r.statusCode).toBe(401);
      expect(errorCode(r)).toBe('SESSION_ENDED');
    });
  });

  describe('sign-in, sign-out and sign-out everywhere', () => {
    it('rotates the session id at sign-in: the cookie the browser had before no longer works', async () => {
      const first = await signIn('mediator1');
      const second = await signIn('mediator1', first);
      expect(second.token).not.toBe(first.token);
      expect(second.csrf).not.toBe(first.csrf);
      expect(await whoAmI(first)).toBeNull();
      expect(await whoAmI(second)).toBe('mediator1');
      // The session store holds the new id only, and only as a hash.
      const rows = await t.app.store.db.selectFrom('sessions').select('id_hash').where('id_hash', 'in', [sha256(first.token), sha256(second.token), second.token]).execute();
      expect(rows.map((r) => r.id_hash)).toEqual([sha256(second.token)]);
    });

    it('signs out one session; the cookie is cleared and dead, other sessions of the account live on', async () => {
      const a = await signIn('monitor1');
      const b = await signIn('monitor1');
      const r = await server.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie: a.cookie, 'x-csrf-token': a.csrf } });
      expect(r.statusCode, r.body).toBe(200);
      expect(String(r.headers['set-cookie'])).toMatch(/^mizan_session=;.*Max-Age=0/);
      expect(await whoAmI(a)).toBeNull();
      expect(await whoAmI(b)).toBe('monitor1');
    });

    it('logout-all ends every session and revokes every API token of the account, not other accounts’', async () => {
      // An account of its own: signing out everywhere revokes its tokens, and the suite's callers keep theirs.
      const afg = await freshAccount('delegate', 'AFG');
      const a = await signIn(afg);
      const b = await signIn(afg);
      const bystander = await signIn('pak1');
      // A token made with a (perhaps stolen) session would outlive the sessions: it goes too.
      const made = await server.inject({ method: 'POST', url: `/api/v1/users/${afg}/tokens`, payload: { label: 'made in b' }, headers: { cookie: b.cookie, 'x-csrf-token': b.csrf } });
      expect(made.statusCode, made.body).toBe(201);
      const afgToken = made.json<{ token: string }>().token;
      const pakToken = (await server.inject({ method: 'POST', url: '/api/v1/users/pak1/tokens', payload: {}, headers: { cookie: bystander.cookie, 'x-csrf-token': bystander.csrf } })).json<{ token: string }>().token;
      const asToken = (token: string) => server.inject({ method: 'GET', url: '/api/v1/session', headers: { authorization: `Bearer ${token}` } });
      expect((await asToken(afgToken)).json().user?.name).toBe(afg);
      now += MINUTE;
      const r = await server.inject({ method: 'POST', url: '/api/v1/session/logout-all', headers: { cookie: a.cookie, 'x-csrf-token': a.csrf } });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toEqual({ ok: true, sessions_ended: 2, tokens_revoked: 1 });
      expect(String(r.headers['set-cookie'])).toMatch(/Max-Age=0/);
      expect(await whoAmI(a)).toBeNull();
      expect(await whoAmI(b)).toBeNull();
      expect((await asToken(afgToken)).statusCode).toBe(401);
      expect(await whoAmI(bystander)).toBe('pak1');
      expect((await asToken(pakToken)).json().user?.name).toBe('pak1');
      // Signing in again afterwards works.
      expect(await whoAmI(await signIn(afg))).toBe(afg);
    });

    it('logout-all also invalidates a copy of a session row that survives it (a replica or a restored backup)', async () => {
      const a = await signIn(await freshAccount('analyst'));
      const row = await t.app.store.db.selectFrom('sessions').selectAll().where('id_hash', '=', sha256(a.token)).executeTakeFirstOrThrow();
      now += MINUTE;
      const r = await server.inject({ method: 'POST', url: '/api/v1/session/logout-all', headers: { cookie: a.cookie, 'x-csrf-token': a.csrf } });
      expect(r.statusCode).toBe(200);
      await t.app.store.db.insertInto('sessions').values(row).execute();
      expect(await whoAmI(a)).toBeNull();
    });
  });

  describe('API tokens', () => {
    it('creates a token shown once: stored only as its SHA-256, never in any listing', async () => {
      const b = await signIn('analyst1');
      const r = await server.inject({ method: 'POST', url: '/api/v1/users/analyst1/tokens', payload: { label: 'laptop' }, headers: { cookie: b.cookie, 'x-csrf-token': b.csrf } });
      expect(r.statusCode, r.body).toBe(201);
      const { id, token } = r.json<{ id: string; token: string }>();
      expect(token).toMatch(/^mzt_[A-Za-z0-9_-]{43}$/);
      const row = await t.app.store.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      expect(row.token_hash).toBe(sha256(token));
      expect(JSON.stringify(row)).not.toContain(token.slice(4));
      const users = await server.inject({ method: 'GET', url: '/api/v1/users', headers: auth(who.admin1) });
      expect(users.statusCode).toBe(200);
      expect(users.body).not.toContain(token.slice(4));
      expect(users.body).not.toContain(row.token_hash);
      // It works, as the account it was made for.
      const me = await server.inject({ method: 'GET', url: '/api/v1/session', headers: { authorization: `Bearer ${token}` } });
      expect(me.json().user.name).toBe('analyst1');
    });

    it('a revoked token stops working at once', async () => {
      const { id, token } = (await server.inject({ method: 'POST', url: '/api/v1/users/pak1/tokens', payload: {}, headers: auth(who.pak1) })).json<{ id: string; token: string }>();
      const bearer = { authorization: `Bearer ${token}` };
      expect((await postIncident(uid('INC-TOK-LIVE'), bearer)).statusCode).toBe(201);
      const r = await server.inject({ method: 'DELETE', url: `/api/v1/tokens/${id}`, headers: bearer });
      expect(r.statusCode, r.body).toBe(200);
      const id2 = uid('INC-TOK-DEAD');
      const after = await postIncident(id2, bearer);
      expect(after.statusCode).toBe(401);
      expect(errorCode(after)).toBe('UNAUTHENTICATED');
      expect(await incidentExists(id2)).toBe(false);
      expect((await server.inject({ method: 'GET', url: '/api/v1/incidents', headers: bearer })).statusCode).toBe(401);
      // The account's other token is untouched.
      expect((await server.inject({ method: 'GET', url: '/api/v1/inbox', headers: auth(who.pak1) })).statusCode).toBe(200);
    });

    it('refuses a non-admin revoking or minting someone else’s token; an admin may revoke it', async () => {
      const { id, token } = (await server.inject({ method: 'POST', url: '/api/v1/users/afg1/tokens', payload: {}, headers: auth(who.afg1) })).json<{ id: string; token: string }>();
      const bearer = { authorization: `Bearer ${token}` };
      for (const c of [who.pak1, who.mediator1, who.analyst1, who.monitor1]) {
        const r = await server.inject({ method: 'DELETE', url: `/api/v1/tokens/${id}`, headers: auth(c) });
        expect(r.statusCode, `${c.name}: ${r.body}`).toBe(403);
        expect(errorCode(r)).toBe('FORBIDDEN');
        const mint = await server.inject({ method: 'POST', url: '/api/v1/users/afg1/tokens', payload: {}, headers: auth(c) });
        expect(mint.statusCode, `${c.name} mints`).toBe(403);
      }
      // A non-admin cannot tell a missing token from someone else's.
      expect((await server.inject({ method: 'DELETE', url: '/api/v1/tokens/t_000000000000', headers: auth(who.pak1) })).statusCode).toBe(403);
      expect((await server.inject({ method: 'GET', url: '/api/v1/inbox', headers: bearer })).statusCode).toBe(200);
      const byAdmin = await server.inject({ method: 'DELETE', url: `/api/v1/tokens/${id}`, headers: auth(who.admin1) });
      expect(byAdmin.statusCode, byAdmin.body).toBe(200);
      expect((await server.inject({ method: 'GET', url: '/api/v1/inbox', headers: bearer })).statusCode).toBe(401);
      expect((await server.inject({ method: 'DELETE', url: '/api/v1/tokens/t_000000000000', headers: auth(who.admin1) })).statusCode).toBe(404);
    });

    it('lists an account’s tokens to its owner and admins (ids, labels, times, never the token); revoking twice keeps the first time', async () => {
      const mint = async (label: string) => (await server.inject({ method: 'POST', url: '/api/v1/users/monitor1/tokens', payload: { label }, headers: auth(who.monitor1) })).json<{ id: string; token: string }>();
      const phone = await mint('phone');
      now += MINUTE;
      const laptop = await mint('laptop');
      const list = await server.inject({ method: 'GET', url: '/api/v1/users/monitor1/tokens', headers: auth(who.monitor1) });
      expect(list.statusCode, list.body).toBe(200);
      const items = list.json<{ items: { id: string; label: string | null; created_at: string; revoked_at: string | null }[] }>().items;
      expect(items.slice(0, 2)).toEqual([
        { id: laptop.id, label: 'laptop', created_at: new Date(now).toISOString(), revoked_at: null },
        { id: phone.id, label: 'phone', created_at: new Date(now - MINUTE).toISOString(), revoked_at: null },
      ]);
      for (const secret of [phone.token, laptop.token, sha256(phone.token)]) expect(list.body).not.toContain(secret);
      expect((await server.inject({ method: 'GET', url: '/api/v1/users/monitor1/tokens', headers: auth(who.admin1) })).statusCode).toBe(200);
      for (const c of [who.pak1, who.mediator1, who.analyst1]) expect((await server.inject({ method: 'GET', url: '/api/v1/users/monitor1/tokens', headers: auth(c) })).statusCode, c.name).toBe(403);
      expect((await server.inject({ method: 'GET', url: '/api/v1/users/nobody/tokens', headers: auth(who.admin1) })).statusCode).toBe(404);

      const first = await server.inject({ method: 'DELETE', url: `/api/v1/tokens/${phone.id}`, headers: auth(who.monitor1) });
      expect(first.json()).toEqual({ ok: true, revoked_at: new Date(now).toISOString() });
      now += MINUTE;
      const again = await server.inject({ method: 'DELETE', url: `/api/v1/tokens/${phone.id}`, headers: auth(who.admin1) });
      expect(again.json()).toEqual({ ok: true, revoked_at: new Date(now - MINUTE).toISOString() });
      const after = (await server.inject({ method: 'GET', url: '/api/v1/users/monitor1/tokens', headers: auth(who.monitor1) })).json<{ items: { id: string; revoked_at: string | null }[] }>().items;
      expect(after.find((i) => i.id === phone.id)?.revoked_at).toBe(new Date(now - MINUTE).toISOString());
    });
  });
});
