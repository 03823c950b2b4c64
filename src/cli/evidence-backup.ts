import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { SHA256_HEX } from '../domain/evidence.js';
import { MizanError } from '../domain/errors.js';

/**
 * Evidence files live beside the database, so a one-file backup carries them in a table of its
 * own: exactly the files the copied `evidence` rows name, so backup and rows agree.
 */
export function packEvidence(copy: Database, dataDir: string, only: string[] | null = null): number {
  let digests: string[];
  if (only) digests = only;
  else
    try {
      digests = (copy.prepare('SELECT sha256 FROM evidence').all() as { sha256: string }[]).map((r) => r.sha256);
    } catch {
      return 0; // a store from before evidence files existed
    }
  copy.exec('CREATE TABLE mizan_backup_evidence (sha256 TEXT PRIMARY KEY, content BLOB NOT NULL)');
  const put = copy.prepare('INSERT INTO mizan_backup_evidence (sha256, content) VALUES (?, ?)');
  for (const d of digests) {
    const file = join(dataDir, 'evidence', d);
    if (!SHA256_HEX.test(d) || !existsSync(file)) throw new MizanError('DATA_DIR_MISSING', `the file for evidence sha256:${d} is missing from ${dataDir}/evidence; the backup would be incomplete`);
    put.run(d, readFileSync(file));
  }
  return digests.length;
}

/**
 * The evidence files on disk, for a PostgreSQL store whose rows are in pg_dump's archive. A file
 * is written before its row commits, so the folder holds at least the files the dump names.
 */
export function evidenceFilesInDir(dataDir: string): string[] {
  const dir = join(dataDir, 'evidence');
  return existsSync(dir) ? readdirSync(dir).filter((f) => SHA256_HEX.test(f)) : [];
}

/** Write the backup's evidence files back, each checked against its digest (the backup is outside input). */
export function unpackEvidence(src: Database, dataDir: string): number {
  let rows: { sha256: string; content: Buffer }[];
  try {
    rows = src.prepare('SELECT sha256, content FROM mizan_backup_evidence').all() as { sha256: string; content: Buffer }[];
  } catch {
    return 0;
  }
  if (rows.length > 0) mkdirSync(join(dataDir, 'evidence'), { recursive: true, mode: 0o700 });
  for (const r of rows) {
    // The name becomes a path: only a digest that the bytes actually have is accepted.
    if (!SHA256_HEX.test(r.sha256) || createHash('sha256').update(r.content).digest('hex') !== r.sha256) {
      throw new MizanError('VALIDATION_FAILED', `evidence ${JSON.stringify(r.sha256)} in the backup does not match its bytes`);
    }
    writeFileSync(join(dataDir, 'evidence', r.sha256), r.content, { mode: 0o600 });
  }
  return rows.length;
}
