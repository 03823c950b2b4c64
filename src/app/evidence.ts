import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { cleanFilename, citedDigests, formatBytes, MAX_EVIDENCE_BYTES, normalizeMediaType, SHA256_HEX } from '../domain/evidence.js';
import { MizanError, notFound } from '../domain/errors.js';
import { authorize, seesMonitorIdentities } from '../domain/policy.js';
import type { Principal } from '../domain/principal.js';
import type { Mizan } from './mizan.js';
import type { WriteSession } from './session.js';

export interface EvidenceConfig {
  /**
   * Bytes one account may upload in any 24 hours (null: no limit). A stolen monitor's phone or a
   * script gone wrong must not fill the disk the log and every other party's evidence live on.
   */
  readonly dailyQuotaBytes: number | null;
}

/** 1 GiB a day: some forty 25 MiB videos, far above what a delegation or monitor files in a day. */
export const DEFAULT_DAILY_QUOTA_BYTES = 1024 * 1024 * 1024;

/** `MIZAN_EVIDENCE_QUOTA_MIB`: MiB per account per 24 hours; 0 turns the limit off. */
export function evidenceConfigFromEnv(env: NodeJS.ProcessEnv = process.env): EvidenceConfig {
  const raw = env.MIZAN_EVIDENCE_QUOTA_MIB;
  if (raw === undefined || raw.trim() === '') return { dailyQuotaBytes: DEFAULT_DAILY_QUOTA_BYTES };
  const mib = Number(raw);
  if (!Number.isInteger(mib) || mib < 0) throw new Error(`MIZAN_EVIDENCE_QUOTA_MIB must be a whole number of MiB (0 for no limit), not ${JSON.stringify(raw)}`);
  return { dailyQuotaBytes: mib === 0 ? null : mib * 1024 * 1024 };
}

/** Where each application keeps its evidence files, and its limits; set by the composition root. */
const stores = new WeakMap<Mizan, { dir: string; config: EvidenceConfig }>();

export function configureEvidence(app: Mizan, dataDir: string, config: EvidenceConfig = { dailyQuotaBytes: DEFAULT_DAILY_QUOTA_BYTES }): void {
  stores.set(app, { dir: join(dataDir, 'evidence'), config });
}

function evidenceStore(app: Mizan): { dir: string; config: EvidenceConfig } {
  const s = stores.get(app);
  if (!s) throw new MizanError('INTERNAL', 'the evidence store is not configured with its data directory');
  return s;
}

function evidenceDir(app: Mizan): string {
  return evidenceStore(app).dir;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Refuses an upload that would take the account past its quota for the last 24 hours. Runs before
 * the spooled file is put in place and again inside the write, so a burst of parallel uploads
 * cannot pass the first check together. The operator's own imports (system) are not limited.
 */
async function requireQuota(app: Mizan, db: Mizan['store']['db'], p: Principal, size: number): Promise<void> {
  const quota = evidenceStore(app).config.dailyQuotaBytes;
  if (quota === null || p.kind !== 'user') return;
  const since = new Date(app.clock().getTime() - DAY_MS).toISOString();
  const row = await db
    .selectFrom('evidence')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number | string>('size'), eb.lit(0)).as('bytes'))
    .where('uploaded_by', '=', p.name)
    .where('recorded_at', '>', since)
    .executeTakeFirst();
  const used = Number(row?.bytes ?? 0);
  if (used + size > quota) {
    throw new MizanError(
      'RATE_LIMITED',
      `${p.name} has uploaded ${formatBytes(used)} of evidence in the last 24 hours; this ${formatBytes(size)} file would pass the limit of ${formatBytes(quota)} a day. Try again later, or ask the operator to raise MIZAN_EVIDENCE_QUOTA_MIB`,
      [{ path: ['body'], code: 'quota_exceeded', message: `over the daily upload limit of ${formatBytes(quota)}` }],
    );
  }
}

/** The file for a digest. Only a validated digest ever becomes a path, so no name can escape the directory. */
function fileFor(dir: string, digest: string): string {
  if (!SHA256_HEX.test(digest)) throw new MizanError('VALIDATION_FAILED', 'not a SHA-256 digest', [{ path: ['sha256'], code: 'invalid_string', message: 'must be 64 lowercase hexadecimal digits' }]);
  return join(dir, digest);
}

