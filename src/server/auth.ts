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
  return async (req: FastifyRequest, _reply: FastifyReply): Promise<Principal> => {
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
    if (!s) return ANONYMOUS;
    if (!SAFE_METHODS.has(req.method) && !isLoginRoute(req)) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !sameSecret(sent, s.csrf)) throw new MizanError('CSRF_FAILED', 'missing or wrong X-CSRF-Token header for a cookie-authenticated write');
    }
    return s.principal;
  };
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
