import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { z } from 'zod';
import { notFound } from '../domain/errors.js';
import { authorize } from '../domain/policy.js';
import type { Principal } from '../domain/principal.js';
import { parseOrThrow } from '../domain/validation.js';
import { recordAudit } from './accounts.js';
import type { Resolver } from './egress.js';
import { egressRefusal, ipLiteral, isPublicAddress, namesLoopback } from './egress.js';
import type { Mizan } from './mizan.js';
import { seal, secretsKeyOf, unseal } from './secret-box.js';

/**
 * Party webhooks: each notification written for a party (allegation filed against it, reply due
 * in 24 h, reply overdue, finding issued…) is POSTed to the party's webhook after the write has
 * committed. The `notifications` table is the outbox and `webhook_deliveries` records each
 * delivery's outcome, so a failing endpoint never blocks or fails a write and an admin can see why.
 */

/** An operator whose receivers live on an internal network turns the private-address check off. */
const ALLOW_PRIVATE = process.env.MIZAN_WEBHOOK_ALLOW_PRIVATE === '1';

/** https, or plain http to this machine (a local relay or a test receiver); never credentials in the URL. */
const WebhookUrl = z
  .string()
  .max(2000)
  .refine((s) => URL.canParse(s), 'must be an absolute URL')
  .refine((s) => {
    if (!URL.canParse(s)) return true;
    const u = new URL(s);
    return u.protocol === 'https:' || (u.protocol === 'http:' && namesLoopback(u.hostname));
  }, 'must be https:// (plain http:// only to localhost)')
  .refine((s) => {
    if (!URL.canParse(s) || ALLOW_PRIVATE) return true;
    const host = new URL(s).hostname;
    const ip = ipLiteral(host);
    return ip === null || namesLoopback(host) || isPublicAddress(ip);
  }, 'must not point into a private or reserved network (set MIZAN_WEBHOOK_ALLOW_PRIVATE=1 for an internal receiver)')
  .refine((s) => !URL.canParse(s) || (new URL(s).username === '' && new URL(s).password === ''), 'must not carry a user name or password');

export const WebhookInput = z.strictObject({
  url: WebhookUrl,
  /** Omit to have one generated; it is shown once, in the answer to this request. */
  secret: z.string().min(32, 'must be at least 32 characters').max(256).optional(),
});

