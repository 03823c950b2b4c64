import { randomBytes } from 'node:crypto';
import { assessIncidents } from '../app/assessment.js';
import { Mizan } from '../app/mizan.js';
import { configureMonitors } from '../app/monitors.js';
import { configureEvidence, evidenceConfigFromEnv } from '../app/evidence.js';
import { configureSecretBox } from '../app/secret-box.js';
import { SYSTEM } from '../domain/principal.js';
import type { Clock, PlacesPort } from '../app/ports.js';
import { formatSignerKey, parseSignerKey } from '../ledger/index.js';
import { nodeCrypto } from '../ledger/node-crypto.js';
import { createDataDir, keyPath, readDataDir, readSecret, sqlitePath, writeSecret } from '../store/data-dir.js';
import type { Connection } from '../store/dialect.js';
import { openPostgres, openSqlite } from '../store/dialect.js';
import { LogService } from '../store/log-store.js';
import { Store } from '../store/store.js';
import { setMeta } from '../store/store.js';
import { loadPlaces } from './places.js';

export interface OpenOptions {
  readonly dataDir: string;
  readonly databaseUrl?: string | undefined;
  /** Load the gazetteer and borders (skipped by commands that never touch incidents). */
  readonly places?: boolean;
  /** Tests inject time; deadlines and windows depend on it. */
  readonly clock?: Clock;
}

function connect(opts: OpenOptions): Connection {
  const url = opts.databaseUrl ?? process.env.DATABASE_URL;
  return url ? openPostgres(url) : openSqlite(sqlitePath(opts.dataDir));
}

/**
 * Create the data directory, its keys and a migrated store whose log starts with the genesis
 * entry: the operator key that attests server-made writes, so verifiers learn it from the log.
 * Refuses a non-empty directory.
 */
export async function initDataDir(opts: OpenOptions & { origin: string }): Promise<void> {
  createDataDir(opts.dataDir, opts.origin);
  writeSecret(keyPath(opts.dataDir, 'log'), formatSignerKey(nodeCrypto, opts.origin, randomBytes(32)) + '\n');
  writeSecret(keyPath(opts.dataDir, 'operator'), formatSignerKey(nodeCrypto, `${opts.origin}/operator`, randomBytes(32)) + '\n');
  const store = new Store(connect(opts));
  try {
    await store.migrate();
    const existing = await store.getMeta('origin');
    if (existing && existing !== opts.origin) throw new Error(`the database already holds the log ${existing}; use its data directory or an empty database`);
    await setMeta(store.db, 'origin', opts.origin);
  } finally {
    await store.close();
  }
  const app = await openApp({ ...opts, places: false });
  try {
    if ((await app.log.size()) === 0) {
      await app.write(SYSTEM, (w) => {
        w.statement('log.genesis', { origin: opts.origin, log_key: app.log.verifierKey, operator_key: app.log.operatorVerifierKey });
      });
    }
    await app.log.signCheckpoint();
  } finally {
    await app.close();
  }
}

/** The composition root shared by the CLI commands and the server. */
export async function openApp(opts: OpenOptions): Promise<Mizan> {
  const config = readDataDir(opts.dataDir);
  const store = new Store(connect(opts));
  await store.migrate();
  const origin = await store.getMeta('origin');
  if (origin !== null && origin !== config.origin) {
    await store.close();
    throw new Error(`the database holds the log ${origin} but ${opts.dataDir} is for ${config.origin}`);
  }
  if (origin === null) await setMeta(store.db, 'origin', config.origin);
  const keys = {
    origin: config.origin,
    log: parseSignerKey(nodeCrypto, readSecret(keyPath(opts.dataDir, 'log'))),
    operator: parseSignerKey(nodeCrypto, readSecret(keyPath(opts.dataDir, 'operator'))),
  };
  const places: PlacesPort | null = opts.places === false ? null : await loadPlaces();
  const app = new Mizan(store, new LogService(store, keys), places, opts.clock);
  configureMonitors(app, opts.dataDir);
  configureEvidence(app, opts.dataDir, evidenceConfigFromEnv());
  configureSecretBox(app, opts.dataDir);
  // Allegations record the engine's view at filing time, as the system sees it.
  app.assessIncidents = (ids, agreement) => assessIncidents(app, SYSTEM, ids, agreement);
  return app;
}
