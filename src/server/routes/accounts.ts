import { z } from 'zod';
import { addUser, createToken, sessionPrincipal, listAudit, listTokens, listUsers, login, LoginBody, logout, logoutEverywhere, NewUser, revokeToken, SESSION_ABSOLUTE_MS } from '../../app/accounts.js';
import { MizanError } from '../../domain/errors.js';
import { clearedSessionCookie, readCookie, SESSION_COOKIE, sessionCookie, sentSessionCookie } from '../auth.js';
import type { RouteDef } from '../route.js';
import { RateLimiter } from '../security.js';
import { IdParams, route } from '../route.js';

const loginPerName = new RateLimiter(10, 60_000);
const loginPerAddress = new RateLimiter(100, 60_000);

const UserOut = z.object({ id: z.string(), name: z.string(), role: z.string(), party: z.string().nullable(), created_at: z.string(), disabled: z.boolean() });
const SessionOut = z.object({ user: UserOut.nullable(), csrf_token: z.string().nullable() });

export const accountRoutes: RouteDef[] = [
  route({
    method: 'POST',
    url: '/api/v1/session',
    summary: 'Sign in with name and password; sets an HTTP-only session cookie and returns the CSRF token',
    tag: 'accounts',
    access: 'public',
    body: LoginBody,
    response: SessionOut,
    handler: async ({ app, body, request, reply }) => {
      // Guessing passwords: 10 tries a minute per address and name, 100 per address.
      const name = typeof (body as { name?: unknown })?.name === 'string' ? (body as { name: string }).name : '';
      loginPerName.take(`${request.ip}|${name}`);
      loginPerAddress.take(request.ip);
      const grant = await login(app, body, readCookie(request, SESSION_COOKIE));
      void reply.header('set-cookie', sessionCookie(grant.sessionToken, request.protocol === 'https', SESSION_ABSOLUTE_MS / 1000));
      return { user: grant.user, csrf_token: grant.csrfToken };
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/session',
    summary: 'Who is signed in (null when nobody); session_ended says the browser sent the cookie of a session that has expired or was signed out',
    tag: 'accounts',
    access: 'public',
    response: z.object({
      user: z.object({ id: z.string(), name: z.string(), role: z.string(), party: z.string().nullable() }).nullable(),
      csrf_token: z.string().nullable(),
      session_ended: z.boolean(),
    }),
    handler: async ({ app, principal, request }) => {
      // A new tab of a signed-in browser gets the session's CSRF token here, not only at sign-in.
      const cookie = readCookie(request, SESSION_COOKIE);
      const session = principal.kind === 'user' && cookie ? await sessionPrincipal(app, cookie) : null;
      return {
        user: principal.kind === 'user' ? { id: principal.userId, name: principal.name, role: principal.role, party: principal.party } : null,
        csrf_token: session?.csrf ?? null,
        session_ended: principal.kind === 'anonymous' && sentSessionCookie(request),
      };
    },
  }),
  route({
    method: 'DELETE',
    url: '/api/v1/session',
    summary: 'Sign out of this session',
    tag: 'accounts',
    access: 'user',
    handler: async ({ app, request, reply }) => {
      const cookie = readCookie(request, SESSION_COOKIE);
      if (cookie) await logout(app, cookie);
      void reply.header('set-cookie', clearedSessionCookie());
      return { ok: true };
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/session/logout-all',
    summary: 'Sign out of every session of this account and revoke its API tokens (after a lost device or a suspected break-in)',
    tag: 'accounts',
    access: 'user',
    response: z.object({ ok: z.literal(true), sessions_ended: z.number().int(), tokens_revoked: z.number().int() }),
    handler: async ({ app, principal, reply }) => {
      if (principal.kind !== 'user') throw new MizanError('UNAUTHENTICATED', 'sign in first');
      const ended = await logoutEverywhere(app, principal);
      void reply.header('set-cookie', clearedSessionCookie());
      return { ok: true as const, ...ended };
    },
  }),
  route({ method: 'GET', url: '/api/v1/users', summary: 'List accounts', tag: 'accounts', access: 'user.manage', response: z.object({ items: z.array(UserOut) }), handler: async ({ app, principal }) => ({ items: await listUsers(app, principal) }) }),
  route({
    method: 'POST',
    url: '/api/v1/users',
    summary: 'Create an account; the response shows a generated password once',
    tag: 'accounts',
    access: 'user.manage',
    body: NewUser,
    response: z.object({ user: UserOut, password: z.string().nullable() }),
    status: 201,
    handler: ({ app, principal, body }) => addUser(app, principal, body),
  }),
  route({
    method: 'POST',
    url: '/api/v1/users/:id/tokens',
    summary: 'Create an API token for a user (by name); shown once',
    tag: 'accounts',
    access: 'user',
    params: IdParams,
    body: z.strictObject({ label: z.string().max(200).optional() }).optional(),
    response: z.object({ id: z.string(), token: z.string() }),
    status: 201,
    handler: ({ app, principal, params, body }) => createToken(app, principal, params.id, (body as { label?: string } | undefined)?.label),
  }),
  route({
    method: 'GET',
    url: '/api/v1/users/:id/tokens',
    summary: "A user's API tokens (by name), newest first: id, label, created_at, revoked_at — never the token; the user or an admin",
    tag: 'accounts',
    access: 'user',
    params: IdParams,
    response: z.object({ items: z.array(z.object({ id: z.string(), label: z.string().nullable(), created_at: z.string(), revoked_at: z.string().nullable() })) }),
    handler: async ({ app, principal, params }) => ({ items: await listTokens(app, principal, params.id) }),
  }),
  route({
    method: 'DELETE',
    url: '/api/v1/tokens/:id',
    summary: 'Revoke an API token (again: no change, the first revocation time stands)',
    tag: 'accounts',
    access: 'user',
    params: IdParams,
    response: z.object({ ok: z.literal(true), revoked_at: z.string() }),
    handler: async ({ app, principal, params }) => ({ ok: true as const, ...(await revokeToken(app, principal, params.id)) }),
  }),
  route({
    method: 'GET',
    url: '/api/v1/audit',
    summary: 'Who read or exported mediator-only data, newest first',
    tag: 'accounts',
    access: 'audit.read',
    query: z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
    response: z.object({ items: z.array(z.record(z.string(), z.unknown())) }),
    handler: async ({ app, principal, query }) => ({ items: await listAudit(app, principal, query.limit) }),
  }),
];
