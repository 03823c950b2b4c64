// POST /api/v1/extract in-process: who may call it, what it answers, and that it writes nothing.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server/app.js';
import { authenticator } from '../../src/server/auth.js';
import { makeCallers, makeTestApp, type Callers, type TestApp } from '../support/app.js';

let t: TestApp;
let server: FastifyInstance;
let callers: Callers;

beforeAll(async () => {
  t = await makeTestApp('sqlite');
  callers = await makeCallers(t.app);
  server = await buildServer({ app: t.app, authenticate: authenticator(t.app) });
  await server.ready();
});
afterAll(async () => {
  await server?.close();
  await t?.close();
});

const TEXT = 'Pakistani jets bombed homes in Barmal district on Friday evening, killing 10 civilians, Taliban officials said.';
const post = (token: string | null, payload: unknown) =>
  server.inject({ method: 'POST', url: '/api/v1/extract', headers: token ? { authorization: `Bearer ${token}` } : {}, payload: payload as Record<string, unknown> });

describe('POST /api/v1/extract', () => {
  it('anonymous callers get 401 UNAUTHENTICATED', async () => {
    const r = await post(null, { text: TEXT, published: '2025-10-22' });
    expect(r.statusCode).toBe(401);
    expect(r.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('delegates and monitors get 403 FORBIDDEN, before their body is even read', async () => {
    for (const who of ['pak1', 'afg1', 'monitor1'] as const) {
      const r = await post(callers[who].token, { nonsense: true });
      expect(r.statusCode, who).toBe(403);
      expect(r.json().error.code).toBe('FORBIDDEN');
    }
  });

  it('analysts, mediators and admins get candidates with link suggestions against the stored incidents', async () => {
    for (const who of ['analyst1', 'mediator1', 'admin1'] as const) {
      const r = await post(callers[who].token, { text: TEXT, published: '2025-10-22' });
      expect(r.statusCode, r.body).toBe(200);
      const body = r.json();
      expect(body.incidents).toHaveLength(1);
      expect(body.incidents[0]).toMatchObject({ kind: 'incident', location: { name: 'Barmal', admin1: 'Paktika' }, occurred: { from: '2025-10-17T13:30:00.000Z' } });
      expect(body.links[0]).toMatchObject({ incident: 'INC-20251017-BARMAL', decision: 'linked' });
    }
  });

  it('a malformed request is 400 VALIDATION_FAILED with the field named', async () => {
    const r = await post(callers.analyst1.token, { text: TEXT, published: '2025-02-30' });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ path: '/published' }] });
    const r2 = await post(callers.analyst1.token, { text: TEXT, published: '2025-10-22', extra: 1 });
    expect(r2.statusCode).toBe(400);
  });

  it('extraction records nothing', async () => {
    const before = (await t.app.listIncidents({ kind: 'system' }, {}, 500)).total;
    await post(callers.analyst1.token, { text: TEXT, published: '2025-10-22' });
    expect((await t.app.listIncidents({ kind: 'system' }, {}, 500)).total).toBe(before);
  });
});

const call = (url: string, token: string | null, payload: unknown) =>
  server.inject({ method: 'POST', url, headers: token ? { authorization: `Bearer ${token}` } : {}, payload: payload as Record<string, unknown> });

describe('POST /api/v1/extract/ingest and /api/v1/extract/link', () => {
  const body = { text: TEXT, published: '2025-10-22', source: { title: 'Route test wire' } };

  it('a delegate is refused before the body is read; a mediator records a source and a linked report (201); the repeat is 409', async () => {
    const refused = await call('/api/v1/extract/ingest', callers.pak1.token, { nonsense: true });
    expect(refused.statusCode).toBe(403);
    const r = await call('/api/v1/extract/ingest', callers.mediator1.token, body);
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ source: expect.stringMatching(/^SRC-X-/), links: [{ incident: 'INC-20251017-BARMAL', decision: 'linked' }] });
    const again = await call('/api/v1/extract/ingest', callers.mediator1.token, body);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('DUPLICATE_ID');
  });

  it('mediator-only reports are invisible to an analyst: its link run sees nothing to do', async () => {
    await call('/api/v1/extract/ingest', callers.mediator1.token, { ...body, source: { title: 'Second wire' }, text: 'ISPR said precision strikes hit TTP hideouts in Bermal early on October 18, killing more than 30 militants.' });
    const analyst = await call('/api/v1/extract/link', callers.analyst1.token, { dry_run: true });
    expect(analyst.statusCode, analyst.body).toBe(200);
    expect(analyst.json().items).toEqual([]);
    const bad = await call('/api/v1/extract/link', callers.mediator1.token, { dry_run: 'yes' });
    expect(bad.statusCode).toBe(400);
  });
});
