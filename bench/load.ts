// The load benchmark (issue 12 §4): closed-loop HTTP load on loopback against the real server —
// the incident list, an incident page's API calls, places and map data, a read/write mix — next
// to a bare Fastify route on the same machine; the ratio is the figure. Each server runs in its
// own process, the load generator in this one. Bounded in time and in requests per scenario.
//
// Options (argv after `load`, or the environment): --duration S (LOAD_DURATION_S, default 5),
// --connections N (LOAD_CONNECTIONS, 10), --max N (LOAD_MAX_REQUESTS, 200000), --rows N
// (LOAD_ROWS, generated ACLED incidents imported next to the scenario, 2000), --only a,b
// (LOAD_ONLY: list, page, places, log, write).
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadRequest, LoadResult } from './load/client.js';
import { runLoad } from './load/client.js';
import type { LoadTarget } from './load/server.js';

export interface LoadBenchOptions {
  readonly durationS: number;
  readonly connections: number;
  readonly maxRequests: number;
  readonly rows: number;
  readonly only: readonly ScenarioName[] | null;
}

const SCENARIOS = ['list', 'page', 'places', 'log', 'write'] as const;
type ScenarioName = (typeof SCENARIOS)[number];

function positive(name: string, raw: string | undefined, fallback: number, min = 1): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new Error(`${name} must be a number ≥ ${min}, not ${JSON.stringify(raw)}`);
  return n;
}

/** Options from argv (`--duration 3`) over the environment (LOAD_DURATION_S=3) over the defaults. */
export function loadBenchOptions(argv: readonly string[] = [], env: NodeJS.ProcessEnv = process.env): LoadBenchOptions {
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${JSON.stringify(a)}`);
    const [k, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
    flags[k] = inline ?? argv[++i] ?? '';
  }
  const unknown = Object.keys(flags).filter((k) => !['duration', 'connections', 'max', 'rows', 'only'].includes(k));
  if (unknown.length > 0) throw new Error(`unknown option --${unknown[0]}; known: --duration --connections --max --rows --only`);
  const onlyRaw = flags.only ?? env.LOAD_ONLY;
  let only: ScenarioName[] | null = null;
  if (onlyRaw) {
    only = onlyRaw.split(',').map((s) => s.trim()) as ScenarioName[];
    const bad = only.find((s) => !SCENARIOS.includes(s));
    if (bad) throw new Error(`unknown scenario ${JSON.stringify(bad)}; known: ${SCENARIOS.join(', ')}`);
  }
  return {
    durationS: positive('--duration', flags.duration ?? env.LOAD_DURATION_S, 5, 0.1),
    connections: Math.round(positive('--connections', flags.connections ?? env.LOAD_CONNECTIONS, 10)),
    maxRequests: Math.round(positive('--max', flags.max ?? env.LOAD_MAX_REQUESTS, 200_000)),
    rows: Math.round(positive('--rows', flags.rows ?? env.LOAD_ROWS, 2000, 0)),
    only,
  };
}

interface Server {
  readonly target: LoadTarget;
  stop(): Promise<void>;
}

/** Fork bench/load/server.js and wait until it listens. */
function startServer(kind: 'bare' | 'mizan', rows: number): Promise<Server> {
  const entry = join(dirname(fileURLToPath(import.meta.url)), 'load', 'server.js');
  const child: ChildProcess = fork(entry, [kind, String(rows)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the ${kind} server exited (code ${code}) before listening`)));
    child.on('message', (m: unknown) => {
      const ready = (m as { ready?: LoadTarget }).ready;
      if (!ready) return;
      child.removeAllListeners('exit');
      resolve({
        target: ready,
        stop: () =>
          new Promise<void>((done) => {
            const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
            child.once('exit', () => {
              clearTimeout(timer);
              done();
            });
            child.send('stop');
          }),
      });
    });
  });
}

const PLACE_QUERIES = ['Bermal', 'برمل', 'Spin Buldak', 'Chaman', 'Parachinar', 'Mir Ali', 'Torkham', 'Khost', 'Kandahar', 'Miran Shah'];
const POINTS: readonly (readonly [number, number])[] = [[32.7, 69.1], [30.9, 66.45], [34.1, 71.1], [33.9, 70.1], [31.0, 66.4], [34.52, 69.18], [33.0, 70.0], [35.0, 74.0]];

/** The requests of one visit to an incident's page in the web app, in the order it makes them. */
function incidentPage(t: LoadTarget, k: number): LoadRequest[] {
  const i = k % t.incidentIds.length;
  const base = `/api/v1/incidents/${encodeURIComponent(t.incidentIds[i]!)}`;
  const index = t.logIndexes[i]!;
  const get = (path: string): LoadRequest => ({ method: 'GET', path });
  return [
    get(base),
    get(`${base}/claims?limit=500`),
    get(`${base}/assessment`),
    get(`${base}/contest`),
    get('/api/v1/allegations?limit=500'),
    get('/log/checkpoint'),
    { method: 'GET', path: `/log/proof/inclusion?index=${index}&size=${t.logSize}`, headers: { accept: 'application/json' } },
    get(`/log/entry/${index}`),
  ];
}

/** Cycles through a fixed visit pattern: request n is the (n mod len)-th of visit floor(n / len). */
function cycling(visit: (k: number) => LoadRequest[], len: number): (n: number) => LoadRequest {
  return (n) => visit(Math.floor(n / len))[n % len]!;
}

