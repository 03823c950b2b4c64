import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sessionPrincipal, tokenPrincipal } from '../app/accounts.js';
import type { Mizan } from '../app/mizan.js';
import { MizanError } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import { ANONYMOUS } from '../domain/principal.js';

export const SESSION_COOKIE = 'mizan_session';

export function readCookie(req: FastifyRequest, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

export function sessionCookie(token: string, secure: boolean, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Bearer tokens first (API and CLI), then the session cookie. A cookie-authenticated write must
 * echo the session's CSRF token: SameSite=Strict alone does not cover every browser and subdomain.
 */
export function authenticator(app: Mizan) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<Principal> => {
    const auth = req.headers.authorization;
    if (auth !== undefined) {
      const m = /^Bearer\s+(\S+)$/i.exec(auth);
      const p = m ? await tokenPrincipal(app, m[1]!) : null;
      if (!p) throw new MizanError('UNAUTHENTICATED', 'the API token is unknown, revoked or malformed');
      return p;
    }
    const cookie = readCookie(req, SESSION_COOKIE);
    if (!cookie) return ANONYMOUS;
    const s = await sessionPrincipal(app, cookie);
    if (!s) return endedSession(req, reply);
    if (!SAFE_METHODS.has(req.method) && !isLoginRoute(req)) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !sameSecret(sent, s.csrf)) throw new MizanError('CSRF_FAILED', 'missing or wrong X-CSRF-Token header for a cookie-authenticated write');
    }
    return s.principal;
  };
}

/**
 * The browser still sends a cookie whose session has expired, was signed out elsewhere or was
 * revoked. Reads go on as anonymous (public records stay readable), but the cookie is cleared and a
 * write is refused with its own code: a form sent after an idle lunch break should say "sign in
 * again", not "this route needs an account".
 */
function endedSession(req: FastifyRequest, reply: FastifyReply): Principal {
  // Signing in sets the new cookie itself; clearing the old one in the same answer would race it.
  if (isLoginRoute(req)) return ANONYMOUS;
  void reply.header('set-cookie', clearedSessionCookie());
  if (!SAFE_METHODS.has(req.method)) throw new MizanError('SESSION_ENDED', 'your session has ended (it expired or was signed out): sign in again; nothing was saved');
  return ANONYMOUS;
}

/** The request carried a session cookie, whether or not its session still exists. */
export function sentSessionCookie(req: FastifyRequest): boolean {
  return Boolean(readCookie(req, SESSION_COOKIE));
}

function isLoginRoute(req: FastifyRequest): boolean {
  return req.method === 'POST' && req.routeOptions.url === '/api/v1/session';
}

/** Compares a presented secret without leaking, through timing, how much of it matched. */
function sameSecret(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
