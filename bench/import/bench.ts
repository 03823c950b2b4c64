// The import benchmark (issue 7 §4): Mizan's import of a generated ACLED file next to sqlite3's
// own `.import` of the same file into a plain table, then list and aggregate queries over the
// imported rows. Everything happens in a temporary directory that is removed afterwards.
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { importIncidents } from '../../src/app/imports.js';
import type { ImportSummary } from '../../src/app/imports.js';
import type { Mizan } from '../../src/app/mizan.js';
import { initDataDir, openApp } from '../../src/cli/open.js';
import { ANONYMOUS, SYSTEM } from '../../src/domain/principal.js';
import { findGeoDataDir } from '../../src/geo/index.js';
import { openSourceRows } from '../../src/intake/index.js';
import { sqlitePath } from '../../src/store/data-dir.js';
import type { IncidentFilter } from '../../src/store/read.js';
import type * as DuckDb from '@duckdb/node-api';
import { generateAcledCsv, prng } from './generate.js';

export interface ImportBenchOptions {
  readonly rows: number;
  readonly seed?: number;
  /** Runs per query kind for the percentiles. */
  readonly queryRuns?: number;
  readonly log?: (line: string) => void;
  /** Keep the temporary directory (its path is logged). */
  readonly keep?: boolean;
}

export interface Percentiles {
  readonly p50_ms: number;
  readonly p99_ms: number;
  readonly runs: number;
}

export interface ImportBenchResult {
  readonly rows: number;
  readonly file_bytes: number;
  readonly generate_s: number;
  readonly mizan_import_s: number;
  readonly mizan_rows_per_s: number;
  readonly sqlite3_import_s: number | null;
  readonly sqlite3_rows_per_s: number | null;
  /** Mizan's import time over sqlite3's. */
  readonly ratio: number | null;
  readonly summary: ImportSummary;
  readonly database_bytes: number;
  readonly queries: Record<string, Percentiles>;
  /** The week × admin1 aggregate on sqlite3's plain imported table, for scale. */
  readonly reference_queries: Record<string, Percentiles>;
  /** The same aggregates in DuckDB over the same CSV (a columnar engine built for them), with its load time. */
  readonly duckdb: { readonly load_s: number; readonly queries: Record<string, Percentiles> } | null;
}

function percentiles(samples: number[]): Percentiles {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? 0;
  return { p50_ms: round(at(0.5)), p99_ms: round(at(0.99)), runs: s.length };
}

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

async function timeRuns(runs: number, fn: (i: number) => unknown): Promise<Percentiles> {
  await fn(-1); // warm the page cache and statement cache; not counted
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn(i);
    samples.push(performance.now() - t);
  }
  return percentiles(samples);
}

