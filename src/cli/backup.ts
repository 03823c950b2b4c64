import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { MizanError } from '../domain/errors.js';
import { isEmptyDir, sqlitePath, writeSecret } from '../store/data-dir.js';
import { evidenceFilesInDir, packEvidence, unpackEvidence } from './evidence-backup.js';

/**
 * One-file backups of a data directory. The file is always an SQLite database:
 * - embedded store: SQLite's online backup API gives a consistent copy while the server runs;
 * - PostgreSQL: `pg_dump --format=custom` (one consistent snapshot, online) is kept as a blob in
 *   table `mizan_pg_dump` and replayed with `pg_restore`.
 * The keys and config ride along in table `mizan_backup_files` and the evidence files in
 * `mizan_backup_evidence`, so one file restores everything.
 */
export async function backupDataDir(dataDir: string, to: string, databaseUrl = process.env.DATABASE_URL): Promise<{ bytes: number; files: number; store: 'sqlite' | 'postgres' }> {
  if (!existsSync(join(dataDir, 'config.json'))) throw new MizanError('DATA_DIR_MISSING', `no Mizan data directory at ${dataDir}`);
  if (!databaseUrl && !existsSync(sqlitePath(dataDir))) throw new MizanError('DATA_DIR_MISSING', `no Mizan store at ${dataDir}`);
  if (existsSync(to)) throw new MizanError('CONFLICT', `${to} exists; refusing to overwrite a backup`);
  const partial = `${to}.partial`;
  rmSync(partial, { force: true });
  try {
    if (databaseUrl) writePgDump(databaseUrl, partial);
    else await copySqlite(dataDir, partial);
    const files = addDataDirFiles(dataDir, partial, databaseUrl ? evidenceFilesInDir(dataDir) : null);
    // The backup holds private keys: private to its owner, like the keys folder itself.
    chmodSync(partial, 0o600);
    renameSync(partial, to);
    return { bytes: statSync(to).size, files, store: databaseUrl ? 'postgres' : 'sqlite' };
  } catch (e) {
    rmSync(partial, { force: true });
    throw e;
  }
}

async function copySqlite(dataDir: string, partial: string): Promise<void> {
  const db = new Database(sqlitePath(dataDir), { readonly: true });
  try {
    await db.backup(partial);
  } finally {
    db.close();
  }
}

function writePgDump(databaseUrl: string, partial: string): void {
  const tmp = mkdtempSync(join(tmpdir(), 'mizan-pgdump-'));
  try {
    const dump = join(tmp, 'dump');
    runPgTool('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', '--file', dump, '--dbname', databaseUrl]);
    const copy = new Database(partial);
    try {
      copy.exec('CREATE TABLE mizan_pg_dump (content BLOB NOT NULL)');
      copy.prepare('INSERT INTO mizan_pg_dump (content) VALUES (?)').run(readFileSync(dump));
    } finally {
      copy.close();
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** `evidence`: the digests to carry, or null to take those the copied store's `evidence` rows name. */
function addDataDirFiles(dataDir: string, partial: string, evidence: string[] | null): number {
  const copy = new Database(partial);
  let files = 0;
  try {
    copy.exec('CREATE TABLE mizan_backup_files (name TEXT PRIMARY KEY, content TEXT NOT NULL)');
    const put = copy.prepare('INSERT INTO mizan_backup_files (name, content) VALUES (?, ?)');
    put.run('config.json', readFileSync(join(dataDir, 'config.json'), 'utf8'));
    files++;
    for (const f of readdirSync(join(dataDir, 'keys'))) {
      put.run(`keys/${f}`, readFileSync(join(dataDir, 'keys', f), 'utf8'));
      files++;
    }
    files += packEvidence(copy, dataDir, evidence);
  } finally {
    copy.close();
  }
  return files;
}

function runPgTool(tool: 'pg_dump' | 'pg_restore', args: string[]): void {
  const r = spawnSync(tool, args, { encoding: 'utf8' });
  if (r.error) throw new MizanError('VALIDATION_FAILED', `${tool} could not run (${r.error.message}); install PostgreSQL's client tools`);
  if (r.status !== 0) throw new MizanError('VALIDATION_FAILED', `${tool} failed: ${(r.stderr || '').trim().split('\n').slice(-3).join(' ')}`);
}

interface BackupFile {
  readonly db: Database.Database;
  readonly files: { name: string; content: string }[];
  /** pg_dump's custom-format archive, when the backup is of a PostgreSQL store. */
  readonly pgDump: Buffer | null;
}

/** Opens and checks a backup; the caller closes `db`. */
function readBackup(from: string): BackupFile {
  const src = new Database(from, { readonly: true });
  try {
    const tables = new Set((src.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name));
    if (!tables.has('mizan_backup_files')) throw new MizanError('VALIDATION_FAILED', `${from} is not a Mizan backup (no mizan_backup_files table)`);
    const files = src.prepare('SELECT name, content FROM mizan_backup_files').all() as { name: string; content: string }[];
    const pgDump = tables.has('mizan_pg_dump') ? (src.prepare('SELECT content FROM mizan_pg_dump').get() as { content: Buffer }).content : null;
    return { db: src, files, pgDump };
  } catch (e) {
    src.close();
    if (e instanceof MizanError) throw e;
    throw new MizanError('VALIDATION_FAILED', `${from} is not a Mizan backup (${(e as Error).message})`);
  }
}

async function assertEmptyPostgres(databaseUrl: string): Promise<void> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const r = await c.query<{ n: number }>("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'");
    if ((r.rows[0]?.n ?? 0) > 0) throw new MizanError('DATA_DIR_NOT_EMPTY', 'the target PostgreSQL database is not empty; restore into a new database');
  } finally {
    await c.end();
  }
}

