import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database as Schema } from './schema.js';

export type DialectName = 'sqlite' | 'postgres';

export interface Connection {
  readonly db: Kysely<Schema>;
  readonly dialect: DialectName;
  /** Where the data lives, for messages: a file path or a redacted URL. */
  readonly location: string;
}

/** Embedded SQLite: WAL, and commits that survive a power cut (synchronous=FULL). */
export function openSqlite(file: string): Connection {
  const raw = new Database(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 10000');
  return { db: new Kysely<Schema>({ dialect: new SqliteDialect({ database: raw }) }), dialect: 'sqlite', location: file };
}

// PostgreSQL returns int8 as strings to avoid precision loss; our counts fit in a double.
pg.types.setTypeParser(20, (v) => Number(v));

export function openPostgres(url: string): Connection {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client whose server connection drops (restart, admin kill, network) emits 'error' on the
  // pool; unhandled, that event would crash the process. The pool discards the client and the next
  // query opens a fresh one, so noting it is enough.
  pool.on('error', (e) => process.emitWarning(`PostgreSQL idle connection lost: ${e.message}`));
  return { db: new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) }), dialect: 'postgres', location: url.replace(/\/\/[^@/]*@/, '//***@') };
}
