// The server side of the load benchmark, run in its own process (forked by bench/load.ts) so that
// the load generator and the server under test do not share one event loop. `bare` serves one
// trivial JSON route on plain Fastify — the reference; `mizan` serves the real application over a
// temporary data directory with the built-in scenario (and, optionally, generated incidents).
import { createReadStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { addUser, createToken } from '../../src/app/accounts.js';
import { importIncidents } from '../../src/app/imports.js';
import { loadScenario } from '../../src/app/records.js';
import { initDataDir, openApp } from '../../src/cli/open.js';
import { builtinScenarioPath, packageRoot } from '../../src/cli/paths.js';
import { ANONYMOUS, SYSTEM } from '../../src/domain/principal.js';
import { findGeoDataDir } from '../../src/geo/index.js';
import { openSourceRows } from '../../src/intake/index.js';
import { createHttpServer } from '../../src/server/main.js';
import { generateAcledCsv } from '../import/generate.js';

/** What the server tells the load generator once it listens. */
export interface LoadTarget {
  readonly port: number;
  /** An API token of a mediator (party QAT), for the write mix. */
  readonly mediatorToken: string | null;
  /** Incident ids to visit, the scenario's first. */
  readonly incidentIds: readonly string[];
  /** Log index of each visited incident's entry, for the inclusion-proof calls of its page. */
  readonly logIndexes: readonly number[];
  readonly logSize: number;
  /** A source id a mediator may file reported claims by. */
  readonly sourceId: string | null;
  /** URLs of the boundary files the web map loads, when the web app is built. */
  readonly geoAssets: readonly string[];
  readonly incidents: number;
}

async function bare(): Promise<{ server: FastifyInstance; target: LoadTarget; cleanup: () => Promise<void> }> {
  const server = Fastify({ logger: false });
  server.get('/hello', async () => ({ hello: 'world' }));
  await server.listen({ port: 0, host: '127.0.0.1' });
  const port = (server.server.address() as { port: number }).port;
  return { server, target: { port, mediatorToken: null, incidentIds: [], logIndexes: [], logSize: 0, sourceId: null, geoAssets: [], incidents: 0 }, cleanup: async () => undefined };
}

/** The hashed boundary files in web/dist/assets, as the web app's map requests them. */
function geoAssetUrls(): string[] {
  const dir = join(packageRoot(), 'web', 'dist', 'assets');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.geojson'))
    .map((f) => `/assets/${f}`);
}

async function mizan(extraRows: number): Promise<{ server: FastifyInstance; target: LoadTarget; cleanup: () => Promise<void> }> {
  const root = mkdtempSync(join(tmpdir(), 'mizan-load-'));
  const dataDir = join(root, 'data');
  await initDataDir({ dataDir, origin: 'bench.mizan.local/load' });
  const app = await openApp({ dataDir });
  await loadScenario(app, SYSTEM, JSON.parse(readFileSync(builtinScenarioPath(), 'utf8')));
  if (extraRows > 0) {
    const csv = join(root, 'extra.csv');
    await generateAcledCsv(csv, extraRows, 20251019, join(findGeoDataDir(), 'gazetteer.json'));
    await importIncidents(app, SYSTEM, await openSourceRows(createReadStream(csv), 'acled'), { format: 'acled' });
  }
  await addUser(app, SYSTEM, { name: 'loadmediator', role: 'mediator', party: 'QAT', password: 'correct horse battery staple' });
  const { token } = await createToken(app, SYSTEM, 'loadmediator', 'load benchmark');
  await app.log.signCheckpoint();
  const scenarioIds = (JSON.parse(readFileSync(builtinScenarioPath(), 'utf8')) as { incidents: { id: string }[]; sources: { id: string }[] });
  // Pages an anonymous reader can open: restricted incidents would answer 404.
  const page = await app.listIncidents(ANONYMOUS, {}, 200);
  const visible = new Set((page.items as { id: string }[]).map((i) => i.id));
  const fromScenario = scenarioIds.incidents.map((i) => i.id).filter((id) => visible.has(id));
  const visit = [...fromScenario, ...[...visible].filter((id) => !fromScenario.includes(id))].slice(0, 100);
  const logIndexes: number[] = [];
  for (const id of visit) logIndexes.push(((await app.get(SYSTEM, 'incidents', id)) as { log_index: number }).log_index);
  const server = await createHttpServer(app);
  await server.listen({ port: 0, host: '127.0.0.1' });
  const port = (server.server.address() as { port: number }).port;
  return {
    server,
    target: {
      port,
      mediatorToken: token,
      incidentIds: visit,
      logIndexes,
      logSize: (await app.log.latestCheckpoint()).size,
      sourceId: scenarioIds.sources[0]?.id ?? null,
      geoAssets: geoAssetUrls(),
      incidents: page.total,
    },
    cleanup: async () => {
      await app.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

async function main(): Promise<void> {
  const kind = process.argv[2];
  if (kind !== 'bare' && kind !== 'mizan') throw new Error('usage: server.js bare|mizan [extra-rows]');
  const { server, target, cleanup } = kind === 'bare' ? await bare() : await mizan(Number(process.argv[3] ?? 0));
  process.send?.({ ready: target });
  process.on('message', (m: unknown) => {
    if (m !== 'stop') return;
    void server
      .close()
      .then(cleanup)
      .finally(() => process.exit(0));
  });
}

main().catch((e: unknown) => {
  process.stderr.write(`load server: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
