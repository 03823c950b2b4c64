import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED_DIR = resolve(REPO_ROOT, '..', 'shared');
export const IN_CI = process.env.CI === 'true';

/**
 * A dependency a test needs: present → run; absent → skip on a developer machine, but fail
 * under CI=true, where a silent skip would hide a broken setup.
 */
export function requireOrSkip(what: string, available: boolean): boolean {
  if (available) return true;
  if (IN_CI) throw new Error(`${what} is required under CI=true but is not available`);
  return false;
}

export const hasShared = () => requireOrSkip(`../shared (${SHARED_DIR})`, existsSync(join(SHARED_DIR, 'data')));

export const ADMIN_DATABASE_URL = process.env.MIZAN_TEST_DATABASE_URL?.replace(/\/[^/]*$/, '/postgres') ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let pgChecked: boolean | undefined;
export async function postgresAvailable(): Promise<boolean> {
  if (pgChecked !== undefined) return pgChecked;
  const client = new pg.Client({ connectionString: ADMIN_DATABASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    pgChecked = true;
  } catch {
    pgChecked = false;
  } finally {
    await client.end().catch(() => undefined);
  }
  return requireOrSkip(`PostgreSQL at ${ADMIN_DATABASE_URL}`, pgChecked);
}

/** A fresh database for one test file; dropped by the returned function. */
export async function freshPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `mizan_t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = ADMIN_DATABASE_URL.replace(/\/[^/]*$/, `/${name}`);
  return {
    url,
    drop: async () => {
      const c = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
      await c.connect();
      // pg-pool's end() resolves before its clients' connections have closed. Terminating those
      // (WITH FORCE) makes a closing client raise an uncaught error in the test process, so wait
      // for them to go first, and force only the stragglers.
      for (let i = 0; i < 40; i++) {
        const r = await c.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
        if ((r.rows[0] as { n: number }).n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
