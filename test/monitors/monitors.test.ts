import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewaySecret, signWebhook } from '../../src/app/monitors.js';
import { storeLogSource } from '../../src/cli/verify.js';
import { auditLog } from '../../src/ledger/audit.js';
import { nodeCrypto } from '../../src/ledger/node-crypto.js';
import type { Callers, TestApp } from '../support/app.js';
import { auth, makeCallers, makeServer, makeTestApp } from '../support/app.js';
import { postgresAvailable } from '../support/env.js';
import { configureSmsRateLimit, smsFormBodyPlugin } from '../../src/server/routes/monitors.js';
import { buildServer } from '../../src/server/app.js';

const NOW = new Date('2025-10-18T10:00:00Z');
const NAME = 'Haji Zarif Khan Secretname';
const PHONE = '+93 700 123 456';
const PHONE_FORMS = ['+93700123456', '93700123456', '700 123 456', '700123456'];

const stores: ('sqlite' | 'postgres')[] = ['sqlite'];
if (await postgresAvailable()) stores.push('postgres');

describe.each(stores)('local monitors on %s', (kind) => {
  let t: TestApp;
  let server: FastifyInstance;
  let who: Callers;
  let n = 0;

  const as = (w: keyof Callers, method: 'GET' | 'POST', url: string, body?: unknown) =>
    server.inject({ method, url, ...(body !== undefined ? { payload: body as object } : {}), headers: auth(who[w]) });

  const sms = (from: string, text: string, opts: { id?: string; ts?: number; sig?: string } = {}) => {
    const fields = { From: from, Body: text, MessageId: opts.id ?? `SM-${kind}-${++n}` };
    const ts = String(opts.ts ?? Math.floor(t.app.clock().getTime() / 1000));
    return server.inject({ method: 'POST', url: '/api/v1/intake/sms', payload: fields, headers: { 'x-mizan-timestamp': ts, 'x-mizan-signature': opts.sig ?? signWebhook(gatewaySecret(t.app), ts, fields) } });
  };
  const logSize = () => t.app.log.size();
  const reportCount = async () => Number((await t.app.store.db.selectFrom('monitor_reports').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    t = await makeTestApp(kind, { clock: () => NOW });
    who = await makeCallers(t.app);
    server = await makeServer(t.app);
    configureSmsRateLimit(t.app, { limit: 1000, windowMs: 600_000 });
    const r = await as('mediator1', 'POST', '/api/v1/monitors', {
      id: 'MON-1',
      pseudonym: 'Elder of Barmal',
      districts: ['Barmal'],
      languages: ['ps'],
      zone: 'Asia/Kabul',
      account: 'monitor1',
      identity: { name: NAME, phone: PHONE },
    });
    expect(r.statusCode, r.body).toBe(201);
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  it('only mediators register monitors', async () => {
    for (const w of ['admin1', 'pak1', 'analyst1', 'monitor1'] as const) {
      const r = await as(w, 'POST', '/api/v1/monitors', { id: `MON-X-${w}`, pseudonym: 'x', districts: [], languages: ['en'], zone: 'Asia/Kabul', identity: { name: 'x', phone: '+92 300 0000000' } });
      expect(r.statusCode).toBe(403);
    }
    expect((await as('anonymous', 'POST', '/api/v1/monitors', {})).statusCode).toBe(401);
  });

  it('an SMS in Persian digits about برمل becomes a report with a receipt in Pashto', async () => {
    const before = await logSize();
    const r = await sms('+93700123456', 'راپور برمل ۱۷/۱۰ ۲۰:۳۰ AIR K۱۰ W۱۲ CIV کورونه ویجاړ شول');
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body.lang).toBe('ps');
    expect(body.reply).toContain(`راپور ${body.report.number}`);
    expect(await logSize()).toBeGreaterThan(before);
    const rep = await as('mediator1', 'GET', `/api/v1/reports/${body.report.id}`);
    expect(rep.statusCode).toBe(200);
    expect(rep.json()).toMatchObject({ monitor: 'MON-1', channel: 'sms', visibility: 'mediators', report: { what: 'AIR', killed: 10, wounded: 12, occurred: { local: '2025-10-17T20:30' } } });
    expect(rep.json().report.place.candidates[0]).toMatchObject({ name: 'Barmal', country: 'AFG' });
  });

  it('STATUS answers in the monitor’s language', async () => {
    const r = await sms('0093700123456', 'STATUS ۱');
    expect(r.json().reply).toMatch(/^میزان: راپور 1: /);
    expect((await sms('+93700123456', 'STATUS 999')).json().reply).toContain('999');
  });

  it('a bad message gets a helpful reply and writes nothing', async () => {
    const [log, reports] = [await logSize(), await reportCount()];
    const r = await sms('+93700123456', 'راپور برمل ۳۱/۰۲ AIR');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ lang: 'ps', error: { code: 'BAD_DATE', position: 11 } });
    expect(r.json().reply).toContain('R Barmal 17/10 20:30 AIR');
    expect([await logSize(), await reportCount()]).toEqual([log, reports]);
  });

  it('hostile bodies never crash the intake and never write a partial report', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 100 }).map((s) => `R ${s}`), fc.constantFrom('R Barmal', 'R ۱۷/۱۰ AIR', 'CORR 999 R Barmal 17/10 AIR', 'R Barmal 17/10 XYZ')), async (text) => {
        const log = await logSize();
        const reports = await reportCount();
        const r = await sms('+93700123456', text);
        expect([200, 400]).toContain(r.statusCode);
        // Either one whole report (row and log entries together) or nothing in the log at all.
        if (r.statusCode === 200 && r.json().report !== undefined) {
          expect(await reportCount()).toBe(reports + 1);
          expect(await logSize()).toBeGreaterThan(log);
        } else {
          expect(await reportCount()).toBe(reports);
          expect(await logSize()).toBe(log);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('the webhook refuses bad signatures, stale timestamps and duplicate message ids', async () => {
    expect((await sms('+93700123456', 'STATUS 1', { sig: '00'.repeat(32) })).json().error.code).toBe('BAD_SIGNATURE');
    expect((await sms('+93700123456', 'STATUS 1', { ts: Math.floor(NOW.getTime() / 1000) - 301 })).statusCode).toBe(400);
    const first = await sms('+93700123456', 'R Barmal today AIR', { id: `DUP-${kind}` });
    expect(first.statusCode).toBe(200);
    const again = await sms('+93700123456', 'R Barmal today AIR', { id: `DUP-${kind}` });
    expect(again.statusCode).toBe(409);
  });

  it('rate-limits each sender', async () => {
    configureSmsRateLimit(t.app, { limit: 2, windowMs: 600_000 });
    try {
      const codes = [];
      for (let i = 0; i < 3; i++) codes.push((await sms('+92 333 1112223', 'STATUS 1')).statusCode);
      expect(codes).toEqual([200, 200, 429]);
      expect((await sms('+92 333 1112224', 'STATUS 1')).statusCode).toBe(200);
    } finally {
      configureSmsRateLimit(t.app, { limit: 1000, windowMs: 600_000 });
    }
  });

  it('accepts form-encoded posts, as gateways send them, once smsFormBodyPlugin is registered', async () => {
    const f = await buildServer({ app: t.app, plugins: [smsFormBodyPlugin] });
    try {
      const fields = { From: '+93700123456', Body: 'حالت ۱', MessageId: `FORM-${kind}` };
      const ts = String(Math.floor(NOW.getTime() / 1000));
      const r = await f.inject({
        method: 'POST',
        url: '/api/v1/intake/sms',
        payload: new URLSearchParams(fields).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-mizan-timestamp': ts, 'x-mizan-signature': signWebhook(gatewaySecret(t.app), ts, fields) },
      });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json().reply).toMatch(/^میزان: راپور 1: /);
    } finally {
      await f.close();
    }
  });

  it('an unknown sender gets a generic reply and nothing is written', async () => {
    const log = await logSize();
    const r = await sms('+92 300 9999999', 'R Chaman today CLASH');
    expect(r.statusCode).toBe(200);
    expect(r.json().report).toBeUndefined();
    expect(await logSize()).toBe(log);
  });

  it('CORR supersedes a report', async () => {
    const r = await sms('+93700123456', 'CORR 1 R Barmal 17/10 20:30 AIR K11 W12 CIV');
    const id = r.json().report.id as string;
    expect((await as('mediator1', 'GET', `/api/v1/reports/${id}`)).json()).toMatchObject({ supersedes: 'RPT-1', report: { killed: 11 } });
    expect((await as('mediator1', 'GET', '/api/v1/reports/RPT-1')).json().status).toBe('superseded');
  });

  it('a re-sent offline web report is stored once', async () => {
    const form = { idempotency_key: `offline-${kind}-0001`, place: 'Barmal', occurred_local: '2025-10-17T20:30', what: 'AIR', killed: 10, target: 'CIV', text: 'sent from the queue' };
    const log = await logSize();
    const a = await as('monitor1', 'POST', '/api/v1/reports', form);
    expect(a.statusCode, a.body).toBe(201);
    const grown = await logSize();
    expect(grown).toBeGreaterThan(log);
    const b = await as('monitor1', 'POST', '/api/v1/reports', form);
    expect(b.statusCode).toBe(200);
    expect(b.json().id).toBe(a.json().id);
    expect(await logSize()).toBe(grown);
    const mine = await as('monitor1', 'GET', '/api/v1/reports');
    expect(mine.json().items.filter((i: { id: string }) => i.id === a.json().id)).toHaveLength(1);
    // Other roles: mediators see it, delegates and admins do not (mediators visibility), analysts may not list reports.
    expect((await as('pak1', 'GET', `/api/v1/reports/${a.json().id}`)).statusCode).toBe(404);
    expect((await as('admin1', 'GET', `/api/v1/reports/${a.json().id}`)).statusCode).toBe(404);
    expect((await as('analyst1', 'GET', '/api/v1/reports')).statusCode).toBe(403);
    expect((await as('pak1', 'POST', '/api/v1/reports', form)).statusCode).toBe(403);
  });

  it('links are candidates with score and explanation; confirm and undo are logged, never merged', async () => {
    const links = (await as('analyst1', 'GET', '/api/v1/report-links?status=candidate')).json().items as { id: string; incident_id: string; score: number; explanation: string }[];
    expect(links.length).toBeGreaterThan(0);
    expect(links[0]!.score).toBeGreaterThanOrEqual(0.5);
    expect(links[0]!.explanation).toMatch(/km|place/);
    const id = links[0]!.id;
    const log = await logSize();
    expect((await as('pak1', 'POST', `/api/v1/report-links/${id}/confirm`)).statusCode).toBe(403);
    expect((await as('analyst1', 'POST', `/api/v1/report-links/${id}/confirm`)).json().status).toBe('confirmed');
    expect((await as('mediator1', 'POST', `/api/v1/report-links/${id}/undo`)).json().status).toBe('undone');
    expect(await logSize()).toBe(log + 2);
    const inc = await as('anonymous', 'GET', `/api/v1/incidents/${links[0]!.incident_id}`);
    expect(inc.statusCode).toBe(200);
    // The outbox told the monitor what was decided, in Pashto.
    const out = (await as('mediator1', 'GET', '/api/v1/outbox?status=queued')).json().items as { kind: string; lang: string }[];
    expect(out.some((o) => o.kind === 'decision' && o.lang === 'ps')).toBe(true);
  });

  it('a mediator publishes a report as a public incident under its own name, only when the monitor asked', async () => {
    const log = await logSize();
    const unasked = await as('mediator1', 'POST', '/api/v1/reports/RPT-2/publish', {});
    expect(unasked.statusCode).toBe(409);
    expect(unasked.json().error.message).toMatch(/did not ask for publication/);
    expect(await logSize()).toBe(log);
    const asked = await sms('+93700123456', 'R Barmal today AIR PUB seen from the road');
    const id = asked.json().report.id as string;
    expect((await as('mediator1', 'GET', `/api/v1/reports/${id}`)).json()).toMatchObject({ publish_requested: true, report: { text: 'seen from the road' } });
    const r = await as('mediator1', 'POST', `/api/v1/reports/${id}/publish`, {});
    expect(r.statusCode, r.body).toBe(200);
    const inc = await as('anonymous', 'GET', `/api/v1/incidents/${r.json().incident}`);
    expect(inc.statusCode).toBe(200);
    expect(inc.json()).toMatchObject({ visibility: 'public', recorded_by: 'mediator1', event_type: 'Explosions/Remote violence' });
    expect(inc.body).not.toContain('MON-1');
    const mine = await as('monitor1', 'GET', `/api/v1/reports/${id}`);
    expect(mine.json().status).toBe('published');
    expect((await as('mediator1', 'POST', `/api/v1/reports/${id}/assessments`, { outcome: 'corroborated' })).statusCode).toBe(201);
    expect((await as('mediator1', 'GET', '/api/v1/monitors/MON-1/reliability')).json()).toMatchObject({ corroborated: 1, contradicted: 0, ratio: 1 });
  });

  it('news reaches a district’s monitors through the outbox; the gateway pulls it with the number and reports delivery', async () => {
    const b = await as('mediator1', 'POST', '/api/v1/monitors/broadcast', { district: 'barmal', text: 'The ceasefire was extended.' });
    expect(b.json()).toMatchObject({ queued: 1 });
    const nonce = `pull-${kind}-0001`;
    const ts = String(Math.floor(NOW.getTime() / 1000));
    const sig = signWebhook(gatewaySecret(t.app), ts, { From: '', Body: 'pull', MessageId: nonce });
    const pulled = await server.inject({ method: 'POST', url: '/api/v1/intake/sms/outbox', payload: { nonce }, headers: { 'x-mizan-timestamp': ts, 'x-mizan-signature': sig } });
    expect(pulled.statusCode, pulled.body).toBe(200);
    const msgs = pulled.json().messages as { id: string; to: string; text: string }[];
    expect(msgs.find((m) => m.text === 'The ceasefire was extended.')).toMatchObject({ to: '+93700123456' });
    const id = msgs[0]!.id;
    const dsig = signWebhook(gatewaySecret(t.app), ts, { From: '', Body: 'delivered', MessageId: id });
    const d = await server.inject({ method: 'POST', url: '/api/v1/intake/sms/status', payload: { id, status: 'delivered' }, headers: { 'x-mizan-timestamp': ts, 'x-mizan-signature': dsig } });
    expect(d.json()).toEqual({ id, status: 'delivered' });
    expect((await server.inject({ method: 'POST', url: '/api/v1/intake/sms/outbox', payload: { nonce }, headers: { 'x-mizan-timestamp': ts, 'x-mizan-signature': '00' } })).statusCode).toBe(400);
    // A replayed pull is refused.
    expect((await server.inject({ method: 'POST', url: '/api/v1/intake/sms/outbox', payload: { nonce }, headers: { 'x-mizan-timestamp': ts, 'x-mizan-signature': sig } })).statusCode).toBe(409);
  });

  it('a finding on a public allegation and a ceasefire’s extension reach the monitors by themselves, in their language', async () => {
    const news = async () => ((await as('mediator1', 'GET', '/api/v1/outbox?status=queued')).json().items as { kind: string; lang: string; text: string }[]).filter((o) => o.kind === 'news');
    const before = (await news()).length;
    const filed = await as('afg1', 'POST', '/api/v1/allegations', { id: `ALG-MON-${kind}`, agreement: 'AGR-TRUCE-48H', by: 'AFG', against: 'PAK', incidents: ['INC-20251017-BARMAL'], text: 'Air strikes on Barmal during the truce.' });
    expect(filed.statusCode, filed.body).toBe(201);
    expect((await as('pak1', 'POST', `/api/v1/allegations/ALG-MON-${kind}/reply`, { kind: 'deny', text: 'Militant hideouts.' })).statusCode).toBe(201);
    expect((await as('mediator1', 'POST', `/api/v1/allegations/ALG-MON-${kind}/finding`, { outcome: 'substantiated', reasoning: 'Imagery and interviews agree.' })).statusCode).toBe(201);
    const afterFinding = await news();
    expect(afterFinding.length).toBe(before + 1);
    // MON-1 reports from Barmal and reads Pashto.
    expect(afterFinding.at(-1)).toMatchObject({ lang: 'ps', text: expect.stringContaining('ثابت شو') });
    expect(afterFinding.at(-1)!.text).toContain('Barmal');

    const amended = await as('mediator1', 'POST', '/api/v1/agreements/AGR-DOHA-2025/amendments', { type: 'extension', window: { from: '2025-10-19T13:00:00Z', to: '2026-01-19T13:00:00Z' } });
    expect(amended.statusCode, amended.body).toBe(201);
    const afterAmendment = await news();
    expect(afterAmendment.length).toBe(before + 2);
    expect(afterAmendment.at(-1)!.text).toBe('میزان: اوربند AGR-DOHA-2025 وغځول شو تر 2026-01-19 13:00 UTC پورې.');
  });

  it('the identity appears in no log entry and in no response to anyone but mediators', async () => {
    const entries = await t.app.store.db.selectFrom('log_entries').select('entry').execute();
    // The monitor's login is known to admins, so it must not appear either, not even in the public entry headers.
    const needles = [NAME, 'Secretname', ...PHONE_FORMS, 'monitor1'];
    expect(entries.length).toBeGreaterThan(10);
    for (const e of entries) {
      const text = Buffer.from(e.entry).toString('utf8');
      for (const s of needles) expect(text).not.toContain(s);
    }
    const urls = ['/api/v1/monitors', '/api/v1/reports', '/api/v1/reports/RPT-1', '/api/v1/reports/RPT-2', '/api/v1/report-links', '/api/v1/outbox', '/api/v1/monitors/MON-1/reliability', '/api/v1/incidents?limit=500', '/api/v1/audit', '/api/v1/inbox', '/log/checkpoint'];
    for (const w of ['anonymous', 'admin1', 'pak1', 'afg1', 'monitor1', 'analyst1'] as const) {
      for (const url of urls) {
        const r = await as(w, 'GET', url);
        for (const s of needles) expect(r.body, `${w} ${url}`).not.toContain(s);
      }
    }
    const m = await as('mediator1', 'GET', '/api/v1/monitors');
    expect(m.json().items[0].identity).toEqual({ name: NAME, phone: PHONE });
  });

  it('erasure deletes the salt and the encrypted original, is logged, and the log still verifies', async () => {
    expect((await as('admin1', 'POST', '/api/v1/monitors/MON-1/erase')).statusCode).toBe(403);
    const log = await logSize();
    const r = await as('mediator1', 'POST', '/api/v1/monitors/MON-1/erase');
    expect(r.statusCode, r.body).toBe(200);
    expect(await logSize()).toBe(log + 1);
    const salt = await t.app.store.db.selectFrom('log_salts').select('salt').where('idx', '=', r.json().identity_entry).executeTakeFirstOrThrow();
    expect(salt.salt).toBeNull();
    const row = await t.app.store.db.selectFrom('monitors').select(['identity_enc', 'phone_hmac']).where('id', '=', 'MON-1').executeTakeFirstOrThrow();
    expect(row).toEqual({ identity_enc: null, phone_hmac: null });
    expect((await as('mediator1', 'GET', '/api/v1/monitors')).json().items[0]).toMatchObject({ identity: null, erased: true });
    await t.app.log.signCheckpoint();
    const result = await auditLog(storeLogSource(t.app), { crypto: nodeCrypto, logKey: t.app.log.verifierKey });
    expect(result.ok, JSON.stringify(result)).toBe(true);
    // The phone no longer finds anyone.
    expect((await sms('+93700123456', 'STATUS 1')).json().report).toBeUndefined();
    expect((await as('mediator1', 'POST', '/api/v1/monitors/MON-1/erase')).statusCode).toBe(409);
  });
});
