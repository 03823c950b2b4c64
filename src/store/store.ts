import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Connection, DialectName } from './dialect.js';
import { migrateToLatest } from './migrations.js';
import type { Database } from './schema.js';

export type Tx = Transaction<Database>;
export type Db = Kysely<Database>;

// Any constant works; it only has to be the same in every process that writes to one database.
const WRITE_LOCK_KEY = 0x6d697a61;

/**
 * The store: one database, written only through `transaction`, so that every write (records,
 * search rows and log entries) commits together or not at all.
 */
export class Store {
  readonly db: Db;
  readonly dialect: DialectName;
  readonly location: string;

  constructor(conn: Connection) {
    this.db = conn.db;
    this.dialect = conn.dialect;
    this.location = conn.location;
  }

  async migrate(): Promise<void> {
    await migrateToLatest(this.db as unknown as Kysely<unknown>, this.dialect);
  }

  /**
   * Run `fn` in one write transaction. Writers are serialised — by SQLite's write lock, or by a
   * transaction-scoped advisory lock on PostgreSQL — because log indices must have no gaps.
   */
  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (tx) => {
      if (this.dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(${WRITE_LOCK_KEY})`.execute(tx);
      // Take SQLite's write lock now, not at the first insert, so no reader-then-writer upgrade can fail.
      else await sql`INSERT INTO meta (key, value) VALUES ('write_lock', '0') ON CONFLICT (key) DO UPDATE SET value = excluded.value`.execute(tx);
      return fn(tx);
    });
  }

  async getMeta(key: string): Promise<string | null> {
    const row = await this.db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
    return row?.value ?? null;
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

export async function setMeta(tx: Tx | Db, key: string, value: string): Promise<void> {
  await tx
    .insertInto('meta')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}

/** Insert many rows in chunks: one statement per chunk keeps big imports fast on both databases. */
export async function insertChunked<T extends keyof Database>(
  tx: Tx,
  table: T,
  rows: readonly Record<string, unknown>[],
  chunk = 200,
): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-argument -- Kysely cannot relate a generic table name to its row type; callers pass rows built for that table
    await tx.insertInto(table).values(rows.slice(i, i + chunk) as any).execute();
  }
}
