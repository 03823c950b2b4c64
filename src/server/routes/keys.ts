import { z } from 'zod';
import { acceptCosignature, CosignatureInput, KeyInput, listKeys, registerKey, revokeKey } from '../../app/keys.js';
import { openLogEntry, OpeningOut } from '../../app/openings.js';
import { SubmissionBody, submitSigned } from '../../app/submissions.js';
import type { RouteDef } from '../route.js';
import { IdParams, route } from '../route.js';

const KeyOut = z.object({ key: z.string(), party: z.string(), vkey: z.string(), purpose: z.string(), registered_at: z.string(), revoked_at: z.string().nullable(), log_index: z.number() });

export const keyRoutes: RouteDef[] = [
  route({ method: 'GET', url: '/api/v1/parties/:id/keys', summary: "A party's registered signing and witness keys, with revocations", tag: 'log', access: 'public', params: IdParams, response: z.object({ items: z.array(KeyOut) }), handler: async ({ app, params }) => ({ items: await listKeys(app, params.id) }) }),
  route({ method: 'POST', url: '/api/v1/parties/:id/keys', summary: "Register a party's verifier key (admin); a logged statement", tag: 'log', access: 'party.key.manage', params: IdParams, body: KeyInput, response: KeyOut, status: 201, handler: ({ app, principal, params, body }) => registerKey(app, principal, params.id, body) }),
  route({
    method: 'POST',
    url: '/api/v1/parties/:id/keys/:key/revoke',
    summary: 'Revoke a key (admin); signatures made before stay valid',
    tag: 'log',
    access: 'party.key.manage',
    params: z.strictObject({ id: z.string().min(1).max(128), key: z.string().min(1).max(300) }),
    handler: async ({ app, principal, params }) => {
      await revokeKey(app, principal, params.id, params.key);
      return { ok: true };
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/submissions',
    summary: "A statement signed with the delegation's own registered key (see `mizan submit`); logged as signed",
    tag: 'log',
    access: 'user',
    body: SubmissionBody,
    response: z.record(z.string(), z.unknown()),
    status: 201,
    handler: async ({ app, principal, body }) => (await submitSigned(app, principal, body)) as Record<string, unknown>,
  }),
  route({
    method: 'GET',
    url: '/api/v1/log/openings/:index',
    summary: "Open a non-public entry's commitment: the committed record and its salt, for a reader whose scope includes it (reads of mediator-only entries are audited)",
    tag: 'log',
    access: 'user',
    params: z.strictObject({ index: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER) }),
    response: OpeningOut,
    handler: ({ app, principal, params }) => openLogEntry(app, principal, params.index),
  }),
  route({
    method: 'POST',
    url: '/log/cosignatures',
    summary: "A witness's C2SP tlog-cosignature line for a checkpoint this log signed (self-authenticating)",
    tag: 'log',
    access: 'public',
    body: CosignatureInput,
    response: z.object({ size: z.number(), witness: z.string() }),
    status: 201,
    handler: ({ app, body }) => acceptCosignature(app, body),
  }),
];