/** `sqlite3 DB '.mode csv' '.import FILE t'` — Debian's sqlite3 CLI; null when it is not installed. */
function sqlite3Import(db: string, file: string): number | null {
  const t = performance.now();
  const r = spawnSync('sqlite3', [db, '.mode csv', `.import ${file} t`], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return null;
  return (performance.now() - t) / 1000;
}

const ADMIN1 = ['Khyber Pakhtunkhwa', 'Balochistan', 'Kandahar', 'Nangarhar', 'Paktika', 'Khost', 'Kunar', 'Punjab', 'Sindh', 'Helmand'];
const ACTOR_NAMES = ['TTP: Tehrik-i-Taliban Pakistan', 'IS: Islamic State (Khorasan Province)', 'BLA: Balochistan Liberation Army', 'Military Forces of Pakistan (2018-)'];

async function queryBench(app: Mizan, runs: number, seed: number): Promise<Record<string, Percentiles>> {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const actorIds = new Map<string, string>();
  for (const name of ACTOR_NAMES) {
    const row = await app.store.db.selectFrom('actor_names').select('actor_id').where('name', '=', name).executeTakeFirst();
    if (row) actorIds.set(name, row.actor_id);
  }
  const month = () => {
    const y = 2017 + Math.floor(rnd() * 8);
    const m = 1 + Math.floor(rnd() * 12);
    return { from: new Date(Date.UTC(y, m - 1, 1)).toISOString(), to: new Date(Date.UTC(y, m, 1)).toISOString() };
  };
  const list = (f: () => IncidentFilter) => timeRuns(runs, () => app.listIncidents(ANONYMOUS, f(), 50));
  const db = app.store.db;
  const out: Record<string, Percentiles> = {};
  out['list: newest 50'] = await list(() => ({}));
  out['list: country'] = await list(() => ({ country: pick(['AFG', 'PAK']) }));
  out['list: admin1'] = await list(() => ({ admin1: pick(ADMIN1) }));
  out['list: one month'] = await list(month);
  out['list: event type + month'] = await list(() => ({ event_type: pick(['Battles', 'Explosions/Remote violence', 'Protests']), ...month() }));
  out['list: actor'] = await list(() => ({ actor: actorIds.get(pick(ACTOR_NAMES)) ?? 'none' }));
  out['list: full text'] = await list(() => ({ q: pick(['Parachinar', 'Kandahar', 'Quetta', 'Jalalabad', 'Miran Shah']) }));
  out['aggregate: week × admin1 (all rows)'] = await timeRuns(Math.max(3, Math.ceil(runs / 10)), () =>
    sql`SELECT strftime('%Y-%W', occurred_from) AS week, admin1, count(*) AS n FROM incidents WHERE visibility = 'public' GROUP BY week, admin1`.execute(db),
  );
  out['aggregate: week × admin1, one year, with fatalities'] = await timeRuns(Math.max(3, Math.ceil(runs / 10)), () => {
    const y = 2017 + Math.floor(rnd() * 8);
    return sql`SELECT strftime('%Y-%W', occurred_from) AS week, admin1, count(*) AS n, sum(json_extract(doc, '$.fatalities.best')) AS killed FROM incidents WHERE visibility = 'public' AND occurred_from >= ${`${y}-01-01`} AND occurred_from < ${`${y + 1}-01-01`} GROUP BY week, admin1`.execute(db);
  });
  out['aggregate: incidents by actor'] = await timeRuns(Math.max(3, Math.ceil(runs / 10)), () =>
    sql`SELECT ia.actor_id, ia.role, count(*) AS n FROM incident_actors ia JOIN incidents i ON i.id = ia.incident_id WHERE i.visibility = 'public' GROUP BY ia.actor_id, ia.role`.execute(db),
  );
  return out;
}

async function referenceQueries(dbFile: string, runs: number): Promise<Record<string, Percentiles>> {
  const db = new Database(dbFile, { readonly: true });
  try {
    const week = db.prepare(`SELECT strftime('%Y-%W', event_date) AS week, admin1, count(*) AS n FROM t GROUP BY week, admin1`);
    const actor = db.prepare(`SELECT actor1, count(*) AS n FROM t GROUP BY actor1`);
    return {
      'aggregate: week × admin1 (all rows)': await timeRuns(Math.max(3, Math.ceil(runs / 10)), () => week.all()),
      'aggregate: incidents by actor1': await timeRuns(Math.max(3, Math.ceil(runs / 10)), () => actor.all()),
    };
  } finally {
    db.close();
  }
}

/**
 * The aggregates in DuckDB (@duckdb/node-api, in memory) over the same CSV: the figure an analyst
 * would get by skipping Mizan altogether. Null when the package is not installed.
 */
async function duckdbQueries(file: string, runs: number): Promise<ImportBenchResult['duckdb']> {
  let duck: typeof DuckDb;
  try {
    duck = await import('@duckdb/node-api');
  } catch {
    return null;
  }
  const instance = await duck.DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  try {
    const t = performance.now();
    await c.run(`CREATE TABLE t AS SELECT * FROM read_csv('${file.replace(/'/g, "''")}', header = true, all_varchar = true)`);
    const loadS = (performance.now() - t) / 1000;
    const n = Math.max(3, Math.ceil(runs / 10));
    return {
      load_s: round(loadS),
      queries: {
        'aggregate: week × admin1 (all rows)': await timeRuns(n, () => c.runAndReadAll(`SELECT strftime(CAST(event_date AS DATE), '%Y-%W') AS week, admin1, count(*) AS n FROM t GROUP BY week, admin1`)),
        'aggregate: incidents by actor1': await timeRuns(n, () => c.runAndReadAll('SELECT actor1, count(*) AS n FROM t GROUP BY actor1')),
      },
    };
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

export async function runImportBench(opts: ImportBenchOptions): Promise<ImportBenchResult> {
  const log = opts.log ?? ((s: string) => process.stderr.write(s + '\n'));
  const seed = opts.seed ?? 20251019;
  const runs = opts.queryRuns ?? (opts.rows >= 200_000 ? 30 : 100);
  const dir = mkdtempSync(join(tmpdir(), 'mizan-bench-import-'));
  try {
    const file = join(dir, 'acled.csv');
    let t = performance.now();
    const bytes = await generateAcledCsv(file, opts.rows, seed, join(findGeoDataDir(), 'gazetteer.json'));
    const generateS = (performance.now() - t) / 1000;
    log(`generated ${opts.rows} ACLED rows (${(bytes / 1e6).toFixed(1)} MB) in ${generateS.toFixed(1)} s: ${file}`);

    const dataDir = join(dir, 'mizan-data');
    await initDataDir({ dataDir, origin: 'bench.mizan.local/log' });
    const app = await openApp({ dataDir });
    try {
      app.places?.pointFacts(33.9, 70.1); // load the boundaries before the clock starts, as a running server has
      t = performance.now();
      let lastLog = t;
      const input = createReadStream(file);
      const summary = await importIncidents(app, SYSTEM, await openSourceRows(input, 'acled'), {
        format: 'acled',
        onProgress: (p) => {
          const now = performance.now();
          if (now - lastLog < 10_000) return;
          lastLog = now;
          log(`  mizan import: ${p.rows} rows, ${Math.round(p.rows / ((now - t) / 1000))} rows/s`);
        },
      });
      const mizanS = (performance.now() - t) / 1000;
      log(`mizan import: ${summary.imported} incidents, ${summary.log_entries} log entries in ${mizanS.toFixed(1)} s`);
      await app.log.signCheckpoint();

      const refDb = join(dir, 'sqlite3-reference.db');
      const sqliteS = sqlite3Import(refDb, file);
      log(sqliteS === null ? 'sqlite3 CLI not available: no reference import' : `sqlite3 .import: ${sqliteS.toFixed(1)} s`);

      const queries = await queryBench(app, runs, seed);
      const reference = sqliteS === null ? {} : await referenceQueries(refDb, runs);
      const duckdb = await duckdbQueries(file, runs);
      const dbFile = sqlitePath(dataDir);
      const dbBytes = [dbFile, `${dbFile}-wal`].reduce((sum, f) => sum + (existsSync(f) ? statSync(f).size : 0), 0);
      return {
        rows: opts.rows,
        file_bytes: bytes,
        generate_s: round(generateS),
        mizan_import_s: round(mizanS),
        mizan_rows_per_s: Math.round(opts.rows / mizanS),
        sqlite3_import_s: sqliteS === null ? null : round(sqliteS),
        sqlite3_rows_per_s: sqliteS === null ? null : Math.round(opts.rows / sqliteS),
        ratio: sqliteS === null ? null : round(mizanS / sqliteS, 1),
        summary,
        database_bytes: dbBytes,
        queries,
        reference_queries: reference,
        duckdb,
      };
    } finally {
      await app.close();
    }
  } finally {
    if (opts.keep) log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

export function formatImportBench(r: ImportBenchResult): string {
  const lines = [
    `Import benchmark: ${r.rows.toLocaleString('en')} generated ACLED rows (${(r.file_bytes / 1e6).toFixed(0)} MB CSV)`,
    `  Mizan import (SQLite, one transaction, ${r.summary.log_entries.toLocaleString('en')} signed log entries): ${r.mizan_import_s} s  (${r.mizan_rows_per_s.toLocaleString('en')} rows/s)`,
    r.sqlite3_import_s === null
      ? '  sqlite3 .import: not available (install Debian package sqlite3)'
      : `  sqlite3 .import into a plain table:                     ${r.sqlite3_import_s} s  (${r.sqlite3_rows_per_s!.toLocaleString('en')} rows/s)`,
    r.ratio === null ? '' : `  ratio Mizan / sqlite3: ${r.ratio}×`,
    `  database size: ${(r.database_bytes / 1e6).toFixed(0)} MB`,
    '  queries over the imported rows (ms):',
    ...Object.entries(r.queries).map(([k, p]) => `    ${k.padEnd(52)} p50 ${String(p.p50_ms).padStart(9)}  p99 ${String(p.p99_ms).padStart(9)}  (${p.runs} runs)`),
  ];
  if (Object.keys(r.reference_queries).length > 0) {
    lines.push('  the same aggregates on sqlite3\'s plain table (ms):');
    for (const [k, p] of Object.entries(r.reference_queries)) lines.push(`    ${k.padEnd(52)} p50 ${String(p.p50_ms).padStart(9)}  p99 ${String(p.p99_ms).padStart(9)}  (${p.runs} runs)`);
    const a = r.queries['aggregate: week × admin1 (all rows)'];
    const b = r.reference_queries['aggregate: week × admin1 (all rows)'];
    if (a && b && b.p50_ms > 0) lines.push(`  ratio week × admin1 aggregate, Mizan / plain table (p50): ${round(a.p50_ms / b.p50_ms, 1)}×`);
  }
  if (r.duckdb) {
    lines.push(`  the same aggregates in DuckDB, in memory (CSV loaded in ${r.duckdb.load_s} s) (ms):`);
    for (const [k, p] of Object.entries(r.duckdb.queries)) lines.push(`    ${k.padEnd(52)} p50 ${String(p.p50_ms).padStart(9)}  p99 ${String(p.p99_ms).padStart(9)}  (${p.runs} runs)`);
    const ours = r.queries['aggregate: week × admin1 (all rows)'];
    const theirs = r.duckdb.queries['aggregate: week × admin1 (all rows)'];
    if (ours && theirs && theirs.p50_ms > 0) lines.push(`  ratio week × admin1 aggregate, Mizan / DuckDB (p50): ${round(ours.p50_ms / theirs.p50_ms, 1)}×`);
  } else {
    lines.push('  DuckDB: not available (devDependency @duckdb/node-api not installed)');
  }
  return lines.filter((l) => l !== '').join('\n');
}