/**
 * Restore a backup into an empty data directory (and, for a PostgreSQL backup, an empty database
 * named by DATABASE_URL); the keys come back with mode 0600.
 */
export async function restoreDataDir(from: string, dataDir: string, databaseUrl = process.env.DATABASE_URL): Promise<{ files: number; store: 'sqlite' | 'postgres' }> {
  if (!existsSync(from)) throw new MizanError('VALIDATION_FAILED', `no backup file at ${from}`);
  if (!isEmptyDir(dataDir)) throw new MizanError('DATA_DIR_NOT_EMPTY', `${dataDir} is not empty; restore into a new directory`);
  const backup = readBackup(from);
  let evidence: number;
  try {
    for (const r of backup.files) {
      // Names come from the file being restored: only config.json and keys/<plain name> are accepted.
      if (r.name !== 'config.json' && !/^keys\/[A-Za-z0-9._-]+$/.test(r.name)) throw new MizanError('VALIDATION_FAILED', `unexpected file ${JSON.stringify(r.name)} in the backup`);
    }
    if (backup.pgDump && !databaseUrl) throw new MizanError('VALIDATION_FAILED', 'this backup is of a PostgreSQL store: set DATABASE_URL (or --database-url) to an empty database to restore into');
    if (!backup.pgDump && databaseUrl) throw new MizanError('VALIDATION_FAILED', 'this backup is of an embedded SQLite store: unset DATABASE_URL to restore it');
    if (backup.pgDump && databaseUrl) await restorePg(backup.pgDump, databaseUrl);
    mkdirSync(join(dataDir, 'keys'), { recursive: true, mode: 0o700 });
    for (const r of backup.files) writeSecret(join(dataDir, r.name), r.content);
    evidence = unpackEvidence(backup.db, dataDir);
  } finally {
    backup.db.close();
  }
  if (!backup.pgDump) {
    copyFileSync(from, sqlitePath(dataDir));
    const db = new Database(sqlitePath(dataDir));
    db.exec('DROP TABLE mizan_backup_files; DROP TABLE IF EXISTS mizan_backup_evidence');
    db.close();
  }
  return { files: backup.files.length + evidence, store: backup.pgDump ? 'postgres' : 'sqlite' };
}

async function restorePg(dump: Buffer, databaseUrl: string): Promise<void> {
  await assertEmptyPostgres(databaseUrl);
  const tmp = mkdtempSync(join(tmpdir(), 'mizan-pgrestore-'));
  try {
    const file = join(tmp, 'dump');
    writeFileSync(file, dump, { mode: 0o600 });
    runPgTool('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', '--dbname', databaseUrl, file]);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
