import { Readable } from 'node:stream';
import { z } from 'zod';
import { addEvidence, readEvidence } from '../../app/evidence.js';
import { clearWebhook, DeliveryQuery, listDeliveries, setWebhook, showWebhook, WebhookInput } from '../../app/webhooks.js';
import { contentDisposition, MAX_EVIDENCE_BYTES, Sha256Hex } from '../../domain/evidence.js';
import { MizanError } from '../../domain/errors.js';
import type { RouteDef } from '../route.js';
import { IdParams, route } from '../route.js';

const Doc = z.record(z.string(), z.unknown());
const UploadQuery = z.strictObject({ filename: z.string().min(1).max(1000).optional() });
const DigestParams = z.strictObject({ sha256: Sha256Hex });

/** The uploader's file name: `?filename=` or the `X-Filename` header (percent-encoded UTF-8 allowed). */
function filenameOf(query: string | undefined, header: unknown): string | undefined {
  if (query !== undefined) return query;
  if (typeof header !== 'string' || header === '') return undefined;
  try {
    return decodeURIComponent(header);
  } catch {
    throw new MizanError('VALIDATION_FAILED', 'the X-Filename header is not valid percent-encoded UTF-8', [{ path: ['headers', 'x-filename'], code: 'invalid_string', message: 'is not valid percent-encoding' }]);
  }
}

export const evidenceRoutes: RouteDef[] = [
  route({
    method: 'POST',
    url: '/api/v1/evidence',
    summary: 'Upload an evidence file (raw body, any content type, at most 25 MiB; name in ?filename= or X-Filename); stored under its SHA-256, cited as sha256:<hex>',
    tag: 'allegations',
    access: 'evidence.upload',
    query: UploadQuery,
    rawBody: { limit: MAX_EVIDENCE_BYTES },
    response: Doc,
    status: 201,
    handler: async ({ app, principal, query, body, request, reply }) => {
      // No body at all (no parser ran) is an empty file, refused by addEvidence.
      const file = body instanceof Readable ? body : Buffer.alloc(0);
      const r = await addEvidence(app, principal, file, { mediaType: request.headers['content-type'], filename: filenameOf(query.filename, request.headers['x-filename']) });
      // The same bytes again: nothing new was written.
      if (!r.created) void reply.status(200).send(r);
      return r;
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/evidence/:sha256',
    summary: 'Download an evidence file, byte for byte as uploaded (delegates, mediators, admins); always as an attachment',
    tag: 'allegations',
    access: 'evidence.read',
    params: DigestParams,
    binaryResponse: true,
    handler: async ({ app, principal, params, reply }) => {
      const { record, bytes } = await readEvidence(app, principal, params.sha256);
      await reply
        .header('content-type', record.media_type)
        .header('content-disposition', contentDisposition(record.filename, record.sha256))
        .header('x-content-type-options', 'nosniff')
        .header('etag', `"${record.sha256}"`)
        .header('cache-control', 'private, max-age=31536000, immutable')
        .header('x-mizan-log-index', String(record.log_index))
        .send(bytes);
      return reply;
    },
  }),
  route({ method: 'GET', url: '/api/v1/parties/:id/webhook', summary: "A party's webhook: URL, who set it and delivery counts (never the secret)", tag: 'webhooks', access: 'party.webhook.manage', params: IdParams, response: Doc, handler: ({ app, principal, params }) => showWebhook(app, principal, params.id) }),
  route({
    method: 'POST',
    url: '/api/v1/parties/:id/webhook',
    summary: "Set or replace a party's webhook (admin or the party's delegate); the answer shows the HMAC secret this once",
    tag: 'webhooks',
    access: 'party.webhook.manage',
    params: IdParams,
    body: WebhookInput,
    response: Doc,
    handler: ({ app, principal, params, body }) => setWebhook(app, principal, params.id, body),
  }),
  route({ method: 'DELETE', url: '/api/v1/parties/:id/webhook', summary: "Remove a party's webhook", tag: 'webhooks', access: 'party.webhook.manage', params: IdParams, response: Doc, handler: ({ app, principal, params }) => clearWebhook(app, principal, params.id) }),
  route({
    method: 'GET',
    url: '/api/v1/parties/:id/webhook/deliveries',
    summary: "Recent webhook deliveries to a party and their outcome (status, attempts, last HTTP status or error)",
    tag: 'webhooks',
    access: 'party.webhook.manage',
    params: IdParams,
    query: DeliveryQuery,
    response: z.object({ items: z.array(Doc) }),
    handler: async ({ app, principal, params, query }) => ({ items: await listDeliveries(app, principal, params.id, query) }),
  }),
];