export interface EvidenceRecord {
  sha256: string;
  /** What statements put in their `evidence` lists to cite this file. */
  ref: string;
  size: number;
  media_type: string;
  filename: string | null;
  party: string | null;
  uploaded_by: string;
  log_index: number;
  recorded_at: string;
}

type EvidenceRow = Omit<EvidenceRecord, 'ref'>;

const toRecord = (r: EvidenceRow): EvidenceRecord => ({ ...r, ref: `sha256:${r.sha256}`, size: Number(r.size), log_index: Number(r.log_index) });

interface SpooledFile {
  readonly tmp: string;
  readonly digest: string;
  readonly size: number;
}

/**
 * Write the upload to a private temporary file in the evidence directory, hashing and counting as
 * it arrives, then flush it: a 25 MiB video is never held in memory, and the file can be renamed
 * into place (same file system) once its digest is known.
 */
async function spoolFile(dir: string, body: Readable): Promise<SpooledFile> {
  const tmpDir = join(dir, '.tmp');
  mkdirSync(tmpDir, { recursive: true, mode: 0o700 });
  const tmp = join(tmpDir, `upload.${randomBytes(6).toString('hex')}`);
  const hash = createHash('sha256');
  let size = 0;
  const fh = await open(tmp, 'wx', 0o600);
  try {
    for await (const chunk of body) {
      const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
      hash.update(bytes);
      size += bytes.length;
      await fh.write(bytes);
    }
    await fh.sync();
  } catch (e) {
    await fh.close();
    await rm(tmp, { force: true });
    if (e instanceof MizanError) throw e;
    throw new MizanError('VALIDATION_FAILED', `the upload was interrupted after ${size} bytes; nothing was kept`, [{ path: ['body'], code: 'interrupted', message: 'the file did not arrive whole' }]);
  }
  await fh.close();
  return { tmp, digest: hash.digest('hex'), size };
}

export interface UploadMeta {
  readonly mediaType?: string | undefined;
  readonly filename?: string | undefined;
}

/**
 * Keep an evidence file: hash it, store the original unmodified under its digest, and record one
 * `evidence.add` log entry with its row. Uploading the same bytes again returns the first record
 * (its file name and uploader) and writes nothing. The file comes as bytes (CLI) or as a stream
 * (HTTP, already limited to MAX_EVIDENCE_BYTES by the server).
 */
export async function addEvidence(app: Mizan, p: Principal, file: Buffer | Readable, meta: UploadMeta = {}): Promise<EvidenceRecord & { created: boolean }> {
  authorize(p, 'evidence.upload');
  const dir = evidenceDir(app);
  const spooled = await spoolFile(dir, Buffer.isBuffer(file) ? Readable.from([file]) : file);
  try {
    return await keepSpooled(app, p, dir, spooled, meta);
  } finally {
    // Renamed into place when kept; otherwise (a duplicate, a refusal) it goes.
    await rm(spooled.tmp, { force: true });
  }
}

async function keepSpooled(app: Mizan, p: Principal, dir: string, { tmp, digest, size }: SpooledFile, meta: UploadMeta): Promise<EvidenceRecord & { created: boolean }> {
  if (size === 0) throw new MizanError('VALIDATION_FAILED', 'the evidence file is empty', [{ path: ['body'], code: 'too_small', message: 'send the file as the request body' }]);
  if (size > MAX_EVIDENCE_BYTES) throw new MizanError('VALIDATION_FAILED', `the evidence file is larger than ${MAX_EVIDENCE_BYTES} bytes`, [{ path: ['body'], code: 'too_big', message: 'file too large' }]);
  const existing = await findEvidence(app, digest);
  if (existing) return { ...(await withheldFrom(app, p, existing)), created: false };
  await requireQuota(app, app.store.db, p, size);
  // The file goes into place before the row commits: a row always has its file; a file without a
  // row (a failed transaction) is harmless and is replaced by the next upload of the same bytes.
  await rename(tmp, fileFor(dir, digest));
  const media_type = normalizeMediaType(meta.mediaType);
  const filename = cleanFilename(meta.filename);
  const party = p.kind === 'user' ? p.party : null;
  const uploaded_by = p.kind === 'user' ? p.name : p.kind;
  // A monitor's photo can give away where the monitor stood: it is marked for mediators (the
  // entry is a salted commitment either way) and only mediators may read the file (visibleTo).
  const visibility = p.kind === 'user' && p.role === 'monitor' ? 'mediators' : 'parties';
  try {
    return await app.write(p, async (w) => {
      const again = await w.tx.selectFrom('evidence').selectAll().where('sha256', '=', digest).executeTakeFirst();
      if (again) return { ...toRecord(again), created: false };
      await requireQuota(app, w.tx, p, size);
      const log_index = w.statement('evidence.add', { sha256: digest, size, media_type, filename, party }, visibility, `sha256:${digest}`);
      const row: EvidenceRow = { sha256: digest, size, media_type, filename, party, uploaded_by, log_index, recorded_at: w.recordedAt };
      w.queue('evidence', { ...row });
      return { ...toRecord(row), created: true };
    });
  } catch (e) {
    // Two uploads of the same bytes at once: the loser's insert fails on the key; the winner's record stands.
    const winner = await findEvidence(app, digest);
    if (winner) return { ...(await withheldFrom(app, p, winner)), created: false };
    throw e;
  }
}

