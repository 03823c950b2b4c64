import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/server/security.js';
import type { TestApp } from '../support/app.js';
import { makeCallers, makeServer, makeTestApp } from '../support/app.js';

describe('security', () => {
  let t: TestApp;
  let server: FastifyInstance;

  beforeAll(async () => {
    t = await makeTestApp('sqlite');
    await makeCallers(t.app);
    server = await makeServer(t.app);
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  it('sends a strict CSP and the usual hardening headers on every response', async () => {
    for (const url of ['/api/v1/health', '/api/v1/nope', '/log/checkpoint', '/']) {
      const r = await server.inject({ method: 'GET', url });
      expect(r.headers['content-security-policy'], url).toContain("script-src 'self'");
      expect(r.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(r.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('slows password guessing: the 11th wrong try in a minute is refused with 429', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await server.inject({ method: 'POST', url: '/api/v1/session', payload: { name: 'pak1', password: `wrong-${i}` }, remoteAddress: '10.9.9.9' });
      codes.push(r.statusCode);
    }
    expect(codes.slice(0, 10).every((c) => c === 401)).toBe(true);
    expect(codes[10]).toBe(429);
  });

  it('never leaks a stack trace and refuses oversized bodies', async () => {
    const big = await server.inject({ method: 'POST', url: '/api/v1/incidents', payload: { pad: 'x'.repeat(3 * 1024 * 1024) }, headers: { 'content-type': 'application/json' } });
    expect([401, 400, 413]).toContain(big.statusCode);
    expect(big.body).not.toMatch(/at .*\.js:\d+/);
  });

  it('rate limiter windows reset', () => {
    let now = 0;
    const rl = new RateLimiter(2, 1000, () => now);
    rl.take('a');
    rl.take('a');
    expect(() => rl.take('a')).toThrow(/too many/);
    now = 1001;
    expect(() => rl.take('a')).not.toThrow();
  });
});
