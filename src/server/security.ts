import type { FastifyInstance } from 'fastify';
import { MizanError } from '../domain/errors.js';

/**
 * Security headers on every response. The web app is same-origin and loads nothing from
 * elsewhere, so the policy can be strict; MapLibre runs its workers from blob: URLs.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "child-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function securityHeaders(f: FastifyInstance): void {
  f.addHook('onSend', async (_req, reply, payload) => {
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('cross-origin-resource-policy', 'same-origin');
    reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(self)');
    return payload;
  });
}

/**
 * A fixed-window counter per key (IP, IP+name, sender): enough for one process; a multi-process
 * deployment puts its proxy's limiter in front as well.
 */
export class RateLimiter {
  private readonly hits = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Count one attempt; throws RATE_LIMITED once the key is over its limit. */
  take(key: string): void {
    const t = this.now();
    let h = this.hits.get(key);
    if (!h || h.resetAt <= t) {
      h = { count: 0, resetAt: t + this.windowMs };
      this.hits.set(key, h);
      if (this.hits.size > 100_000) this.sweep(t);
    }
    h.count++;
    if (h.count > this.limit) throw new MizanError('RATE_LIMITED', `too many attempts; try again in ${Math.ceil((h.resetAt - t) / 1000)} s`);
  }

  private sweep(t: number): void {
    for (const [k, v] of this.hits) if (v.resetAt <= t) this.hits.delete(k);
  }
}