function scenario(name: ScenarioName, t: LoadTarget, writes: { n: number }): { label: string; next: (n: number) => LoadRequest } {
  const get = (path: string): LoadRequest => ({ method: 'GET', path });
  switch (name) {
    case 'list':
      return { label: 'incident list  GET /api/v1/incidents?limit=50', next: () => get('/api/v1/incidents?limit=50') };
    case 'page': {
      const len = incidentPage(t, 0).length;
      return { label: `incident page  (${len} calls per visit)`, next: cycling((k) => incidentPage(t, k), len) };
    }
    case 'places': {
      const map = [...t.geoAssets.map(get), ...PLACE_QUERIES.map((q) => get(`/api/v1/places?q=${encodeURIComponent(q)}`)), ...POINTS.map(([lat, lon]) => get(`/api/v1/places/point?lat=${lat}&lon=${lon}`))];
      return { label: `places & map  (${PLACE_QUERIES.length} lookups, ${POINTS.length} points, ${t.geoAssets.length} boundary files)`, next: (n) => map[n % map.length]! };
    }
    case 'log': {
      const full = Math.floor(t.logSize / 256);
      const tiles = full > 0 ? ['/log/tile/0/000', '/log/tile/entries/000', '/log/tile/1/000.p/' + Math.max(1, Math.floor(full))] : [`/log/tile/0/000.p/${t.logSize}`];
      const calls = ['/log/checkpoint', ...tiles];
      return { label: `log tiles  (checkpoint + ${tiles.length} tiles)`, next: (n) => get(calls[n % calls.length]!) };
    }
    case 'write': {
      const len = incidentPage(t, 0).length;
      const read = cycling((k) => incidentPage(t, k), len);
      return {
        label: 'write mix  (90% page reads, 10% mediator claims)',
        next: (n) => {
          // Every tenth request files a claim: one transaction and one signed log entry each.
          if (n % 10 !== 9) return read(n - Math.floor(n / 10));
          const id = t.incidentIds[writes.n % t.incidentIds.length]!;
          const body = JSON.stringify({ id: `CL-LOAD-${++writes.n}`, by: t.sourceId, basis: 'reported', asserts: {} });
          return { method: 'POST', path: `/api/v1/incidents/${encodeURIComponent(id)}/claims`, headers: { authorization: `Bearer ${t.mediatorToken}`, 'content-type': 'application/json' }, body };
        },
      };
    }
  }
}

async function measure(port: number, o: LoadBenchOptions, next: (n: number) => LoadRequest): Promise<LoadResult> {
  // A short warm-up (JIT, statement caches, connections) that is not counted.
  await runLoad({ port, connections: o.connections, durationMs: Math.min(1000, (o.durationS * 1000) / 5), maxRequests: Math.min(2000, o.maxRequests), next });
  return runLoad({ port, connections: o.connections, durationMs: o.durationS * 1000, maxRequests: o.maxRequests, next });
}

const fmt = (x: number, d = 0) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const non2xxText = (r: LoadResult) => Object.entries(r.non2xx).map(([s, n]) => `${n}×${s}`).join(' ') || '0';

export function formatRow(label: string, r: LoadResult, ref: LoadResult | null): string {
  const cells = [label.padEnd(58), `${fmt(r.rps)} req/s`.padStart(14), `p50 ${fmt(r.p50_ms, 2)} ms`.padStart(14), `p99 ${fmt(r.p99_ms, 2)} ms`.padStart(14), `errors ${r.errors}`.padStart(9), `non-2xx ${non2xxText(r)}`.padStart(11)];
  if (ref) cells.push(`| bare ${fmt(ref.rps)} req/s, p50 ${fmt(ref.p50_ms, 2)}, p99 ${fmt(ref.p99_ms, 2)} | ours/bare: req/s ${(r.rps / ref.rps).toFixed(3)}×, p50 ${(r.p50_ms / ref.p50_ms).toFixed(1)}×, p99 ${(r.p99_ms / ref.p99_ms).toFixed(1)}×`);
  return '  ' + cells.join(' ');
}

export interface LoadBenchResult {
  readonly scenario: string;
  readonly ours: LoadResult;
  /** The bare Fastify route, measured just before this scenario (the machine may be shared). */
  readonly bare: LoadResult;
}

export async function benchLoad(o: LoadBenchOptions = loadBenchOptions()): Promise<LoadBenchResult[]> {
  const out = (s: string) => process.stdout.write(s + '\n');
  out(`\nLoad (loopback 127.0.0.1, ${o.connections} keep-alive connections, ${o.durationS} s or ${fmt(o.maxRequests)} requests per run; each server in its own process;`);
  out('  the bare Fastify reference, GET /hello → {"hello":"world"}, is measured right before each scenario)');
  const results: LoadBenchResult[] = [];
  const t0 = performance.now();
  const [bare, server] = await Promise.all([startServer('bare', 0), startServer('mizan', o.rows)]);
  const t = server.target;
  out(`  Mizan: built-in scenario + ${fmt(o.rows)} generated ACLED incidents (${fmt(t.incidents)} visible to anonymous readers, log size ${fmt(t.logSize)}), SQLite, set up in ${((performance.now() - t0) / 1000).toFixed(1)} s${t.geoAssets.length === 0 ? '; web app not built, so no boundary files (npm run build:web)' : ''}`);
  const writes = { n: 0 };
  try {
    for (const name of o.only ?? SCENARIOS) {
      const s = scenario(name, t, writes);
      const ref = await measure(bare.target.port, o, () => ({ method: 'GET', path: '/hello' }));
      const r = await measure(t.port, o, s.next);
      results.push({ scenario: name, ours: r, bare: ref });
      out(formatRow(s.label, r, ref));
    }
  } finally {
    await Promise.all([bare.stop(), server.stop()]);
  }
  if (writes.n > 0) out(`  (${fmt(writes.n)} claims filed during the write mix, warm-up included)`);
  return results;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  benchLoad(loadBenchOptions(process.argv.slice(2))).catch((e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });
}