export const DeliveryQuery = z.strictObject({
  status: z.enum(['pending', 'delivered', 'failed', 'cancelled']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export interface WebhookView {
  party: string;
  url: string;
  set_by: string;
  set_at: string;
  /** Deliveries by status, so a glance shows whether the endpoint works. */
  deliveries: Record<string, number>;
}

export interface WebhookSettings {
  /** How long one attempt may take. */
  readonly timeoutMs: number;
  /** Wait before each retry; the number of entries is the number of retries. */
  readonly backoffMs: readonly number[];
  readonly logger: Logger;
  /** Resolves a host name to its addresses; each must be public unless `allowPrivate` (see egress.ts). */
  readonly resolve: Resolver;
  readonly allowPrivate: boolean;
}

let defaultLogger: Logger | null = null;

/** Failures go to stderr as JSON lines; created on first use so commands that never deliver open nothing. */
function stderrLogger(): Logger {
  defaultLogger ??= pino({ name: 'mizan-webhooks', level: process.env.VITEST !== undefined ? 'silent' : (process.env.MIZAN_LOG_LEVEL ?? 'info') }, pino.destination(2));
  return defaultLogger;
}

const DEFAULT_SETTINGS = {
  timeoutMs: 5_000,
  backoffMs: [10_000, 60_000, 300_000, 1_800_000, 7_200_000],
  resolve: async (host: string) => (await lookup(host, { all: true })).map((a) => a.address),
  allowPrivate: ALLOW_PRIVATE,
  get logger(): Logger {
    return stderrLogger();
  },
} satisfies WebhookSettings;

interface DispatchState {
  settings: WebhookSettings;
  running: Promise<void> | null;
  again: boolean;
  timer: NodeJS.Timeout | null;
  stopped: boolean;
}

const states = new WeakMap<Mizan, DispatchState>();

function stateOf(app: Mizan): DispatchState {
  let s = states.get(app);
  if (!s) {
    states.set(app, (s = { settings: DEFAULT_SETTINGS, running: null, again: false, timer: null, stopped: false }));
    // A delivery pass still running when the app closes would find the store gone.
    app.onClose(() => stopWebhooks(app));
  }
  return s;
}

/** Change timeouts and backoff for one application (tests; an operator's config). */
export function configureWebhooks(app: Mizan, settings: Partial<WebhookSettings>): void {
  const s = stateOf(app);
  s.settings = { ...s.settings, ...settings };
}

/** The signature a receiver recomputes: hex HMAC-SHA256 over `<timestamp>.<body>` with the party's secret. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** For receivers written in TypeScript: constant-time check of `X-Mizan-Signature`. */
export function verifyWebhookSignature(secret: string, timestamp: string, body: string, header: string): boolean {
  const expected = Buffer.from(`sha256=${signWebhook(secret, timestamp, body)}`);
  const got = Buffer.from(header);
  return got.length === expected.length && timingSafeEqual(got, expected);
}

async function requireParty(app: Mizan, party: string): Promise<void> {
  const row = await app.store.db.selectFrom('parties').select('id').where('id', '=', party).executeTakeFirst();
  if (!row) throw notFound('party', party);
}

const actorOf = (p: Principal): string => (p.kind === 'user' ? p.name : p.kind);

/** Binds a sealed secret to its party's row: copied to another party's row, it does not open. */
const secretContext = (party: string) => `the webhook of party ${party}`;

/**
 * Set (or replace) a party's webhook. Only notifications written from now on are delivered to it,
 * so pointing a webhook somewhere never replays the party's whole history there.
 */
export async function setWebhook(app: Mizan, p: Principal, party: string, body: unknown): Promise<WebhookView & { secret: string }> {
  const input = parseOrThrow(WebhookInput, body, 'the webhook');
  authorize(p, 'party.webhook.manage', { by: party });
  await requireParty(app, party);
  const secret = input.secret ?? randomBytes(32).toString('hex');
  const row = { party, url: input.url, secret: seal(secretsKeyOf(app), secret, secretContext(party)), set_by: actorOf(p), set_at: app.clock().toISOString() };
  await app.store.db
    .insertInto('party_webhooks')
    .values(row)
    .onConflict((oc) => oc.column('party').doUpdateSet({ url: row.url, secret: row.secret, set_by: row.set_by, set_at: row.set_at }))
    .execute();
  await recordAudit(app, p, 'set webhook', party);
  return { ...(await viewOf(app, party))!, secret };
}

async function viewOf(app: Mizan, party: string): Promise<WebhookView | null> {
  const row = await app.store.db.selectFrom('party_webhooks').select(['party', 'url', 'set_by', 'set_at']).where('party', '=', party).executeTakeFirst();
  if (!row) return null;
  const counts = await app.store.db.selectFrom('webhook_deliveries').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).where('party', '=', party).groupBy('status').execute();
  return { ...row, deliveries: Object.fromEntries(counts.map((c) => [c.status, Number(c.n)])) };
}

/** The webhook without its secret. */
export async function showWebhook(app: Mizan, p: Principal, party: string): Promise<WebhookView> {
  authorize(p, 'party.webhook.manage', { by: party });
  const view = await viewOf(app, party);
  if (!view) throw notFound('webhook of party', party);
  return view;
}

/** Remove the webhook; deliveries still pending are cancelled on their next attempt. */
export async function clearWebhook(app: Mizan, p: Principal, party: string): Promise<{ party: string; cleared: boolean }> {
  authorize(p, 'party.webhook.manage', { by: party });
  const r = await app.store.db.deleteFrom('party_webhooks').where('party', '=', party).executeTakeFirst();
  await recordAudit(app, p, 'clear webhook', party);
  return { party, cleared: Number(r.numDeletedRows) > 0 };
}

export async function listDeliveries(app: Mizan, p: Principal, party: string, q: z.infer<typeof DeliveryQuery>) {
  authorize(p, 'party.webhook.manage', { by: party });
  let query = app.store.db.selectFrom('webhook_deliveries').selectAll().where('party', '=', party);
  if (q.status) query = query.where('status', '=', q.status);
  const rows = await query.orderBy('created_at', 'desc').orderBy('notification_id').limit(q.limit).execute();
  return rows.map((r) => ({ ...r, attempts: Number(r.attempts), last_status: r.last_status === null ? null : Number(r.last_status) }));
}

/**
 * Start delivering what is due, without waiting for it: called after a write has committed, so
 * neither a slow endpoint nor a database error here can touch the write. Calls while a pass is
 * running fold into one more pass.
 */
export function kickWebhooks(app: Mizan): void {
  const s = stateOf(app);
  if (s.stopped) return;
  if (s.running) {
    s.again = true;
    return;
  }
  s.running = (async () => {
    try {
      do {
        s.again = false;
        await deliverDue(app);
      } while (s.again && !s.stopped);
      await scheduleNextRetry(app, s);
    } catch (e) {
      s.settings.logger.error({ err: e }, 'webhook dispatch failed');
    } finally {
      s.running = null;
    }
  })();
}

/** Resolves when the current delivery pass (if any) has finished. */
export async function webhooksSettled(app: Mizan): Promise<void> {
  const s = stateOf(app);
  while (s.running) await s.running;
}

/** Stop timers before the application closes. */
export async function stopWebhooks(app: Mizan): Promise<void> {
  const s = stateOf(app);
  s.stopped = true;
  if (s.timer) clearTimeout(s.timer);
  s.timer = null;
  await webhooksSettled(app);
}

async function scheduleNextRetry(app: Mizan, s: DispatchState): Promise<void> {
  if (s.timer) clearTimeout(s.timer);
  s.timer = null;
  if (s.stopped) return;
  const next = await app.store.db.selectFrom('webhook_deliveries').select('next_attempt_at').where('status', '=', 'pending').orderBy('next_attempt_at').limit(1).executeTakeFirst();
  if (!next?.next_attempt_at) return;
  const wait = Math.max(0, Date.parse(next.next_attempt_at) - Date.now());
  // unref: a CLI command must not stay alive for a retry; the server picks it up on its own timer.
  s.timer = setTimeout(() => {
    s.timer = null;
    kickWebhooks(app);
  }, wait);
  s.timer.unref();
}

/** Queue new notifications of parties with a webhook, then attempt every delivery that is due. */
async function deliverDue(app: Mizan): Promise<void> {
  const db = app.store.db;
  const now = new Date().toISOString();
  const fresh = await db
    .selectFrom('notifications as n')
    .innerJoin('party_webhooks as h', 'h.party', 'n.party')
    .leftJoin('webhook_deliveries as d', 'd.notification_id', 'n.id')
    .select(['n.id', 'h.party', 'h.url'])
    .where('d.notification_id', 'is', null)
    .whereRef('n.at', '>=', 'h.set_at')
    .orderBy('n.at')
    .limit(1000)
    .execute();
  for (const n of fresh) {
    await db
      .insertInto('webhook_deliveries')
      .values({ notification_id: n.id, party: n.party, url: n.url, status: 'pending', attempts: 0, last_status: null, last_error: null, next_attempt_at: now, created_at: now, delivered_at: null })
      .onConflict((oc) => oc.column('notification_id').doNothing())
      .execute();
  }
  const due = await db.selectFrom('webhook_deliveries').selectAll().where('status', '=', 'pending').where('next_attempt_at', '<=', now).orderBy('created_at').limit(200).execute();
  // One endpoint at a time per party keeps the party's order; parties do not wait for each other.
  const byParty = new Map<string, typeof due>();
  for (const d of due) byParty.set(d.party, [...(byParty.get(d.party) ?? []), d]);
  await Promise.all([...byParty.values()].map(async (list) => {
    // Settings are read per attempt: a change (an operator's, or a test's) applies to the next request.
    for (const d of list) await attemptDelivery(app, stateOf(app).settings, d.notification_id, Number(d.attempts));
  }));
}

/** Why an attempt failed, in words an operator can act on. */
function describeFailure(e: unknown, timeoutMs: number): string {
  const err = e as { name?: string; cause?: { code?: string; message?: string }; message?: string };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  // fetch reports "fetch failed" and keeps the reason (ECONNREFUSED, a DNS error, "bad port") in `cause`.
  const cause = err?.cause;
  if (cause?.code) return `${cause.code}${cause.message ? `: ${cause.message}` : ''}`.slice(0, 500);
  if (cause?.message) return `${err.message ?? 'failed'}: ${cause.message}`.slice(0, 500);
  return (err?.message ?? String(e)).slice(0, 500);
}

/** One signed POST; the outcome as an HTTP status and, unless it was a 2xx, why it failed. */
async function postSigned(hook: { url: string; secret: string }, id: string, kind: string, body: string, timeoutMs: number): Promise<{ status: number | null; error: string | null }> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  try {
    const res = await fetch(hook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Mizan-Webhook/1',
        'x-mizan-timestamp': timestamp,
        'x-mizan-signature': `sha256=${signWebhook(hook.secret, timestamp, body)}`,
        'x-mizan-delivery': id,
        'x-mizan-event': kind,
      },
      body,
      // A signed notification is never forwarded to wherever a redirect points.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const status = res.status;
    await res.body?.cancel().catch(() => undefined);
    if (status >= 200 && status < 300) return { status, error: null };
    return { status, error: status >= 300 && status < 400 ? `redirect (HTTP ${status}) not followed` : `HTTP ${status}` };
  } catch (e) {
    return { status: null, error: describeFailure(e, timeoutMs) };
  }
}

/** The party's signing secret, or why it cannot be opened: a delivery that cannot be signed is never sent unsigned. */
function openedSecret(app: Mizan, hook: { party: string; secret: string }): { secret: string } | { error: string } {
  try {
    return { secret: unseal(secretsKeyOf(app), hook.secret, secretContext(hook.party)) };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

async function attemptDelivery(app: Mizan, settings: WebhookSettings, notificationId: string, attemptsBefore: number): Promise<void> {
  const db = app.store.db;
  const lease = new Date(Date.now() + settings.timeoutMs * 2 + 1_000).toISOString();
  // Claim the row: another process delivering the same outbox skips it.
  const claimed = await db
    .updateTable('webhook_deliveries')
    .set({ attempts: attemptsBefore + 1, next_attempt_at: lease })
    .where('notification_id', '=', notificationId)
    .where('status', '=', 'pending')
    .where('attempts', '=', attemptsBefore)
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) return;
  const attempt = attemptsBefore + 1;
  const n = await db.selectFrom('notifications').selectAll().where('id', '=', notificationId).executeTakeFirst();
  const hook = n?.party ? await db.selectFrom('party_webhooks').selectAll().where('party', '=', n.party).executeTakeFirst() : undefined;
  if (!n || !hook) {
    await db.updateTable('webhook_deliveries').set({ status: 'cancelled', last_error: 'the webhook was removed', next_attempt_at: null }).where('notification_id', '=', notificationId).execute();
    return;
  }
  const body = JSON.stringify({ id: n.id, party: n.party, kind: n.kind, subject: n.subject, text: n.text, at: n.at });
  const opened = openedSecret(app, hook);
  const refusal = (await egressRefusal(new URL(hook.url), settings.resolve, settings.allowPrivate)) ?? ('error' in opened ? opened.error : null);
  const { status, error } = 'secret' in opened && refusal === null ? await postSigned({ url: hook.url, secret: opened.secret }, n.id, n.kind, body, settings.timeoutMs) : { status: null, error: refusal };
  const at = new Date().toISOString();
  if (error === null) {
    await db.updateTable('webhook_deliveries').set({ status: 'delivered', url: hook.url, last_status: status, last_error: null, next_attempt_at: null, delivered_at: at }).where('notification_id', '=', notificationId).execute();
    return;
  }
  const wait = settings.backoffMs[attempt - 1];
  const giveUp = wait === undefined;
  await db
    .updateTable('webhook_deliveries')
    .set({ status: giveUp ? 'failed' : 'pending', url: hook.url, last_status: status, last_error: error, next_attempt_at: giveUp ? null : new Date(Date.now() + wait).toISOString() })
    .where('notification_id', '=', notificationId)
    .execute();
  const log = { party: hook.party, notification: n.id, url: hook.url, attempt, status, error };
  if (giveUp) settings.logger.error(log, 'webhook delivery failed; giving up');
  else settings.logger.warn({ ...log, retry_in_ms: wait }, 'webhook delivery failed; will retry');
}
