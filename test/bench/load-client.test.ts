import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBenchOptions } from '../../bench/load.js';
import { runLoad } from '../../bench/load/client.js';

describe('the load generator of bench:load', () => {
  let server: http.Server;
  let port: number;
  const seen: string[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push(`${req.method} ${req.url} ${body}`);
        res.statusCode = req.url === '/missing' ? 404 : 200;
        res.end('{"ok":true}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('stops at the request budget, sends what next(n) asks, counts non-2xx by status', async () => {
    seen.length = 0;
    const r = await runLoad({ port, connections: 4, durationMs: 60_000, maxRequests: 40, next: (n) => (n % 4 === 3 ? { method: 'POST', path: '/missing', body: `n=${n}` } : { method: 'GET', path: `/ok/${n}` }) });
    expect(r.requests).toBe(40);
    expect(seen).toHaveLength(40);
    expect(r.non2xx).toEqual({ 404: 10 });
    expect(r.errors).toBe(0);
    expect(seen.filter((s) => s.startsWith('POST /missing n=')).length).toBe(10);
    expect(new Set(seen.filter((s) => s.startsWith('GET')).map((s) => s.split(' ')[1])).size).toBe(30);
    expect(r.p50_ms).toBeLessThanOrEqual(r.p99_ms);
  });

  it('counts transport failures as errors, not as answers', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const dead = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const r = await runLoad({ port: dead, connections: 2, durationMs: 60_000, maxRequests: 6, next: () => ({ method: 'GET', path: '/' }) });
    expect(r).toMatchObject({ requests: 6, errors: 6, non2xx: {} });
  });

  it('options: argv over environment over defaults; bad values are refused', () => {
    expect(loadBenchOptions([], {})).toEqual({ durationS: 5, connections: 10, maxRequests: 200_000, rows: 2000, only: null });
    expect(loadBenchOptions(['--duration', '2', '--only=list,write'], { LOAD_DURATION_S: '9', LOAD_CONNECTIONS: '3' })).toMatchObject({ durationS: 2, connections: 3, only: ['list', 'write'] });
    expect(() => loadBenchOptions(['--connections', 'many'], {})).toThrow(/--connections/);
    expect(() => loadBenchOptions(['--only', 'tiles'], {})).toThrow(/unknown scenario/);
    expect(() => loadBenchOptions(['--speed', '3'], {})).toThrow(/unknown option/);
  });
});
