import type { FastifyInstance } from 'fastify';
import type { Mizan } from '../../app/mizan.js';
import { z } from 'zod';
import {
  assessReport,
  broadcastToDistrict,
  pullOutbox,
  checkWebhookSignature,
  decideLink,
  DeliveryStatus,
  eraseMonitorIdentity,
  getReport,
  listLinks,
  listMonitors,
  listOutbox,
  listReports,
  messageMonitor,
  monitorReliability,
  MonitorRegistration,
  normalizePhone,
  publishReport,
  receiveSms,
  registerMonitor,
  revokeMonitor,
  submitWebReport,
  updateDelivery as updateDeliveryStatus,
} from '../../app/monitors.js';
import { MizanError } from '../../domain/errors.js';
import { WebReport } from '../../domain/monitors/web-report.js';
import { parseOrThrow } from '../../domain/validation.js';
import type { RouteDef } from '../route.js';
import { IdParams, route } from '../route.js';

const Doc = z.record(z.string(), z.unknown());
const Items = z.object({ items: z.array(Doc) });

/** The fields SMS gateways post (Twilio-style names); form-encoded or JSON. */
export const InboundSms = z.object({
  From: z.string().min(3).max(40),
  Body: z.string().max(5000),
  MessageId: z.string().min(1).max(100),
});

/**
 * Per-sender rate limit for SMS intake: at most `limit` messages per sender in any `windowMs`
 * (default 20 in 10 minutes), in memory, per application instance: it resets when the server
 * restarts and is not shared between processes. It protects the store and the reply budget from
 * a flooding phone or a leaked gateway secret; senders are counted by normalised number.
 */
export const SMS_RATE_LIMIT = { limit: 20, windowMs: 10 * 60 * 1000 } as const;

interface Limiter {
  limit: number;
  windowMs: number;
  recent: Map<string, number[]>;
}
const limiters = new WeakMap<Mizan, Limiter>();

function limiterOf(app: Mizan): Limiter {
  let l = limiters.get(app);
  if (!l) limiters.set(app, (l = { ...SMS_RATE_LIMIT, recent: new Map() }));
  return l;
}

/** Change the limit for one application (tests; an operator's config later). */
export function configureSmsRateLimit(app: Mizan, opts: { limit: number; windowMs: number }): void {
  limiters.set(app, { ...opts, recent: new Map() });
}

export function rateLimit(app: Mizan, sender: string, now: number): void {
  const l = limiterOf(app);
  const since = now - l.windowMs;
  const list = (l.recent.get(sender) ?? []).filter((t) => t > since);
  if (list.length >= l.limit) {
    l.recent.set(sender, list);
    throw new MizanError('RATE_LIMITED', `at most ${l.limit} messages per sender in ${Math.round(l.windowMs / 60000)} minutes`);
  }
  list.push(now);
  l.recent.set(sender, list);
  // Bound the map: senders are attacker-controlled.
  if (l.recent.size > 50_000) for (const [k, v] of l.recent) if ((v[v.length - 1] ?? 0) <= since) l.recent.delete(k);
}

/** Lets the intake routes accept application/x-www-form-urlencoded, as most SMS gateways post. */
export function smsFormBodyPlugin(f: FastifyInstance): void {
  f.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
}

const header = (h: unknown): string | undefined => (typeof h === 'string' ? h : undefined);

const LinkQuery = z.strictObject({ status: z.enum(['candidate', 'confirmed', 'undone']).optional() });
const OutboxQuery = z.strictObject({ status: z.enum(['queued', 'sent', 'delivered', 'failed']).optional() });
const ReportQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(50) });

