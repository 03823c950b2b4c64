// Early-warning requests cold (right after a write, so nothing is cached) against warm (the same
// request again), on the built-in scenario and on it plus BENCH_WARNING_ROWS (default 1000)
// generated ACLED rows. A request for a new instant reuses the visible events but refits the
// model, whose window ends at the instant.
import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { importIncidents } from '../src/app/imports.js';
import type { Mizan } from '../src/app/mizan.js';
import { loadScenario } from '../src/app/records.js';
import { builtinScenarioPath } from '../src/cli/paths.js';
import { initDataDir, openApp } from '../src/cli/open.js';
import { SYSTEM } from '../src/domain/principal.js';
import { findGeoDataDir } from '../src/geo/index.js';
import { openSourceRows } from '../src/intake/index.js';
import { createHttpServer } from '../src/server/main.js';
import { generateAcledCsv } from './import/generate.js';
import { latencySummary, line, percentile } from './stats.js';

const AS_OF = '2025-11-15T00:00:00.000Z';

export async function benchWarning(): Promise<void> {
  const rows = Number(process.env.BENCH_WARNING_ROWS ?? 1000);
  for (const extra of [0, rows]) {
    const root = mkdtempSync(join(tmpdir(), 'mizan-bench-warn-'));
    const dataDir = join(root, 'data');
    await initDataDir({ dataDir, origin: 'bench.mizan.local/warning' });
    const app = await openApp({ dataDir, places: false });
    try {
      await loadScenario(app, SYSTEM, JSON.parse(readFileSync(builtinScenarioPath(), 'utf8')));
      if (extra > 0) await importGenerated(app, root, extra);
      process.stdout.write(`\nEarly warning, GET /api/v1/warning as anonymous (SQLite, scenario${extra ? ` + ${extra} generated incidents` : ''})\n`);
      const server = await createHttpServer(app);
      await server.ready();
      try {
        await benchRequests(app, server, extra > 0 ? 3 : 20);
      } finally {
        await server.close();
      }
    } finally {
      await app.close();
      rmSync(root, { recursive: true, force: true });
    }
  }
}

async function importGenerated(app: Mizan, root: string, rows: number): Promise<void> {
  const csv = join(root, 'extra.csv');
  await generateAcledCsv(csv, rows, 20251019, join(findGeoDataDir(), 'gazetteer.json'));
  await importIncidents(app, SYSTEM, await openSourceRows(createReadStream(csv), 'acled'), { format: 'acled' });
}

async function timed(server: FastifyInstance, url: string): Promise<number> {
  const t0 = performance.now();
  const r = await server.inject({ method: 'GET', url });
  if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode} ${r.body.slice(0, 200)}`);
  return performance.now() - t0;
}

/** Any write grows the log, and so empties the caches for what follows. */
async function touch(app: Mizan): Promise<void> {
  await app.write(SYSTEM, (w) => {
    w.statement('bench.touch', {});
  });
}

async function benchRequests(app: Mizan, server: FastifyInstance, runs: number): Promise<void> {
  const url = `/api/v1/warning?as_of=${AS_OF}`;
  const cold: number[] = [];
  const warm: number[] = [];
  const newInstant: number[] = [];
  for (let i = 0; i < runs; i++) {
    await touch(app);
    cold.push(await timed(server, url));
    for (let j = 0; j < 5; j++) warm.push(await timed(server, url));
    // A later instant each time, one second apart: the events are reused, the model is not.
    newInstant.push(await timed(server, `/api/v1/warning?as_of=${new Date(Date.parse(AS_OF) + (i + 1) * 1000).toISOString()}`));
  }
  const p50 = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);
  line('cold: after a write (read, events, model)', latencySummary(cold));
  line('warm: the same request again', `${latencySummary(warm)}, ${(p50(cold) / p50(warm)).toFixed(0)}× faster`);
  line('another as_of at the same log size (model refit)', latencySummary(newInstant));
}
