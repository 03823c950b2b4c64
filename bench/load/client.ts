// A small closed-loop HTTP load generator (the role autocannon or wrk would play): N keep-alive
// connections, each sending its next request as soon as the previous answer is read, until the
// time or the request budget runs out. Latency is measured per request, from the write of the
// request to the end of the response body.
import http from 'node:http';
import { percentile } from '../stats.js';

export interface LoadRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface LoadOptions {
  readonly port: number;
  readonly connections: number;
  readonly durationMs: number;
  /** Stop after this many requests even if time remains. */
  readonly maxRequests: number;
  /** The n-th request (0-based, across all connections). */
  readonly next: (n: number) => LoadRequest;
}

export interface LoadResult {
  readonly requests: number;
  readonly seconds: number;
  readonly rps: number;
  readonly p50_ms: number;
  readonly p99_ms: number;
  /** Connection failures, resets and timeouts. */
  readonly errors: number;
  /** Answers outside 2xx, by status. */
  readonly non2xx: Readonly<Record<number, number>>;
  readonly bytes: number;
}

/** One request on the shared keep-alive agent; resolves with its status (0 on a transport error). */
function send(agent: http.Agent, port: number, req: LoadRequest): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve) => {
    const headers: Record<string, string | number> = { ...req.headers };
    if (req.body !== undefined) headers['content-length'] = Buffer.byteLength(req.body);
    const r = http.request({ host: '127.0.0.1', port, method: req.method, path: req.path, agent, headers }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
      res.on('error', () => resolve({ status: 0, bytes }));
    });
    r.setTimeout(30_000, () => r.destroy(new Error('timeout')));
    r.on('error', () => resolve({ status: 0, bytes: 0 }));
    r.end(req.body);
  });
}

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections, maxFreeSockets: opts.connections });
  const latencies = new Float64Array(opts.maxRequests);
  const non2xx: Record<number, number> = {};
  let issued = 0;
  let done = 0;
  let errors = 0;
  let bytes = 0;
  const start = performance.now();
  const deadline = start + opts.durationMs;

  const connection = async () => {
    while (issued < opts.maxRequests && performance.now() < deadline) {
      const req = opts.next(issued++);
      const t = performance.now();
      const r = await send(agent, opts.port, req);
      latencies[done++] = performance.now() - t;
      bytes += r.bytes;
      if (r.status === 0) errors++;
      else if (r.status < 200 || r.status > 299) non2xx[r.status] = (non2xx[r.status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: opts.connections }, connection));
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  const sorted = Array.from(latencies.subarray(0, done)).sort((a, b) => a - b);
  return { requests: done, seconds, rps: done / seconds, p50_ms: percentile(sorted, 50), p99_ms: percentile(sorted, 99), errors, non2xx, bytes };
}