export const monitorsRoutes: RouteDef[] = [
  route({ method: 'POST', url: '/api/v1/monitors', summary: 'Register a local monitor (mediators; identity stays mediator-only)', tag: 'monitors', access: 'user', body: MonitorRegistration, response: Doc, status: 201, handler: ({ app, principal, body }) => registerMonitor(app, principal, body) }),
  route({ method: 'GET', url: '/api/v1/monitors', summary: 'List monitors with identities (mediators; audited)', tag: 'monitors', access: 'user', response: Items, handler: ({ app, principal }) => listMonitors(app, principal) }),
  route({ method: 'POST', url: '/api/v1/monitors/:id/revoke', summary: 'Revoke a monitor', tag: 'monitors', access: 'user', params: IdParams, response: Doc, handler: ({ app, principal, params }) => revokeMonitor(app, principal, params.id) }),
  route({ method: 'POST', url: '/api/v1/monitors/:id/erase', summary: "Erase a monitor's identity for good (deletes the salt and the encrypted original)", tag: 'monitors', access: 'user', params: IdParams, response: Doc, handler: ({ app, principal, params }) => eraseMonitorIdentity(app, principal, params.id) }),
  route({ method: 'GET', url: '/api/v1/monitors/:id/reliability', summary: "A monitor's reliability history", tag: 'monitors', access: 'user', params: IdParams, response: Doc, handler: ({ app, principal, params }) => monitorReliability(app, principal, params.id) }),
  route({ method: 'POST', url: '/api/v1/monitors/:id/messages', summary: 'Send a monitor what the mechanism decided (through the outbox)', tag: 'monitors', access: 'user', params: IdParams, response: Doc, status: 201, handler: ({ app, principal, params, body }) => messageMonitor(app, principal, params.id, body) }),
  route({ method: 'POST', url: '/api/v1/monitors/broadcast', summary: "Agreement news or a finding summary to every monitor of a district", tag: 'monitors', access: 'user', response: Doc, status: 201, handler: ({ app, principal, body }) => broadcastToDistrict(app, principal, body) }),
  route({ method: 'GET', url: '/api/v1/outbox', summary: 'Outbound SMS and their delivery status (mediators)', tag: 'monitors', access: 'user', query: OutboxQuery, response: Items, handler: ({ app, principal, query }) => listOutbox(app, principal, query.status) }),
  route({ method: 'GET', url: '/api/v1/reports', summary: 'Reports the caller may see (a monitor: its own)', tag: 'reports', access: 'user', query: ReportQuery, response: Items, handler: ({ app, principal, query }) => listReports(app, principal, query.limit) }),
  route({
    method: 'POST',
    url: '/api/v1/reports',
    summary: 'Submit a report from the web form (idempotent: a re-send with the same idempotency_key from the same monitor returns the first report, 200); evidence files are uploaded first to /api/v1/evidence',
    tag: 'reports',
    access: 'user',
    body: WebReport,
    response: Doc,
    handler: async ({ app, principal, body, reply }) => {
      const r = await submitWebReport(app, principal, body);
      // 201 for a new report, 200 for a re-send of one already stored (the route's status would override).
      if (r.created) return reply.status(201).send(r.report);
      return r.report;
    },
  }),
  route({ method: 'GET', url: '/api/v1/reports/:id', summary: 'One report with its candidate links', tag: 'reports', access: 'user', params: IdParams, response: Doc, handler: ({ app, principal, params }) => getReport(app, principal, params.id) }),
  route({ method: 'POST', url: '/api/v1/reports/:id/publish', summary: "Publish a report as an incident under the mediator's name", tag: 'reports', access: 'user', params: IdParams, response: Doc, handler: ({ app, principal, params, body }) => publishReport(app, principal, params.id, body) }),
  route({ method: 'POST', url: '/api/v1/reports/:id/assessments', summary: 'Record that a report was later corroborated or contradicted', tag: 'reports', access: 'user', params: IdParams, response: Doc, status: 201, handler: ({ app, principal, params, body }) => assessReport(app, principal, params.id, body) }),
  route({ method: 'GET', url: '/api/v1/report-links', summary: 'Candidate report↔incident links', tag: 'reports', access: 'user', query: LinkQuery, response: Items, handler: ({ app, principal, query }) => listLinks(app, principal, query.status) }),
  route({ method: 'POST', url: '/api/v1/report-links/:id/confirm', summary: 'Confirm a candidate link (never a merge)', tag: 'reports', access: 'user', params: IdParams, response: Doc, handler: ({ app, principal, params }) => decideLink(app, principal, params.id, 'confirm') }),
  route({ method: 'POST', url: '/api/v1/report-links/:id/undo', summary: 'Undo a link', tag: 'reports', access: 'user', params: IdParams, response: Doc, handler: ({ app, principal, params }) => decideLink(app, principal, params.id, 'undo') }),
  route({
    method: 'POST',
    url: '/api/v1/intake/sms',
    summary: 'SMS gateway webhook (signed with X-Mizan-Signature); the response body holds the reply SMS',
    tag: 'intake',
    // The gateway has no account: the HMAC signature authenticates it instead.
    access: 'public',
    response: z.object({ reply: z.string(), lang: z.string() }).passthrough(),
    handler: async ({ app, body, request }) => {
      const msg = parseOrThrow(InboundSms, body ?? {}, 'the message');
      checkWebhookSignature(app, header(request.headers['x-mizan-timestamp']), header(request.headers['x-mizan-signature']), msg);
      rateLimit(app, normalizePhone(msg.From), app.clock().getTime());
      return receiveSms(app, { from: msg.From, body: msg.Body, messageId: msg.MessageId });
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/intake/sms/status',
    summary: 'SMS gateway delivery report for an outbound message (signed; From = "", Body = status, MessageId = outbox id)',
    tag: 'intake',
    access: 'public',
    response: Doc,
    handler: async ({ app, body, request }) => {
      const s = parseOrThrow(DeliveryStatus, body ?? {}, 'the delivery status');
      checkWebhookSignature(app, header(request.headers['x-mizan-timestamp']), header(request.headers['x-mizan-signature']), { From: '', Body: s.status, MessageId: s.id });
      return updateDeliveryStatus(app, s);
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/intake/sms/outbox',
    summary: 'The gateway collects queued outbound SMS with their numbers (signed; From = "", Body = "pull", MessageId = a fresh nonce)',
    tag: 'intake',
    access: 'public',
    response: Doc,
    handler: async ({ app, body, request }) => {
      const b = parseOrThrow(z.strictObject({ nonce: z.string().min(8).max(100) }), body ?? {}, 'the request');
      checkWebhookSignature(app, header(request.headers['x-mizan-timestamp']), header(request.headers['x-mizan-signature']), { From: '', Body: 'pull', MessageId: b.nonce });
      return pullOutbox(app, b.nonce);
    },
  }),
];
