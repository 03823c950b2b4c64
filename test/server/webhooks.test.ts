import { createHmac } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureWebhooks, kickWebhooks, stopWebhooks, verifyWebhookSignature, webhooksSettled } from '../../src/app/webhooks.js';
import { openApp } from '../../src/cli/open.js';
import type { Caller, Callers, StoreKind, TestApp } from '../support/app.js';
import { auth, makeCallers, makeServer, makeTestApp } from '../support/app.js';
import { postgresAvailable } from '../support/env.js';

const kinds: StoreKind[] = ['sqlite'];
if (await postgresAvailable()) kinds.push('postgres');

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A receiver on 127.0.0.1 that answers every POST with `status` (or never, when status is 0). */
async function receiver(status: number): Promise<{ url: string; got: Received[]; close: () => Promise<void> }> {
  const got: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (status === 0) return; // hang: the sender's timeout has to end it
      res.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    got,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

/** What a receiver must check, computed independently of Mizan's own helper. */
function signatureValid(secret: string, r: Received): boolean {
  const ts = String(r.headers['x-mizan-timestamp']);
  const expected = `sha256=${createHmac('sha256', secret).update(`${ts}.${r.body}`).digest('hex')}`;
  return r.headers['x-mizan-signature'] === expected;
}

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(kinds)('party webhooks on %s', (kind) => {
  let t: TestApp;
  let server: FastifyInstance;
  let who: Callers;
  let now = new Date('2025-10-20T08:00:00Z');
  const receivers: Awaited<ReturnType<typeof receiver>>[] = [];

  beforeAll(async () => {
    t = await makeTestApp(kind, { clock: () => now, places: false });
    // Short waits so retries run within the test; the schedule's shape is what is under test.
    configureWebhooks(t.app, { timeoutMs: 300, backoffMs: [10, 20] });
    who = await makeCallers(t.app);
    server = await makeServer(t.app);
  });
  afterAll(async () => {
    await webhooksSettled(t.app);
    await server?.close();
    await t?.close();
    for (const r of receivers) await r.close();
  });

  const post = (url: string, body: unknown, c: Caller) => server.inject({ method: 'POST', url, payload: body as object, headers: auth(c) });
  const get = (url: string, c: Caller) => server.inject({ method: 'GET', url, headers: auth(c) });
  const deliveries = async (party: string, c: Caller = who.admin1) => (await get(`/api/v1/parties/${party}/webhook/deliveries`, c)).json().items as { notification_id: string; status: string; attempts: number; last_status: number | null; last_error: string | null }[];
  const allegation = (id: string, agreement = 'AGR-DOHA-2025') => ({ id, agreement, by: 'AFG', against: 'PAK', incidents: ['INC-202510-KURRAM'], text: 'Shelling after Doha.' });

  it('is set by an admin or the party’s own delegate; the secret is shown once and never read back', async () => {
    const r = await receiver(204);
    receivers.push(r);
    expect((await post('/api/v1/parties/PAK/webhook', { url: r.url }, who.afg1)).statusCode).toBe(403);
    expect((await post('/api/v1/parties/PAK/webhook', { url: r.url }, who.mediator1)).statusCode).toBe(403);
    expect((await post('/api/v1/parties/PAK/webhook', { url: 'http://example.org/hook' }, who.admin1)).json().error.fields[0]).toMatchObject({ path: '/url' });
    expect((await post('/api/v1/parties/PAK/webhook', { url: r.url, secret: 'short' }, who.admin1)).json().error.fields[0]).toMatchObject({ path: '/secret' });
    expect((await post('/api/v1/parties/NOPE/webhook', { url: r.url }, who.admin1)).statusCode).toBe(404);
    const set = await post('/api/v1/parties/PAK/webhook', { url: r.url }, who.pak1);
    expect(set.statusCode, set.body).toBe(200);
    const secret = set.json().secret as string;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    for (const c of [who.admin1, who.pak1]) {
      const shown = await get('/api/v1/parties/PAK/webhook', c);
      expect(shown.json()).toMatchObject({ party: 'PAK', url: r.url, set_by: 'pak1' });
      expect(shown.body).not.toContain(secret);
      expect(shown.json()).not.toHaveProperty('secret');
    }
    expect((await get('/api/v1/parties/PAK/webhook', who.afg1)).statusCode).toBe(403);
    // The database keeps it sealed with a key that lives only in the data directory.
    const row = await t.app.store.db.selectFrom('party_webhooks').select('secret').where('party', '=', 'PAK').executeTakeFirstOrThrow();
    expect(row.secret).toMatch(/^sealed:v1:/);
    expect(row.secret).not.toContain(secret);
    expect(statSync(join(t.dataDir, 'keys', 'secrets.key')).mode & 0o777).toBe(0o600);
  });

  it('signs with a secret stored before sealing existed, and never sends a notification whose secret does not open', async () => {
    const r = await receiver(204);
    receivers.push(r);
    const db = t.app.store.db;
    const legacy = 'a-legacy-plaintext-secret-long-enough-01';
    expect((await post('/api/v1/parties/PAK/webhook', { url: r.url }, who.admin1)).statusCode).toBe(200);
    await db.updateTable('party_webhooks').set({ secret: legacy }).where('party', '=', 'PAK').execute();
    expect((await post('/api/v1/allegations', allegation('ALG-W0'), who.afg1)).statusCode).toBe(201);
    const msg = await until('the delivery', async () => r.got.find((g) => JSON.parse(g.body).subject === 'ALG-W0'));
    expect(signatureValid(legacy, msg)).toBe(true);
    // A sealed secret copied from another party's row is bound to that row: it does not open here.
    expect((await post('/api/v1/parties/AFG/webhook', { url: r.url }, who.admin1)).statusCode).toBe(200);
    const afg = await db.selectFrom('party_webhooks').select('secret').where('party', '=', 'AFG').executeTakeFirstOrThrow();
    await db.updateTable('party_webhooks').set({ secret: afg.secret }).where('party', '=', 'PAK').execute();
    const sent = r.got.length;
    expect((await post('/api/v1/allegations', allegation('ALG-W00'), who.afg1)).statusCode).toBe(201);
    const failed = await until('the refused delivery', async () => (await deliveries('PAK')).find((d) => d.status !== 'pending' && d.last_error?.includes('cannot be opened')));
    expect(failed.last_error).toContain('the webhook of party PAK');
    expect(r.got.slice(sent).map((g) => JSON.parse(g.body).subject)).not.toContain('ALG-W00');
    await db.deleteFrom('party_webhooks').where('party', '=', 'AFG').execute();
  });

  it('delivers "allegation filed against you" after the write, signed with HMAC-SHA256 over timestamp.body', async () => {
    const r = receivers[0]!;
    const secret = 'a-test-secret-that-is-long-enough-0001';
    expect((await post('/api/v1/parties/PAK/webhook', { url: r.url, secret }, who.admin1)).statusCode).toBe(200);
    const filed = await post('/api/v1/allegations', allegation('ALG-W1'), who.afg1);
    expect(filed.statusCode, filed.body).toBe(201);
    const msg = await until('the delivery', async () => r.got.find((g) => JSON.parse(g.body).subject === 'ALG-W1'));
    expect(JSON.parse(msg.body)).toMatchObject({ party: 'PAK', kind: 'allegation_filed', subject: 'ALG-W1' });
    expect(msg.headers['content-type']).toBe('application/json');
    expect(msg.headers['x-mizan-timestamp']).toMatch(/^\d{10}$/);
    expect(signatureValid(secret, msg)).toBe(true);
    expect(verifyWebhookSignature(secret, String(msg.headers['x-mizan-timestamp']), msg.body, String(msg.headers['x-mizan-signature']))).toBe(true);
    // A different secret or a changed body does not verify.
    expect(signatureValid('another-secret-that-is-long-enough-000', msg)).toBe(false);
    expect(signatureValid(secret, { ...msg, body: msg.body.replace('ALG-W1', 'ALG-W9') })).toBe(false);
    const d = await until('the delivered row', async () => (await deliveries('PAK')).find((x) => x.notification_id === JSON.parse(msg.body).id && x.status === 'delivered'));
    expect(d).toMatchObject({ attempts: 1, last_status: 204, last_error: null });
  });

  it('writes "reply due in 24 h" once, when the deadline is checked, and delivers it once', async () => {
    const r = receivers[0]!;
    const filed = (await post('/api/v1/allegations', allegation('ALG-W2'), who.afg1)).json();
    now = new Date(Date.parse(filed.reply_deadline) - 23 * 3_600_000);
    expect((await get('/api/v1/allegations/ALG-W2', who.pak1)).json().state).toBe('awaiting_reply');
    expect((await get('/api/v1/allegations/ALG-W2', who.pak1)).json().reminded).toBe(true);
    await until('the reminder', async () => r.got.find((g) => JSON.parse(g.body).kind === 'reply_due_soon' && JSON.parse(g.body).subject === 'ALG-W2'));
    await webhooksSettled(t.app);
    const inbox = (await get('/api/v1/inbox', who.pak1)).json().items.filter((n: { kind: string; subject: string }) => n.kind === 'reply_due_soon' && n.subject === 'ALG-W2');
    expect(inbox).toHaveLength(1);
    expect(r.got.filter((g) => JSON.parse(g.body).kind === 'reply_due_soon' && JSON.parse(g.body).subject === 'ALG-W2')).toHaveLength(1);
  });

  it('retries a failing endpoint with backoff, gives up after the last retry, and never fails the write', async () => {
    const failing = await receiver(500);
    receivers.push(failing);
    expect((await post('/api/v1/parties/AFG/webhook', { url: failing.url }, who.afg1)).statusCode).toBe(200);
    // A finding notifies both parties: PAK's endpoint works, AFG's does not.
    expect((await post('/api/v1/allegations/ALG-W1/reply', { kind: 'deny', text: 'Not us.' }, who.pak1)).statusCode).toBe(201);
    const finding = await post('/api/v1/allegations/ALG-W1/finding', { outcome: 'inconclusive', reasoning: 'No access.' }, who.mediator1);
    expect(finding.statusCode, finding.body).toBe(201);
    const failed = await until('AFG to give up', async () => (await deliveries('AFG')).find((d) => d.status === 'failed'));
    // One attempt plus one retry per backoff entry.
    expect(failed).toMatchObject({ attempts: 3, last_status: 500, last_error: 'HTTP 500' });
    expect(failing.got.filter((g) => JSON.parse(g.body).id === failed.notification_id)).toHaveLength(3);
    await until('PAK to get the finding', async () => (await deliveries('PAK')).find((d) => d.status === 'delivered' && receivers[0]!.got.some((g) => JSON.parse(g.body).id === d.notification_id && JSON.parse(g.body).kind === 'finding_issued')));
    // The admin sees the failure per party; a delegate of the other party does not.
    expect((await get('/api/v1/parties/AFG/webhook', who.admin1)).json().deliveries.failed).toBeGreaterThanOrEqual(1);
    expect((await get('/api/v1/parties/AFG/webhook/deliveries?status=failed', who.pak1)).statusCode).toBe(403);
  });

  it('gives up on an endpoint that never answers or cannot be reached, with the reason', async () => {
    const hanging = await receiver(0);
    receivers.push(hanging);
    expect((await post('/api/v1/parties/AFG/webhook', { url: hanging.url }, who.admin1)).statusCode).toBe(200);
    expect((await post('/api/v1/allegations', { ...allegation('ALG-W3'), by: 'PAK', against: 'AFG' }, who.pak1)).statusCode).toBe(201);
    const timedOut = await until('the timeout', async () => (await deliveries('AFG')).find((d) => d.status === 'failed' && d.last_error?.includes('no answer within 300 ms')));
    expect(timedOut.last_status).toBeNull();

    const gone = await receiver(200);
    await gone.close();
    expect((await post('/api/v1/parties/AFG/webhook', { url: gone.url }, who.admin1)).statusCode).toBe(200);
    expect((await post('/api/v1/allegations', { ...allegation('ALG-W4'), by: 'PAK', against: 'AFG' }, who.pak1)).statusCode).toBe(201);
    await until('the refused connection', async () => (await deliveries('AFG')).find((d) => d.status === 'failed' && d.last_error?.includes('ECONNREFUSED')));
  });

  it('refuses webhooks into private or reserved networks: at set time for addresses, at delivery for names', async () => {
    for (const url of ['https://10.0.0.5/hook', 'https://169.254.169.254/latest/meta-data/', 'https://[fd00::1]/hook', 'https://[::ffff:192.168.1.1]/hook']) {
      const r = await post('/api/v1/parties/AFG/webhook', { url }, who.admin1);
      expect(r.statusCode, url).toBe(400);
      expect(r.json().error.fields[0].message).toMatch(/private or reserved network/);
    }
    // A public-looking name that resolves inside the network is refused when a delivery is due; nothing is sent.
    configureWebhooks(t.app, { resolve: async (host) => (host === 'hooks.example.org' ? ['203.0.113.9', '10.1.2.3'] : []) });
    try {
      expect((await post('/api/v1/parties/AFG/webhook', { url: 'https://hooks.example.org/mizan' }, who.admin1)).statusCode).toBe(200);
      expect((await post('/api/v1/allegations', { ...allegation('ALG-W10'), by: 'PAK', against: 'AFG' }, who.pak1)).statusCode).toBe(201);
      const refused = await until('the refusal', async () => (await deliveries('AFG')).find((d) => d.status === 'failed' && d.last_error?.includes('hooks.example.org')));
      expect(refused.last_error).toMatch(/private, loopback or reserved address \(203\.0\.113\.9\)/);
      expect(refused.last_status).toBeNull();
    } finally {
      configureWebhooks(t.app, { resolve: async () => [] });
    }
  });

  it('sends each notification once when two processes deliver from the same outbox', async () => {
    const r = await receiver(200);
    receivers.push(r);
    expect((await post('/api/v1/parties/PAK/webhook', { url: r.url, secret: 'shared-secret-long-enough-for-the-rule-01' }, who.admin1)).statusCode).toBe(200);
    // A second process on the same store, as a CLI command beside the server.
    const other = await openApp({ dataDir: t.dataDir, databaseUrl: t.databaseUrl, places: false, clock: () => now });
    try {
      const ids = ['ALG-W6', 'ALG-W7', 'ALG-W8', 'ALG-W9'];
      for (const id of ids) {
        expect((await post('/api/v1/allegations', allegation(id), who.afg1)).statusCode).toBe(201);
        kickWebhooks(other);
      }
      await until('all four', async () => ids.every((id) => r.got.some((g) => JSON.parse(g.body).subject === id)));
      await Promise.all([webhooksSettled(t.app), webhooksSettled(other)]);
      const byId = new Map<string, number>();
      for (const g of r.got) byId.set(JSON.parse(g.body).id, (byId.get(JSON.parse(g.body).id) ?? 0) + 1);
      expect([...byId.values()].every((n) => n === 1)).toBe(true);
    } finally {
      await stopWebhooks(other);
      await other.close();
    }
  });

  it('stops delivering once the webhook is cleared', async () => {
    expect((await server.inject({ method: 'DELETE', url: '/api/v1/parties/PAK/webhook', headers: auth(who.pak1) })).json()).toEqual({ party: 'PAK', cleared: true });
    expect((await get('/api/v1/parties/PAK/webhook', who.admin1)).statusCode).toBe(404);
    const before = receivers.reduce((n, x) => n + x.got.length, 0);
    expect((await post('/api/v1/allegations', allegation('ALG-W5'), who.afg1)).statusCode).toBe(201);
    await webhooksSettled(t.app);
    expect(receivers.reduce((n, x) => n + x.got.length, 0)).toBe(before);
  });
});