async function findEvidence(app: Mizan, digest: string): Promise<EvidenceRecord | null> {
  const row = await app.store.db.selectFrom('evidence').selectAll().where('sha256', '=', digest).executeTakeFirst();
  return row ? toRecord(row) : null;
}

/**
 * The record as a caller who uploads the same bytes again sees it: a monitor's file keeps its
 * uploader and file name from anyone who may not read it (the caller has the bytes, not the
 * knowledge that a monitor sent them).
 */
async function withheldFrom(app: Mizan, p: Principal, r: EvidenceRecord): Promise<EvidenceRecord> {
  return (await visibleTo(app, p, r)) ? r : { ...r, filename: null, party: null, uploaded_by: 'withheld' };
}

/**
 * A file a local monitor uploaded is for mediators only: to anyone else it does not exist (a
 * delegate who could fetch it could learn where a monitor was). Other files follow the policy alone.
 */
async function visibleTo(app: Mizan, p: Principal, record: EvidenceRecord): Promise<boolean> {
  if (seesMonitorIdentities(p)) return true;
  const uploader = await app.store.db.selectFrom('users').select('role').where('name', '=', record.uploaded_by).executeTakeFirst();
  return uploader?.role !== 'monitor';
}

/** The record and the original bytes, re-hashed on the way out so a damaged file is never served as evidence. */
export async function readEvidence(app: Mizan, p: Principal, digest: string): Promise<{ record: EvidenceRecord; bytes: Buffer }> {
  authorize(p, 'evidence.read');
  const file = fileFor(evidenceDir(app), digest);
  const record = await findEvidence(app, digest);
  if (!record || !(await visibleTo(app, p, record))) throw notFound('evidence', `sha256:${digest}`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new MizanError('INTERNAL', `the file for evidence sha256:${digest} is missing from the data directory`);
  }
  if (createHash('sha256').update(bytes).digest('hex') !== digest) throw new MizanError('INTERNAL', `the file for evidence sha256:${digest} is damaged: its bytes no longer match the digest`);
  return { record, bytes };
}

export async function evidenceRecord(app: Mizan, p: Principal, digest: string): Promise<EvidenceRecord> {
  authorize(p, 'evidence.read');
  fileFor(evidenceDir(app), digest);
  const record = await findEvidence(app, digest);
  if (!record || !(await visibleTo(app, p, record))) throw notFound('evidence', `sha256:${digest}`);
  return record;
}

/**
 * Every `sha256:` citation in a statement's evidence list must name a file already uploaded.
 * Runs inside the write, through its transaction.
 */
export async function requireCitedEvidence(w: WriteSession, list: readonly string[] | undefined, path: readonly (string | number)[] = ['evidence']): Promise<void> {
  const cited = citedDigests(list, path);
  if (cited.length === 0) return;
  const known = new Set(
    (await w.tx.selectFrom('evidence').select('sha256').where('sha256', 'in', [...new Set(cited.map((c) => c.digest))]).execute()).map((r) => r.sha256),
  );
  const missing = cited.filter((c) => !known.has(c.digest));
  if (missing.length > 0) {
    throw new MizanError(
      'VALIDATION_FAILED',
      `${missing.length === 1 ? 'an evidence file is' : `${missing.length} evidence files are`} cited but not uploaded; POST the file to /api/v1/evidence first`,
      missing.map((m) => ({ path: m.path, code: 'evidence_not_found', message: `no evidence file sha256:${m.digest}` })),
    );
  }
}
