import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Callers, TestApp } from '../support/app.js';
import { auth, makeCallers, makeServer, makeTestApp } from '../support/app.js';
import { postgresAvailable } from '../support/env.js';

const stores: ('sqlite' | 'postgres')[] = ['sqlite'];
if (await postgresAvailable()) stores.push('postgres');

/**
 * A monitor account exists before a mediator registers it as a monitor (the demo account of
 * `mizan start` is one). Until then it sees no reports at all — and it must get that answer, not
 * a server error: PostgreSQL refuses a NUL byte in a text parameter, where SQLite accepts one.
 */
describe.each(stores)('a monitor account not yet registered as a monitor, on %s', (kind) => {
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

  it('lists no reports (200, empty), reads none (404) and may not submit one (403)', async () => {
    const list = await server.inject({ method: 'GET', url: '/api/v1/reports', headers: auth(who.monitor1) });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json()).toEqual({ items: [] });
    const one = await server.inject({ method: 'GET', url: '/api/v1/reports/RPT-1', headers: auth(who.monitor1) });
    expect(one.statusCode, one.body).toBe(404);
    const submit = await server.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: { idempotency_key: 'unregistered-1', place: 'Barmal', occurred_local: '2025-10-17T20:30', what: 'AIR', killed: 3, visibility: 'mediators', publish_request: false },
      headers: auth(who.monitor1),
    });
    expect(submit.statusCode, submit.body).toBe(403);
    expect(submit.json().error.code).toBe('FORBIDDEN');
  });
});
